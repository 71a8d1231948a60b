#pragma once
/// The tables of an ensemble or sweep file (docs/OUTPUT.md) that summaries and comparisons
/// need: the manifest and the per-run indicators, without the daily series.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/ensemble/experiment.hpp"

namespace tipsim::analysis {

struct EnsembleTable {
  std::string file;
  std::string kind;  ///< "ensemble" or "sweep"
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  std::uint64_t runs_planned = 0;
  std::vector<std::string> scenarios;
  std::vector<std::string> scenario_texts;  ///< resolved, in /scenarios order
  std::vector<ensemble::Cell> cells;
  std::optional<ensemble::DesignTable> design;
  std::vector<std::string> windows;
  // The manifest, one entry per run present.
  std::vector<std::uint64_t> run;
  std::vector<std::uint32_t> cell, replicate;  ///< derived from the run ids
  std::vector<std::uint8_t> status;            ///< 0 done, 1 failed
  std::vector<std::string> message;
  // The indicators: runs x names, row-major, NaN for no value.
  std::vector<std::string> names;
  std::vector<double> values;

  /// Index of the cell named `name` (a scenario name, or a point name in a sweep).
  [[nodiscard]] std::optional<std::size_t> find_cell(const std::string& name) const;
  /// Indicator `k` of every replicate of cell `c`, by replicate number; NaN where the
  /// replicate is missing, failed or has no value.
  [[nodiscard]] std::vector<double> by_replicate(std::size_t c, std::size_t k) const;
  /// Runs of cell `c` done and failed.
  [[nodiscard]] std::size_t done(std::size_t c) const;
  [[nodiscard]] std::size_t failed(std::size_t c) const;
};

/// Reads an ensemble or sweep file; IoError when it is not one (or is damaged).
[[nodiscard]] EnsembleTable read_ensemble_table(const std::filesystem::path& path);

/// The indicator names that belong to a window: for an empty window, every name without an
/// '@' suffix; for window "FROM:TO", the names suffixed "@FROM:TO" plus those that do not
/// depend on the window (observations and surveys). Pairs of (column index, name without
/// the suffix), in column order. Throws ConfigError when the window was not declared.
[[nodiscard]] std::vector<std::pair<std::size_t, std::string>> window_columns(
    const EnsembleTable& t, const std::string& window);

}  // namespace tipsim::analysis
