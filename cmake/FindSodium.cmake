# Finds libsodium as the imported target Sodium::sodium, whichever way it was installed:
# vcpkg's unofficial-sodium package, Conan's libsodium package, or the system library that
# Debian ships with a pkg-config file (libsodium-dev). Installed with siyu's package so a
# consumer of a static siyu finds it the same way.
include(FindPackageHandleStandardArgs)

if(NOT TARGET Sodium::sodium)
  find_package(unofficial-sodium CONFIG QUIET)
  find_package(libsodium CONFIG QUIET)
  if(TARGET unofficial-sodium::sodium)
    add_library(Sodium::sodium INTERFACE IMPORTED)
    target_link_libraries(Sodium::sodium INTERFACE unofficial-sodium::sodium)
  elseif(TARGET libsodium::libsodium)
    add_library(Sodium::sodium INTERFACE IMPORTED)
    target_link_libraries(Sodium::sodium INTERFACE libsodium::libsodium)
  else()
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
      pkg_check_modules(PC_Sodium QUIET libsodium)
    endif()
    find_path(Sodium_INCLUDE_DIR sodium.h HINTS ${PC_Sodium_INCLUDE_DIRS})
    find_library(Sodium_LIBRARY NAMES sodium libsodium HINTS ${PC_Sodium_LIBRARY_DIRS})
    mark_as_advanced(Sodium_INCLUDE_DIR Sodium_LIBRARY)
    if(Sodium_INCLUDE_DIR AND Sodium_LIBRARY)
      add_library(Sodium::sodium UNKNOWN IMPORTED)
      set_target_properties(Sodium::sodium PROPERTIES
        IMPORTED_LOCATION "${Sodium_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Sodium_INCLUDE_DIR}")
    endif()
  endif()
endif()

if(TARGET Sodium::sodium)
  set(Sodium_TARGET Sodium::sodium)
endif()
find_package_handle_standard_args(Sodium REQUIRED_VARS Sodium_TARGET)
