#pragma once
/// Global sensitivity analysis of a model's output to its parameters, on the unit cube
/// (each parameter's range mapped to [0, 1]; the caller scales points to its ranges):
///
/// - Morris elementary effects (Morris 1991) over trajectories of a p-level grid, the
///   trajectories chosen for spread among candidates (Campolongo et al. 2007): mu, mu*,
///   sigma, and a bootstrap interval for mu*.
/// - Sobol indices from Saltelli's sampling scheme on a Sobol sequence: first-order indices
///   by Saltelli et al. (2010), total indices by Jansen (1999), with bootstrap intervals.
///
/// Domain-free: the plans are points, the analyses take the outputs at those points.
#include <cstdint>
#include <vector>

namespace tipsim::sensitivity {

/// Points (rows) x parameters, row-major, in [0, 1].
struct Plan {
  std::size_t parameters = 0;
  std::vector<double> points;
  [[nodiscard]] std::size_t size() const {
    return parameters == 0 ? 0 : points.size() / parameters;
  }
};

struct Interval {
  double low = 0, high = 0;
};

// --- Morris ---------------------------------------------------------------------------

struct MorrisOptions {
  std::size_t trajectories = 10;
  std::uint32_t levels = 4;    ///< p: the grid has p values per parameter, Δ = p / (2(p - 1))
  std::size_t candidates = 0;  ///< trajectories generated to choose from; 0: 4 x trajectories
  std::uint64_t seed = 1;
};

/// `trajectories` trajectories of parameters + 1 points each, one after the other: each step
/// moves one parameter by Δ, every parameter once per trajectory.
[[nodiscard]] Plan morris_plan(std::size_t parameters, const MorrisOptions& options);

struct MorrisIndex {
  double mu = 0;              ///< mean elementary effect
  double mu_star = 0;         ///< mean absolute elementary effect: the parameter's importance
  double sigma = 0;           ///< sd of the elementary effects: interactions and non-linearity
  Interval mu_star_interval;  ///< 95%, bootstrap over trajectories
};

/// Elementary effects from the outputs at the plan's points (in the plan's order), per unit
/// of the parameter's range.
[[nodiscard]] std::vector<MorrisIndex> morris_indices(const Plan& plan,
                                                      const std::vector<double>& outputs,
                                                      std::size_t bootstrap = 1000,
                                                      std::uint64_t seed = 1);

// --- Sobol ----------------------------------------------------------------------------

/// Saltelli's scheme for `base` points: blocks A, B, then AB_1 .. AB_k (A with column i from
/// B), each `base` rows: base x (parameters + 2) points. A and B are the two halves of a
/// 2k-dimensional Sobol sequence (Boost's, which starts after the origin).
[[nodiscard]] Plan sobol_plan(std::size_t parameters, std::size_t base);

struct SobolIndex {
  double first = 0;                         ///< S1
  double total = 0;                         ///< ST
  Interval first_interval, total_interval;  ///< 95%, bootstrap over base points
};

[[nodiscard]] std::vector<SobolIndex> sobol_indices(std::size_t parameters, std::size_t base,
                                                    const std::vector<double>& outputs,
                                                    std::size_t bootstrap = 1000,
                                                    std::uint64_t seed = 1);

}  // namespace tipsim::sensitivity
