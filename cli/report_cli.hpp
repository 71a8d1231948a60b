#pragma once
/// `tipsim report`: one self-contained HTML report of tipsim files, written by the Python
/// package (analysis/python/tipsim/report.py), which reads every kind of file.
#include <CLI/CLI.hpp>
#include <functional>

namespace tipsim::cli {

/// Adds `report` to `app`. Returns the handler to call when it was chosen (it returns the
/// exit code), or an empty function otherwise.
std::function<std::function<int()>()> add_report_command(CLI::App& app);

}  // namespace tipsim::cli
