#pragma once
/// Counter-based random numbers (Philox4x32-10 from Random123).
///
/// A draw is a pure function of (seed, replicate, stream, step, agent, draw index): no
/// generator state is carried between draws, so results do not depend on how agents are
/// split across threads, and two scenarios that differ in one process share every draw of
/// the others (common random numbers).
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace tipsim {

/// Named streams, one per process. Values are part of the output's reproducibility
/// contract: never renumber an existing stream, only append.
enum class Stream : std::uint32_t {
  world_build = 1,
  social_network = 2,
  organisation = 3,
  gold_luck = 4,
  orders = 5,
  recruitment = 6,
  transit = 7,
  exploitation = 8,
  exits = 9,
  protection = 10,
  prosecution = 11,
  free_wecs = 12,
  replacement = 13,
  observation = 14,
  arrival = 15,
  transit_legs = 16,
  acquaintance = 17,      ///< ties among women at the sites
  survey_sampling = 18,   ///< who a virtual survey reaches, and what she reports
  survey_bootstrap = 19,  ///< resampling for the estimators' intervals
  design = 20,            ///< sampling the points of a design of experiments
  experiment = 21,        ///< resampling replicates for ensemble intervals
  calibration = 22,       ///< the ABC sampler's proposals and the seeds of its simulations
  sensitivity = 23,       ///< Morris trajectories, bootstrap of sensitivity indices
};

/// Stateless source of uniform draws keyed by (seed, replicate).
class RandomKey {
 public:
  RandomKey(std::uint64_t seed, std::uint32_t replicate) : seed_(seed), replicate_(replicate) {}

  /// Four independent 32-bit words for (stream, step, agent, block).
  [[nodiscard]] r123::Philox4x32::ctr_type block(Stream stream, std::uint32_t step,
                                                 std::uint32_t agent,
                                                 std::uint32_t block_index) const {
    r123::Philox4x32 philox;
    const r123::Philox4x32::key_type key = {
        {static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32)}};
    // The replicate shares the block word's upper bits so one counter stays 128 bits.
    const r123::Philox4x32::ctr_type ctr = {
        {static_cast<std::uint32_t>(stream), step, agent, (replicate_ << 20) ^ block_index}};
    return philox(ctr, key);
  }

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] std::uint32_t replicate() const { return replicate_; }

 private:
  std::uint64_t seed_;
  std::uint32_t replicate_;
};

/// Draws for one (stream, step, agent): a cursor over consecutive Philox blocks.
/// Cheap to construct; create one per agent per phase.
class Draws {
 public:
  Draws(const RandomKey& key, Stream stream, std::uint32_t step, std::uint32_t agent)
      : key_(&key), stream_(stream), step_(step), agent_(agent) {}

  /// Uniform in the open interval (0, 1).
  double uniform() {
    if (used_ == 4) refill();
    const std::uint32_t word = words_.v[used_++];
    return (static_cast<double>(word) + 0.5) * (1.0 / 4294967296.0);
  }
  bool bernoulli(double p) { return uniform() < p; }
  /// Integer uniform in [0, n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(uniform() * static_cast<double>(n));
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double exponential(double rate) { return -std::log(uniform()) / rate; }
  double normal() {
    // Box-Muller; one value per call keeps the count of draws per call fixed.
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Log-normal with the given mean and coefficient of variation.
  double lognormal_mean_cv(double mean, double cv) {
    if (cv <= 0.0) return mean;
    const double s2 = std::log1p(cv * cv);
    return mean * std::exp(std::sqrt(s2) * normal() - 0.5 * s2);
  }
  /// Poisson by inversion for small means, normal approximation above 50.
  std::uint32_t poisson(double mean);

 private:
  void refill() {
    words_ = key_->block(stream_, step_, agent_, block_++);
    used_ = 0;
  }
  const RandomKey* key_;
  Stream stream_;
  std::uint32_t step_;
  std::uint32_t agent_;
  std::uint32_t block_ = 0;
  r123::Philox4x32::ctr_type words_{};
  unsigned used_ = 4;
};

/// Poisson draws of one mean, many times: the cumulative probabilities are computed once,
/// by the same recurrence as Draws::poisson, so `sample` returns exactly what
/// `d.poisson(mean)` would, draw for draw, with a search instead of a loop of divisions.
class PoissonTable {
 public:
  explicit PoissonTable(double mean = 0.0) { assign(mean); }
  /// Recomputes the table for another mean, keeping its memory.
  void assign(double mean);
  [[nodiscard]] std::uint32_t sample(Draws& d) const;

 private:
  double mean_ = 0.0;
  std::vector<double> cumulative_;  // P(X <= k), up to where adding terms changes nothing
};

/// Per-step probability of an event with the given rate over a step of `dt` in the same
/// time unit: 1 - exp(-rate * dt).
inline double rate_to_probability(double rate, double dt) {
  return -std::expm1(-rate * dt);
}

}  // namespace tipsim
