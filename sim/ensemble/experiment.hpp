#pragma once
/// The description of an experiment that an ensemble file records and that resuming,
/// extending and merging check: what was run (scenarios, design points, seed, windows,
/// series), as opposed to how (threads, ranks, slices) or how many replicates.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/ensemble/plan.hpp"

namespace tipsim::ensemble {

/// A scenario, or a scenario at one design point.
struct Cell {
  std::string name;            ///< unique in the experiment; names its series group
  std::uint32_t scenario = 0;  ///< index into Experiment::scenario_names
  std::int64_t point = -1;     ///< design point, -1 outside a sweep
};

/// The sampled points of a design (sweeps).
struct DesignTable {
  std::string method;               ///< grid, latin_hypercube, sobol or points
  std::vector<std::string> paths;   ///< parameter key paths
  std::vector<std::string> scales;  ///< linear or log, per parameter
  std::vector<double> values;       ///< points x parameters, row-major
  [[nodiscard]] std::size_t points() const {
    return paths.empty() ? 0 : values.size() / paths.size();
  }
  /// Point `point`'s (path, value) pairs, in parameter order.
  [[nodiscard]] std::vector<std::pair<std::string, double>> point(std::size_t point) const {
    std::vector<std::pair<std::string, double>> out;
    for (std::size_t j = 0; j < paths.size(); ++j)
      out.emplace_back(paths[j], values.at(point * paths.size() + j));
    return out;
  }
};

/// Quantile levels of the per-day bands, in the order they are stored.
inline constexpr double kBandLevels[] = {0.025, 0.1, 0.5, 0.9, 0.975};

struct Experiment {
  std::string kind = "ensemble";  ///< "ensemble" or "sweep"
  std::uint64_t seed = 0;
  Plan plan;
  std::vector<std::string> scenario_names;
  /// Each scenario resolved (defaults filled in, overrides applied): provenance, and what
  /// the fingerprint checks.
  std::vector<std::string> scenario_texts;
  std::vector<Cell> cells;
  std::vector<std::string> windows;  ///< "YYYY-MM-DD:YYYY-MM-DD"
  std::vector<std::string> series;   ///< names of the per-run daily series
  std::optional<DesignTable> design;
  /// Replicate r runs every cell with draw r of a calibration's posterior: its parameter
  /// values (a row of this table, method "posterior") and its key (seed, r).
  std::optional<DesignTable> posterior;
  std::optional<RunSlice> slice;  ///< the runs a part file holds; empty for all

  // Provenance, never compared.
  std::string version, git_commit, build_type, command_line;

  /// Lines "key: value" that identify the experiment, replicates and slice left out.
  [[nodiscard]] std::string fingerprint() const;
  /// The runs this process is asked for: the slice, or all.
  [[nodiscard]] std::vector<std::uint64_t> wanted_runs() const;
};

/// What differs between two fingerprints, for a message: "'a' there, 'b' here", the first
/// line each has that the other lacks; empty when they are equal.
[[nodiscard]] std::string fingerprint_difference(const std::string& ours,
                                                 const std::string& theirs);

}  // namespace tipsim::ensemble
