#pragma once
/// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC; Toni et al. 2009,
/// with the weights and kernel of Beaumont et al. 2009): a population of parameter
/// vectors is moved through generations of shrinking tolerance. Generation 0 samples the
/// prior and accepts everything; each later one proposes from the previous population,
/// perturbed by a multivariate normal kernel of twice its weighted covariance (in the
/// priors' working space), keeps what simulates within the tolerance, and weighs it by
/// prior over proposal density. The tolerance is a quantile of the previous generation's
/// distances.
///
/// Domain-free: a simulation is a function from parameters and a seed to a distance.
/// Deterministic: candidate k of generation t draws from its own Philox stream (seed, t, k)
/// and the first `population` acceptances in candidate order form the generation, however
/// many candidates are evaluated at once and on however many threads.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/calibration/prior.hpp"

namespace tipsim::calibration {

/// One candidate to simulate: its parameters (in their own scale) and the seed of its
/// simulation.
struct Candidate {
  std::vector<double> parameters;
  std::uint64_t seed = 0;
};

/// Distances of a batch of candidates, in order (+infinity, or NaN, for a failed
/// simulation: it is rejected). May evaluate them in parallel.
using BatchEvaluator = std::function<std::vector<double>(const std::vector<Candidate>&)>;

/// Wraps a one-candidate distance into a BatchEvaluator running the batch with TBB on the
/// current arena; a candidate whose simulation throws gets +infinity.
[[nodiscard]] BatchEvaluator parallel_evaluator(std::function<double(const Candidate&)> distance);

struct AbcOptions {
  std::size_t population = 100;  ///< accepted particles per generation
  std::size_t max_generations = 8;
  std::uint64_t max_simulations = 0;  ///< over all generations; 0: no limit
  double min_acceptance = 0;          ///< stop once a generation accepts fewer
  double min_tolerance = 0;           ///< stop once a generation's tolerance is this low
  double max_seconds = 0;             ///< wall time; 0: no limit
  double quantile = 0.5;              ///< of the previous distances, the next tolerance
  std::uint64_t seed = 1;
  /// Candidates evaluated at once; 0: the population. Only how much work is wasted past the
  /// last acceptance depends on it, never the result.
  std::size_t batch = 0;
};

struct AbcGeneration {
  std::size_t index = 0;
  double tolerance = 0;  ///< +infinity for generation 0
  /// particles x parameters, row-major, each in its own scale.
  std::vector<double> particles;
  std::vector<double> weights;  ///< normalised to sum 1
  std::vector<double> distances;
  /// Candidates up to and including the last one accepted: the simulations the generation
  /// needed (those evaluated past it in the same batch are not counted).
  std::uint64_t simulations = 0;
  std::uint64_t failed = 0;  ///< of them, simulations that failed
  double acceptance_rate = 0;
  double effective_sample_size = 0;  ///< 1 / sum of squared weights
  double seconds = 0;                ///< wall time of the generation

  [[nodiscard]] std::size_t size() const { return weights.size(); }
};

/// Why a calibration stopped.
enum class StopReason : std::uint8_t {
  max_generations,
  min_tolerance,
  min_acceptance,
  max_simulations,
  max_seconds,
};
[[nodiscard]] std::string_view stop_reason_name(StopReason r);

struct AbcResult {
  std::vector<AbcGeneration> generations;
  StopReason stopped = StopReason::max_generations;
};

/// Runs the sampler from `done` (complete generations of an earlier run of the same
/// problem, options and seed: it continues after them, with the result an uninterrupted
/// run gives) until a stopping rule holds. `on_generation` sees each new generation as it
/// completes (to save it); a generation cut short by max_simulations or max_seconds is
/// dropped.
[[nodiscard]] AbcResult run_abc_smc(
    std::span<const Prior> priors, const BatchEvaluator& evaluate, const AbcOptions& options,
    std::vector<AbcGeneration> done = {},
    const std::function<void(const AbcGeneration&)>& on_generation = {});

/// The tolerance that follows `g`: the weighted `q`-quantile of its distances.
[[nodiscard]] double next_tolerance(const AbcGeneration& g, double q);

/// Weighted q-quantile of `values` (the smallest value whose cumulative weight reaches q).
[[nodiscard]] double weighted_quantile(std::span<const double> values,
                                       std::span<const double> weights, double q);

}  // namespace tipsim::calibration
