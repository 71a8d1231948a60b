#pragma once
/// Comparison of two run files, BASE and OTHER, over one date window: every indicator of
/// their summaries side by side with its difference (OTHER minus BASE), the first date on
/// which their daily series part, and what the extra spend of OTHER bought.
///
/// Like the summary, it reads only the output schema (docs/OUTPUT.md).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "sim/date.hpp"

namespace tipsim::analysis {

/// One observation date found in both files. The department lists are cut down to the
/// departments both files have, in BASE order, so that `base.by_department[d]` and
/// `other.by_department[d]` name the same department; the other counts are the files' own.
struct ObservationPair {
  ObservationSummary base;
  ObservationSummary other;
};

/// One intervention matched by name; a side is empty when its file does not declare it.
struct InterventionPair {
  std::string name;
  std::string type;  ///< as OTHER declares it, else as BASE does
  std::optional<InterventionTotals> base;
  std::optional<InterventionTotals> other;
};

struct Comparison {
  std::string base_file;   ///< as given
  std::string other_file;  ///< as given
  /// Both summaries over the same window (`base.from` == `other.from`, same for `to`).
  Summary base;
  Summary other;
  /// Same seed and replicate, so the runs draw the same random numbers.
  bool same_key = false;
  /// First day on which the scenarios can make the runs differ (scenario_difference.hpp);
  /// empty when they differ in nothing that acts.
  std::optional<Date> first_scenario_difference;
  /// Common random numbers hold: same key, and the runs identical until their scenarios'
  /// first difference, so differences come from what differs in the scenarios rather than
  /// from chance.
  bool paired = false;
  /// First date, among the step dates both files recorded, on which any /timeseries dataset
  /// differs; empty when none does.
  std::optional<Date> first_divergence;
  std::optional<double> cost_per_victim_removed;      ///< FCFA per person
  std::optional<double> cost_per_victim_day_averted;  ///< FCFA per person-day
  std::vector<ObservationPair> observations;          ///< dates in both files, BASE order
  std::vector<Date> observation_dates_only_in_base;
  std::vector<Date> observation_dates_only_in_other;
  /// BASE's interventions in declaration order, then those only OTHER declares.
  std::vector<InterventionPair> interventions;
};

/// Compares two run files over one window. An empty bound defaults to the first (last) day
/// both runs simulated. Throws IoError for a file summarize() would refuse; ConfigError
/// when the runs share no day, or when the window is wrong for either file (the message
/// names the file).
[[nodiscard]] Comparison compare_runs(const std::filesystem::path& base,
                                      const std::filesystem::path& other,
                                      const SummaryOptions& options = {});

/// First date recorded in both files on which any dataset under /timeseries (including
/// /timeseries/by_site) differs; empty when none does or when they share no step date. A
/// dataset that only one file has, or that has a different number of columns in each,
/// differs from their first common date on.
[[nodiscard]] std::optional<Date> first_divergence(const std::filesystem::path& base,
                                                   const std::filesystem::path& other);

/// ΔFCFA spent / Δvictims removed (OTHER minus BASE); empty unless OTHER removed more
/// victims.
[[nodiscard]] std::optional<double> cost_per_victim_removed(const WindowTotals& base,
                                                            const WindowTotals& other);
/// ΔFCFA spent / victim-days of exploitation averted (BASE minus OTHER); empty unless
/// OTHER has fewer.
[[nodiscard]] std::optional<double> cost_per_victim_day_averted(const WindowTotals& base,
                                                                const WindowTotals& other);

/// Whether and why the runs are paired, in a sentence for a table.
[[nodiscard]] std::string pairing_text(const Comparison& c);

/// A fixed-width text table for a terminal: both runs, whether they are paired, the first
/// divergence, then base, other and difference for each indicator.
[[nodiscard]] std::string comparison_table(const Comparison& c);

/// The comparison as JSON, keys in a fixed order (docs/OUTPUT.md).
[[nodiscard]] std::string comparison_json(const Comparison& c);

}  // namespace tipsim::analysis
