#pragma once
/// Designs of experiments: the points at which a sweep runs its scenario, sampled from
/// parameter ranges. Sampling is kept apart from running so that calibration and
/// sensitivity analysis can reuse both.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/ensemble/experiment.hpp"

namespace tipsim::ensemble {

/// One parameter of a design.
struct DesignParameter {
  std::string path;            ///< key path, as `--set` takes it
  double min = 0, max = 0;     ///< the range, for grid, latin_hypercube and sobol
  bool log = false;            ///< sample uniformly in log(value)
  std::uint32_t levels = 0;    ///< grid: values from min to max, ends included
  std::vector<double> values;  ///< points: this parameter's column; grid: explicit levels
  bool integer = false;        ///< round each value to the nearest integer
};

enum class DesignMethod { grid, latin_hypercube, sobol, points };
[[nodiscard]] const char* to_string(DesignMethod m);

struct DesignSpec {
  DesignMethod method = DesignMethod::grid;
  std::uint32_t points = 0;  ///< latin_hypercube and sobol
  std::uint64_t seed = 1;    ///< latin_hypercube: its own random stream, not the runs'
  std::vector<DesignParameter> parameters;
};

/// A value at unit position u in [0, 1] of a parameter's range (log scale honoured, integer
/// rounding applied).
[[nodiscard]] double scale_unit(const DesignParameter& p, double u);

/// The grid's levels of one parameter: its explicit values, or `levels` values evenly spaced
/// on its scale from min to max.
[[nodiscard]] std::vector<double> grid_levels(const DesignParameter& p);

/// Samples the design's points (row-major, points x parameters). Grid: every combination,
/// the last parameter varying fastest. Latin hypercube: each parameter's range cut into
/// `points` equal strata (on its scale), one point in each, strata paired at random.
/// Sobol: the first `points` points of Boost's Sobol sequence (which leaves out the origin
/// of the unit cube, so it starts at 0.5 in every dimension). Points: the parameters' value columns
/// side by side.
[[nodiscard]] DesignTable sample_design(const DesignSpec& spec);

}  // namespace tipsim::ensemble
