#pragma once
/// Checks shared by the commands' options.
#include <CLI/CLI.hpp>
#include <string>

namespace tipsim::cli {

/// A seed given on the command line: a whole number from 0 to 9e15, as a scenario's
/// simulation.seed (`--seed -1` would otherwise wrap around to 2^64 - 1, and `--seed ""` be
/// ignored).
inline const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      if (text.empty()) return "expected a whole number from 0 to 9e15, got nothing";
      if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 16 ||
          std::stod(text) > 9e15)
        return "expected a whole number from 0 to 9e15, got '" + text + "'";
      return "";
    },
    "SEED");

}  // namespace tipsim::cli
