# Overlay port: builds siyu from the source tree this port sits in
# (vcpkg install siyu --overlay-ports=packaging/vcpkg/ports).
get_filename_component(SIYU_SOURCE "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS FEATURES tools SIYU_BUILD_TOOLS)

vcpkg_cmake_configure(
  SOURCE_PATH "${SIYU_SOURCE}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DSIYU_BUILD_TESTS=OFF
    -DSIYU_BUILD_EXAMPLES=OFF
    -DSIYU_BUILD_BENCHMARKS=OFF
    -DSIYU_BUILD_DOCS=OFF
    -DSIYU_INSTALL=ON)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/siyu)
vcpkg_fixup_pkgconfig()

if("tools" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES siyu AUTO_CLEAN)
endif()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
if(VCPKG_LIBRARY_LINKAGE STREQUAL "static")
  file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/bin" "${CURRENT_PACKAGES_DIR}/debug/bin")
endif()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SIYU_SOURCE}/LICENSE")
