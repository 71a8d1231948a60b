#pragma once
/// `tipsim sensitivity`: Morris screening or Sobol indices (sim/sensitivity/) of the corridor
/// model's outputs to the parameters of a design file. The plan's points run as a sweep
/// (replicates with common random numbers across points, resumable from its journal) into
/// `<out>.runs.h5`; the indices of each chosen output go to `<out>`.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/ensemble/executor.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"

namespace tipsim::experiments {

struct SensitivityOptions {
  std::string scenario_file, design_file, out;
  std::string method = "morris";  ///< morris or sobol
  std::uint32_t replicates = 1;
  std::optional<std::uint64_t> seed;  ///< of the runs; default the scenario's
  int threads = 0;
  std::vector<std::string> sets, windows;
  /// Indicator names of the ensemble tables (a window's suffixed with @FROM:TO); empty:
  /// totals.victims_removed and totals.victim_days_exploited.
  std::vector<std::string> outputs;
  bool overwrite = false;
  std::string command_line;
};

/// The runs file beside `out`.
[[nodiscard]] std::string runs_file_of(const std::string& out);

/// Runs the plan and writes the indices. Throws ConfigError, ScenarioError or IoError;
/// RunFailed (a ConfigError naming the first failure) when runs failed.
sensitivity::SensitivityResult run_sensitivity(
    const SensitivityOptions& options,
    const std::function<void(const ensemble::Progress&)>& progress = {});

}  // namespace tipsim::experiments
