#include "command.hpp"

#include <sstream>
#include <vector>

namespace siyu::cli {

void add_format_option(CLI::App& command, std::string& format, const std::string& choices) {
  std::vector<std::string> allowed;
  std::istringstream in(choices);
  for (std::string choice; std::getline(in, choice, '|');) allowed.push_back(choice);
  command
      .add_option("--format", format, "Output: " + choices + " (default " + allowed.front() + ")")
      ->check(CLI::IsMember(allowed));
}

}  // namespace siyu::cli
