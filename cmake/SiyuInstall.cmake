# Install rules, the CMake package (install tree and build tree) and the pkg-config file.
include(CMakePackageConfigHelpers)

set(SIYU_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/siyu")

install(TARGETS siyu EXPORT siyuTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT siyu_development
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT siyu_runtime
          NAMELINK_COMPONENT siyu_development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT siyu_runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/siyu" "${PROJECT_BINARY_DIR}/include/siyu"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT siyu_development
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT siyuTargets NAMESPACE siyu:: DESTINATION "${SIYU_CMAKE_DIR}"
        COMPONENT siyu_development)

# A consumer of a static siyu links its private dependencies too, so the config finds them.
if(BUILD_SHARED_LIBS)
  set(SIYU_STATIC_DEPENDENCIES OFF)
else()
  set(SIYU_STATIC_DEPENDENCIES ON)
endif()
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/siyuConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/siyuConfig.cmake" INSTALL_DESTINATION "${SIYU_CMAKE_DIR}")
# 0.x: only the same minor version is compatible.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/siyuConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/siyuConfig.cmake" "${PROJECT_BINARY_DIR}/siyuConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/FindSodium.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/FindHyperscan.cmake"
        DESTINATION "${SIYU_CMAKE_DIR}" COMPONENT siyu_development)

# The build tree is a package too: -Dsiyu_DIR=<build> works without installing.
configure_file("${PROJECT_SOURCE_DIR}/cmake/FindSodium.cmake" "${PROJECT_BINARY_DIR}/FindSodium.cmake"
               COPYONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/FindHyperscan.cmake"
               "${PROJECT_BINARY_DIR}/FindHyperscan.cmake" COPYONLY)
export(EXPORT siyuTargets NAMESPACE siyu:: FILE "${PROJECT_BINARY_DIR}/siyuTargets.cmake")

# pkg-config, relocatable through ${pcfiledir}. Debian's SQLiteCpp and Boost ship no .pc
# files, so the static link line names their libraries directly.
file(RELATIVE_PATH SIYU_PC_PREFIX_FROM_PCDIR "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" SIYU_PC_PREFIX_FROM_PCDIR "${SIYU_PC_PREFIX_FROM_PCDIR}")
if(BUILD_SHARED_LIBS)
  set(SIYU_PC_CFLAGS "")
else()
  set(SIYU_PC_CFLAGS "-DSIYU_STATIC_DEFINE")
endif()
if(SIYU_HYPERSCAN)
  set(SIYU_PC_REQUIRES_HYPERSCAN " libhs")
else()
  set(SIYU_PC_REQUIRES_HYPERSCAN "")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/siyu.pc.in" "${PROJECT_BINARY_DIR}/siyu.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/siyu.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT siyu_development)
