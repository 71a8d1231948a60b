#pragma once
/// Summary of an ensemble or sweep file: each indicator's spread over the replicates of
/// each scenario (or design point).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "analysis/ensemble_table.hpp"
#include "sim/stats/replicates.hpp"

namespace tipsim::analysis {

struct CellSummary {
  std::string name;      ///< scenario name, or point name in a sweep
  std::string scenario;  ///< scenario name
  std::int64_t point = -1;
  std::vector<std::pair<std::string, double>> parameters;  ///< a sweep point's values
  std::size_t done = 0, failed = 0;
  /// Every indicator some run of the file has, in /indicators/name order.
  std::vector<std::pair<std::string, stats::Spread>> indicators;
};

struct EnsembleSummary {
  std::string file;
  std::string kind;
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  std::uint64_t runs_planned = 0, runs_done = 0, runs_failed = 0;
  std::vector<std::string> windows;
  std::vector<CellSummary> cells;
};

[[nodiscard]] EnsembleSummary summarize_ensemble(const std::filesystem::path& file);

/// A text table: per cell, the totals over the run and over each window, the survey
/// estimates and the true shares; `all` lists every indicator instead.
[[nodiscard]] std::string ensemble_summary_table(const EnsembleSummary& s, bool all = false);
/// The summary as JSON (docs/OUTPUT.md).
[[nodiscard]] std::string ensemble_summary_json(const EnsembleSummary& s);

/// Whether a table shows indicator `name` by default.
[[nodiscard]] bool is_headline_indicator(const std::string& name);

/// A number for a table: integers without decimals, others with 4 significant digits.
[[nodiscard]] std::string format_number(double v);

}  // namespace tipsim::analysis
