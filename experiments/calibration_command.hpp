#pragma once
/// `tipsim calibrate`: the corridor model calibrated to survey targets by ABC-SMC
/// (sim/calibration/abc_smc.hpp). A candidate's parameters are applied to the scenario as
/// `--set` would apply them; its run fields the scenario's virtual surveys, and its distance
/// is the fit of that run to the targets (analysis/fit.hpp: the total, or the terms weighted
/// as the priors file says).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/calibration/calibration_file.hpp"

namespace tipsim::experiments {

struct CalibrateOptions {
  std::string scenario_file, targets_file, priors_file, out;
  std::vector<std::string> sets;
  int threads = 0;  ///< 0: all cores
  calibration::AbcOptions abc;
  bool overwrite = false;  ///< replace an --out that holds another calibration
  /// When set, a scenario extending the input with each parameter at its posterior median
  /// is written there once the calibration ends.
  std::string write_scenario;
  std::string command_line;
};

struct CalibrateReport {
  calibration::AbcResult result;
  std::size_t resumed_generations = 0;  ///< read back from --out
  double seconds = 0;
  bool worker = false;  ///< a worker rank under mpirun: it ran candidates, wrote nothing
};

/// Runs (or resumes) the calibration; `on_generation` sees each new generation. Under
/// mpirun rank 0 samples and writes while the other ranks run the candidates; the result is
/// the same as on one process. Throws
/// ConfigError for bad inputs or an --out holding another calibration, IoError for files.
CalibrateReport run_calibration(
    const CalibrateOptions& options,
    const std::function<void(const calibration::AbcGeneration&)>& on_generation = {});

}  // namespace tipsim::experiments
