#include "sim/calibration/abc_smc.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/random.hpp"

namespace tipsim::calibration {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
/// Tries to perturb a particle into the prior's support before giving up on the problem.
constexpr int kMaxPerturbations = 10000;
/// Failed simulations (per particle wanted) after which a generation with no acceptance
/// gives up: every run failing means a setting the model refuses, not bad luck.
constexpr std::uint64_t kMaxFailuresBeforeAny = 4;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The previous generation in working space, with what proposing from it needs.
class Proposal {
 public:
  Proposal(std::span<const Prior> priors, const AbcGeneration& g)
      : priors_(priors), weights_(g.weights) {
    const auto n = static_cast<Eigen::Index>(g.size());
    const auto p = static_cast<Eigen::Index>(priors.size());
    z_.resize(n, p);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < p; ++j)
        z_(i, j) = priors[static_cast<std::size_t>(j)].to_working(
            g.particles[static_cast<std::size_t>(i * p + j)]);
    const Eigen::Map<const Eigen::VectorXd> w(g.weights.data(), n);
    const Eigen::RowVectorXd mean = w.transpose() * z_;
    const Eigen::MatrixXd centred = z_.rowwise() - mean;
    // Twice the weighted covariance (Beaumont et al. 2009), kept positive definite when a
    // parameter has collapsed onto one value.
    Eigen::MatrixXd cov = 2.0 * centred.transpose() * w.asDiagonal() * centred;
    for (Eigen::Index j = 0; j < p; ++j)
      cov(j, j) = std::max(cov(j, j), 1e-12 * (1.0 + mean(j) * mean(j)));
    Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() != Eigen::Success) {
      cov.diagonal().array() += 1e-9 * cov.diagonal().maxCoeff();
      llt.compute(cov);
    }
    chol_ = llt.matrixL();
    cumulative_.resize(g.weights.size());
    std::partial_sum(g.weights.begin(), g.weights.end(), cumulative_.begin());
  }

  /// A perturbed copy of a particle drawn by weight, inside the prior's support. A draw
  /// that falls outside starts again from a new parent: the proposal is then the mixture of
  /// kernels restricted to the support, whose normalising constant is the same for every
  /// particle (keeping the parent would weigh each kernel by its own mass inside, which the
  /// weights do not account for).
  Eigen::VectorXd propose(Draws& d) const {
    const auto p = z_.cols();
    for (int attempt = 0; attempt < kMaxPerturbations; ++attempt) {
      const double u = d.uniform() * cumulative_.back();
      const auto parent = static_cast<Eigen::Index>(std::min<std::size_t>(
          std::lower_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin(),
          cumulative_.size() - 1));
      Eigen::VectorXd xi(p);
      for (Eigen::Index j = 0; j < p; ++j) xi(j) = d.normal();
      const Eigen::VectorXd z = z_.row(parent).transpose() + chol_ * xi;
      if (std::isfinite(log_prior(priors_, z))) return z;
    }
    throw std::runtime_error(
        "ABC-SMC: perturbed particles keep falling outside the prior's support");
  }

  /// Log of the importance weight of `z`: prior over the mixture of kernels it was drawn
  /// from, up to a constant common to every particle.
  [[nodiscard]] double log_weight(const Eigen::VectorXd& z) const {
    const auto n = z_.rows();
    double most = -kInfinity;
    std::vector<double> terms(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::VectorXd diff = z - z_.row(i).transpose();
      const Eigen::VectorXd solved = chol_.triangularView<Eigen::Lower>().solve(diff);
      const double term =
          std::log(weights_[static_cast<std::size_t>(i)]) - 0.5 * solved.squaredNorm();
      terms[static_cast<std::size_t>(i)] = term;
      most = std::max(most, term);
    }
    double sum = 0;
    for (const double t : terms) sum += std::exp(t - most);
    return log_prior(priors_, z) - (most + std::log(sum));
  }

  static double log_prior(std::span<const Prior> priors, const Eigen::VectorXd& z) {
    double sum = 0;
    for (std::size_t j = 0; j < priors.size(); ++j)
      sum += priors[j].log_density(z(static_cast<Eigen::Index>(j)));
    return sum;
  }

 private:
  std::span<const Prior> priors_;
  std::vector<double> weights_;
  Eigen::MatrixXd z_;     // particles x parameters, working space
  Eigen::MatrixXd chol_;  // lower Cholesky factor of the kernel's covariance
  std::vector<double> cumulative_;
};

