# Warnings for siyu's own targets only; consumers' flags are theirs.
function(siyu_target_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
      -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
      # Value types are built with partial designated initializers; the rest keep defaults.
      -Wno-missing-field-initializers)
    if(SIYU_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# clang-tidy on a target, when SIYU_CLANG_TIDY is ON (the tidy preset).
function(siyu_target_tidy target)
  if(SIYU_CLANG_TIDY)
    find_program(SIYU_CLANG_TIDY_EXE NAMES clang-tidy-16 clang-tidy REQUIRED)
    set_target_properties(${target} PROPERTIES CXX_CLANG_TIDY "${SIYU_CLANG_TIDY_EXE}")
  endif()
endfunction()
