#pragma once
/// The sensitivity file (docs/OUTPUT.md, "Sensitivity files"): the parameters, the plan,
/// and per output the indices with their intervals, the output at each point and the share
/// of its variance due to chance.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/sensitivity/sensitivity.hpp"

namespace tipsim::sensitivity {

inline constexpr std::int64_t kSensitivitySchemaVersion = 1;

struct SensitivityParameter {
  std::string path;
  double min = 0, max = 0;
  bool log = false;
};

struct OutputIndices {
  std::string name;
  std::vector<double> point_means;  ///< the output at each point, mean over replicates
  /// The share of the runs' sum of squares that lies between replicates of one point
  /// (one-way analysis of variance): how much of the output's spread is chance (NaN with
  /// one replicate).
  double chance_share = 0;
  std::vector<MorrisIndex> morris;  ///< method "morris"
  std::vector<SobolIndex> sobol;    ///< method "sobol"
};

struct SensitivityResult {
  std::string method;  ///< "morris" or "sobol"
  std::vector<SensitivityParameter> parameters;
  Plan plan;                   ///< unit cube
  std::vector<double> values;  ///< points x parameters, each in its own scale
  std::uint32_t replicates = 1;
  std::uint64_t seed = 0;
  std::size_t sobol_base = 0;
  std::uint32_t morris_levels = 0;
  std::vector<OutputIndices> outputs;
  std::string runs_file, command_line, version, scenario_text;
};

/// Writes the whole file atomically.
void write_sensitivity_file(const std::filesystem::path& path, const SensitivityResult& r);
/// Reads one back; IoError when it is not one.
[[nodiscard]] SensitivityResult read_sensitivity_file(const std::filesystem::path& path);
[[nodiscard]] bool is_sensitivity_file(const std::filesystem::path& path);

}  // namespace tipsim::sensitivity
