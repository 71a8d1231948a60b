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

#include "experiments/experiment_command.hpp"
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

/// What a sensitivity analysis runs: its plan (unit cube and values) and the sweep of it.
struct SensitivityPlan {
  sensitivity::SensitivityResult result;  ///< parameters, plan and values; no outputs yet
  ExperimentOptions sweep;                ///< the plan's points, run into runs_file_of(out)
  std::size_t sobol_points = 0;
  std::vector<std::string> outputs;
};
/// Reads the design and makes the plan; runs nothing. Throws ConfigError or ScenarioError.
[[nodiscard]] SensitivityPlan plan_sensitivity(const SensitivityOptions& options);
/// Once the sweep is written: each output's indices, written to options.out.
sensitivity::SensitivityResult finish_sensitivity(const SensitivityOptions& options,
                                                  SensitivityPlan plan);
/// Both, with the sweep run on this process's threads. Throws ConfigError when runs failed.
sensitivity::SensitivityResult run_sensitivity(
    const SensitivityOptions& options,
    const std::function<void(const ensemble::Progress&)>& progress = {});

}  // namespace tipsim::experiments
