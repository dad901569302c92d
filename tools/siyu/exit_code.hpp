#pragma once
// The siyu command's exit codes: a contract for scripts, documented in docs/cli.md.

namespace siyu::cli {

/// How a siyu command ended.
enum class ExitCode : int {
  ok = 0,       ///< Everything asked was done.
  error = 1,    ///< A fatal error; nothing was stored or printed as a result.
  usage = 2,    ///< The command line was wrong (unknown option, missing argument).
  partial = 3,  ///< Done, but some input records were rejected and quarantined.
};

}  // namespace siyu::cli
