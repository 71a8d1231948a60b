#pragma once
/// The fit of an ensemble or sweep file to calibration targets: each run's simulated survey
/// and observations, read from its indicators, put beside the targets as `tipsim fit` does
/// for one run, and the runs of a cell combined into one likelihood (docs/CALIBRATION.md).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/fit.hpp"
#include "analysis/summary.hpp"

namespace tipsim::analysis {

/// The parts of a run's Summary a fit reads (surveys and observations), rebuilt from the
/// run's indicators in an ensemble file (names without a window suffix; NaN for no value).
[[nodiscard]] Summary summary_from_indicators(std::span<const std::string> names,
                                              std::span<const double> values);

/// -2 ln of the mean of exp(-term / 2) over `terms`: the deviance of the likelihood averaged
/// over the runs (a Monte Carlo estimate of the model's likelihood, which averages over its
/// randomness), computed without overflow. NaN for no terms.
[[nodiscard]] double averaged_deviance(std::span<const double> terms);

struct EnsembleTargetFit {
  Target target;
  /// The runs' simulated values: 5%, 50% and 95% quantiles (empty where no run has one).
  std::optional<double> simulated_low, simulated_median, simulated_high;
  /// Where the reported value falls among the runs' values: the share of runs below it,
  /// ties counting half (a posterior predictive p-value; empty where no run has a value).
  std::optional<double> observed_quantile;
  double term = 0;       ///< averaged_deviance of the runs' terms
  double mean_term = 0;  ///< the plain mean of the runs' terms, for comparison
};

struct EnsembleCellFit {
  std::string cell;      ///< a scenario name, or a point name in a sweep
  std::size_t runs = 0;  ///< runs done and fitted
  std::vector<EnsembleTargetFit> targets;
  /// averaged_deviance of the runs' totals: the joint likelihood averaged over the runs (not
  /// the sum of the targets' terms, which average each target on its own).
  double total = 0;
  double mean_total = 0;  ///< the plain mean of the runs' totals
};

struct EnsembleFit {
  std::string file;
  std::string targets_file;
  std::vector<EnsembleCellFit> cells;  ///< in the file's cell order; cells without runs left out
};

/// Fits every done run of an ensemble or sweep file. IoError for a file that is not one;
/// ConfigError for the targets file, or a target the runs cannot answer (named as for one
/// run, with the cell).
[[nodiscard]] EnsembleFit fit_ensemble(const std::filesystem::path& ensemble_file,
                                       const std::filesystem::path& targets_file);

/// A table per cell: each target's reported value, the runs' median and 90% range, the
/// averaged term, then the total.
[[nodiscard]] std::string ensemble_fit_table(const EnsembleFit& f);
/// The same as JSON (docs/OUTPUT.md).
[[nodiscard]] std::string ensemble_fit_json(const EnsembleFit& f);

}  // namespace tipsim::analysis
