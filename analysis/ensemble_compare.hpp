#pragma once
/// Comparison of the scenarios of an ensemble (or of two ensemble files) over their
/// replicates: for each scenario against the base and each indicator, the paired
/// differences' mean, median, 95% range and the share of replicates in which it is
/// positive; cost per victim removed and per victim-day averted with bootstrap intervals;
/// and a cost-effectiveness table with dominance across all scenarios.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/date.hpp"
#include "sim/stats/replicates.hpp"

namespace tipsim::analysis {

struct IndicatorComparison {
  std::string name;                    ///< without a window suffix
  stats::Spread base, other;           ///< over each side's replicates
  stats::PairedDifference paired;      ///< meaningful when the comparison is paired
  stats::UnpairedDifference unpaired;  ///< meaningful when it is not
};

struct ScenarioComparison {
  std::string name;       ///< the scenario (or point) compared with the base
  std::string file;       ///< the file it comes from
  bool same_key = false;  ///< same seed: replicate r of each drew the same numbers
  std::optional<Date> first_scenario_difference;
  /// Earliest day, over the replicates both ran, on which their stored daily series part.
  std::optional<Date> first_divergence;
  /// Replicates both sides ran (done, with values): what a paired comparison rests on.
  std::size_t common_replicates = 0;
  /// Same key, replicates in common, and no divergence before the scenarios differ.
  bool paired = false;
  std::vector<IndicatorComparison> indicators;  ///< every indicator both sides have
  stats::Ratio cost_per_victim_removed;         ///< FCFA per person
  stats::Ratio cost_per_victim_day_averted;     ///< FCFA per person-day
};

/// One scenario in the cost-effectiveness table; means over replicates.
struct CostEffectivenessRow {
  std::string name;
  double spend_fcfa = 0;
  double victims_removed = 0;
  double victim_days_exploited = 0;
  double victim_days_averted = 0;  ///< against the base
  double recruited = 0;
  double recruitment_averted = 0;  ///< against the base: what prevention acts on
  stats::CostEffect by_victims_removed;
  stats::CostEffect by_victim_days_averted;
  stats::CostEffect by_recruitment_averted;
};

struct EnsembleComparison {
  std::string base_file;
  std::string base;    ///< base scenario (or point) name
  std::string window;  ///< "FROM:TO", empty for the whole run
  std::vector<ScenarioComparison> others;
  std::vector<CostEffectivenessRow> cost_effectiveness;  ///< base first, then the others
  /// When every comparison is paired: the replicates every scenario ran, over which the
  /// table's means are taken. Empty when not paired (each scenario's own replicates).
  std::optional<std::size_t> cost_effectiveness_replicates;
};

/// Every other scenario of `file` against `base`. `window` "FROM:TO" must be one the
/// ensemble declared (--window); empty means the whole run. ConfigError for an unknown base
/// or window, IoError for a file that is not an ensemble.
[[nodiscard]] EnsembleComparison compare_ensemble(const std::filesystem::path& file,
                                                  const std::string& base,
                                                  const std::string& window = "");

/// Every scenario of `other_file` against the base scenario of `base_file` (its only one,
/// or `base` when named). Paired replicate by replicate when both files have the same seed.
[[nodiscard]] EnsembleComparison compare_ensembles(const std::filesystem::path& base_file,
                                                   const std::filesystem::path& other_file,
                                                   const std::string& base = "",
                                                   const std::string& window = "");

[[nodiscard]] std::string ensemble_comparison_table(const EnsembleComparison& c, bool all = false);
[[nodiscard]] std::string ensemble_comparison_json(const EnsembleComparison& c);

}  // namespace tipsim::analysis
