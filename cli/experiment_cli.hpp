#pragma once
/// The many-run subcommands: ensemble, sweep, merge and calibrate.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace tipsim::cli {

/// Adds `ensemble`, `sweep`, `merge` and `calibrate` to `app`. Returns the handler to call when one
/// of them was chosen (it returns the exit code), or an empty function otherwise.
std::function<std::function<int()>()> add_experiment_commands(CLI::App& app,
                                                              const std::string& command_line);

}  // namespace tipsim::cli
