# Finds Hyperscan (or Vectorscan, its portable fork with the same API) as the imported
# target Hyperscan::hs: vcpkg's and Conan's packages, or the system library that Debian ships
# with a pkg-config file (libhyperscan-dev, amd64 only). Installed with siyu's package so a
# consumer of a static siyu finds it the same way.
include(FindPackageHandleStandardArgs)

if(NOT TARGET Hyperscan::hs)
  find_package(hyperscan CONFIG QUIET)
  if(TARGET hyperscan::hs)
    add_library(Hyperscan::hs INTERFACE IMPORTED)
    target_link_libraries(Hyperscan::hs INTERFACE hyperscan::hs)
  else()
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
      pkg_check_modules(PC_Hyperscan QUIET libhs)
    endif()
    find_path(Hyperscan_INCLUDE_DIR hs/hs.h HINTS ${PC_Hyperscan_INCLUDE_DIRS}/..
              ${PC_Hyperscan_INCLUDEDIR}/..)
    find_library(Hyperscan_LIBRARY NAMES hs HINTS ${PC_Hyperscan_LIBRARY_DIRS})
    mark_as_advanced(Hyperscan_INCLUDE_DIR Hyperscan_LIBRARY)
    if(Hyperscan_INCLUDE_DIR AND Hyperscan_LIBRARY)
      add_library(Hyperscan::hs UNKNOWN IMPORTED)
      set_target_properties(Hyperscan::hs PROPERTIES
        IMPORTED_LOCATION "${Hyperscan_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Hyperscan_INCLUDE_DIR}")
    endif()
  endif()
endif()

if(TARGET Hyperscan::hs)
  set(Hyperscan_TARGET Hyperscan::hs)
endif()
find_package_handle_standard_args(Hyperscan REQUIRED_VARS Hyperscan_TARGET)