/// Candidate k of generation t: its parameters and its simulation's seed, from its own
/// stream alone.
Candidate make_candidate(std::span<const Prior> priors, const Proposal* from, const RandomKey& key,
                         std::size_t t, std::uint64_t k, Eigen::VectorXd& z) {
  Draws d(key, Stream::calibration, static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(k));
  if (from == nullptr) {
    z.resize(static_cast<Eigen::Index>(priors.size()));
    for (std::size_t j = 0; j < priors.size(); ++j)
      z(static_cast<Eigen::Index>(j)) = priors[j].quantile(d.uniform());
  } else {
    z = from->propose(d);
  }
  Candidate c;
  for (std::size_t j = 0; j < priors.size(); ++j)
    c.parameters.push_back(priors[j].from_working(z(static_cast<Eigen::Index>(j))));
  // The seed comes from a block the draws above never reach.
  const auto words = key.block(Stream::calibration, static_cast<std::uint32_t>(t),
                               static_cast<std::uint32_t>(k), 0xFFFFFFFFu);
  c.seed = (std::uint64_t{words.v[0]} << 32) | words.v[1];
  return c;
}

}  // namespace

std::string_view stop_reason_name(StopReason r) {
  constexpr std::array<std::string_view, 5> kNames = {
      "max_generations", "min_tolerance", "min_acceptance", "max_simulations", "max_seconds"};
  return kNames[static_cast<std::size_t>(r)];
}

BatchEvaluator parallel_evaluator(std::function<double(const Candidate&)> distance) {
  return [distance = std::move(distance)](const std::vector<Candidate>& batch) {
    std::vector<double> out(batch.size(), kInfinity);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          try {
                            out[i] = distance(batch[i]);
                          } catch (const std::exception&) {
                            out[i] = kInfinity;  // a failed simulation is rejected
                          }
                        }
                      });
    return out;
  };
}

double weighted_quantile(std::span<const double> values, std::span<const double> weights,
                         double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0;
  for (const std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total * (1 - 1e-12)) return values[i];
  }
  return values[order.back()];
}

double next_tolerance(const AbcGeneration& g, double q) {
  const double quantile = weighted_quantile(g.distances, g.weights, q);
  if (quantile < g.tolerance) return quantile;
  // Distances that take few values (counts) can leave the quantile at the tolerance itself,
  // which would repeat the same generation: take the largest distance below it instead.
  double below = -std::numeric_limits<double>::infinity();
  for (const double d : g.distances)
    if (d < g.tolerance) below = std::max(below, d);
  return std::isfinite(below) ? below : quantile;
}

AbcResult run_abc_smc(std::span<const Prior> priors, const BatchEvaluator& evaluate,
                      const AbcOptions& options, std::vector<AbcGeneration> done,
                      const std::function<void(const AbcGeneration&)>& on_generation) {
  if (priors.empty()) throw std::invalid_argument("ABC-SMC: no parameter to calibrate");
  if (options.population < 2) throw std::invalid_argument("ABC-SMC: population below 2");
  const auto start = Clock::now();
  const RandomKey key(options.seed, 0);
  const std::size_t n = options.population;
  const std::size_t batch = options.batch > 0 ? options.batch : n;
  AbcResult result;
  result.generations = std::move(done);
  std::uint64_t simulations = 0;
  for (const auto& g : result.generations) simulations += g.simulations;

  while (true) {
    const std::size_t t = result.generations.size();
    // The rules that need no new generation.
    if (t >= options.max_generations) {
      result.stopped = StopReason::max_generations;
      return result;
    }
    if (t > 0) {
      const AbcGeneration& last = result.generations.back();
      if (last.tolerance <= options.min_tolerance) {
        result.stopped = StopReason::min_tolerance;
        return result;
      }
      if (last.acceptance_rate < options.min_acceptance) {
        result.stopped = StopReason::min_acceptance;
        return result;
      }
    }
    if (options.max_simulations > 0 && simulations >= options.max_simulations) {
      result.stopped = StopReason::max_simulations;
      return result;
    }
    if (options.max_seconds > 0 && seconds_since(start) >= options.max_seconds) {
      result.stopped = StopReason::max_seconds;
      return result;
    }

    const auto t0 = Clock::now();
    std::optional<Proposal> proposal;
    AbcGeneration g;
    g.index = t;
    g.tolerance = kInfinity;
    if (t > 0) {
      proposal.emplace(priors, result.generations.back());
      g.tolerance = std::max(next_tolerance(result.generations.back(), options.quantile),
                             options.min_tolerance);
    }
    std::vector<Eigen::VectorXd> accepted_z;
    std::uint64_t next = 0;
    bool cut_short = false;
    while (g.size() < n && !cut_short) {
      std::vector<Candidate> candidates;
      std::vector<Eigen::VectorXd> zs(batch);
      for (std::size_t i = 0; i < batch; ++i)
        candidates.push_back(
            make_candidate(priors, proposal ? &*proposal : nullptr, key, t, next + i, zs[i]));
      const std::vector<double> distances = evaluate(candidates);
      if (distances.size() != candidates.size())
        throw std::logic_error("ABC-SMC: the evaluator returned the wrong number of distances");
      for (std::size_t i = 0; i < batch && g.size() < n; ++i) {
        // The budget binds at the same candidate however the candidates were batched.
        if (options.max_simulations > 0 && simulations + g.simulations >= options.max_simulations) {
          result.stopped = StopReason::max_simulations;
          cut_short = true;
          break;
        }
        ++g.simulations;
        const double d = distances[i];
        if (!std::isfinite(d)) ++g.failed;
        if (!(d <= g.tolerance) || !std::isfinite(d)) continue;
        g.particles.insert(g.particles.end(), candidates[i].parameters.begin(),
                           candidates[i].parameters.end());
        g.distances.push_back(d);
        g.weights.push_back(0);
        accepted_z.push_back(std::move(zs[i]));
      }
      next += batch;
      if (g.size() < n && !cut_short) {
        if (options.max_seconds > 0 && seconds_since(start) >= options.max_seconds) {
          result.stopped = StopReason::max_seconds;
          cut_short = true;
        } else if (g.size() == 0 && g.failed >= kMaxFailuresBeforeAny * n) {
          throw std::runtime_error(
              "ABC-SMC: the first " + std::to_string(g.failed) + " simulations of generation " +
              std::to_string(t) +
              " all failed; check that the scenario accepts the priors' values");
        }
      }
    }
    if (cut_short) return result;  // an incomplete generation is dropped

    // Importance weights: uniform for prior draws, prior over proposal density after.
    std::vector<double> log_w(n, 0.0);
    if (proposal)
      for (std::size_t i = 0; i < n; ++i) log_w[i] = proposal->log_weight(accepted_z[i]);
    const double most = *std::max_element(log_w.begin(), log_w.end());
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += (g.weights[i] = std::exp(log_w[i] - most));
    double squares = 0;
    for (double& w : g.weights) {
      w /= sum;
      squares += w * w;
    }
    g.effective_sample_size = 1.0 / squares;
    g.acceptance_rate = static_cast<double>(n) / static_cast<double>(g.simulations);
    g.seconds = seconds_since(t0);
    simulations += g.simulations;
    result.generations.push_back(std::move(g));
    if (on_generation) on_generation(result.generations.back());
  }
}

}  // namespace tipsim::calibration
