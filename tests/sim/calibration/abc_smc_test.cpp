// ABC-SMC on problems whose posterior is known in closed form; determinism whatever the
// batch and the threads; resuming; the stopping rules.
#include "sim/calibration/abc_smc.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "sim/calibration/calibration_file.hpp"
#include "sim/random.hpp"

namespace tipsim::calibration {
namespace {

/// Weighted mean and variance of parameter `j` of a generation.
std::pair<double, double> moments(const AbcGeneration& g, std::size_t j, std::size_t params) {
  double mean = 0, square = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double x = g.particles[i * params + j];
    mean += g.weights[i] * x;
    square += g.weights[i] * x * x;
  }
  return {mean, square - mean * mean};
}

/// Draws of a candidate's own simulation.
Draws simulation_draws(const RandomKey& key, std::uint64_t seed) {
  return {key, Stream::survey_sampling, static_cast<std::uint32_t>(seed >> 32),
          static_cast<std::uint32_t>(seed)};
}

// k of 20 trials with a Beta(2, 3) prior on p, k = 7 observed: the posterior is
// Beta(9, 16) exactly once the tolerance reaches 0.
double binomial_distance(const Candidate& c) {
  const RandomKey key(99, 0);
  Draws d = simulation_draws(key, c.seed);
  int k = 0;
  for (int i = 0; i < 20; ++i) k += d.bernoulli(c.parameters[0]) ? 1 : 0;
  return std::abs(k - 7);
}

TEST(AbcSmcTest, BinomialProportionWithABetaPriorGivesTheBetaPosterior) {
  const std::vector<Prior> priors{Prior::beta(2, 3)};
  AbcOptions o;
  o.population = 2000;
  o.max_generations = 10;
  o.seed = 5;
  const AbcResult r = run_abc_smc(priors, parallel_evaluator(binomial_distance), o);
  EXPECT_EQ(r.stopped, StopReason::min_tolerance);
  const AbcGeneration& last = r.generations.back();
  EXPECT_EQ(last.tolerance, 0.0);
  const auto [mean, variance] = moments(last, 0, 1);
  const double true_mean = 9.0 / 25, true_variance = 9.0 * 16 / (25.0 * 25 * 26);
  EXPECT_NEAR(mean, true_mean, 4 * std::sqrt(true_variance / last.effective_sample_size));
  EXPECT_NEAR(variance / true_variance, 1.0, 0.15);
  EXPECT_EQ(r.generations.front().tolerance, std::numeric_limits<double>::infinity());
  for (const auto& g : r.generations) {
    EXPECT_EQ(g.size(), 2000u);
    double sum = 0;
    for (double w : g.weights) sum += w;
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_GE(g.simulations, 2000u);
    EXPECT_DOUBLE_EQ(g.acceptance_rate, 2000.0 / static_cast<double>(g.simulations));
    for (double d : g.distances) EXPECT_LE(d, g.tolerance);
  }
  for (std::size_t t = 2; t < r.generations.size(); ++t)
    EXPECT_LE(r.generations[t].tolerance, r.generations[t - 1].tolerance);
}

// Two parameters at once, independent: the mean of 25 normal observations (sd 1) with a
// flat prior (posterior N(1.3, 1/25)), and the rate of 30 exponential observations summing
// to 15 with a log-uniform prior (posterior Gamma(30, 15): mean 2, variance 2/15). The
// rate is perturbed in its logarithm.
double two_parameter_distance(const Candidate& c) {
  const RandomKey key(7, 0);
  Draws d = simulation_draws(key, c.seed);
  const double mean = c.parameters[0] + d.normal() / 5.0;
  double sum = 0;
  for (int i = 0; i < 30; ++i) sum += d.exponential(c.parameters[1]);
  return std::max(std::abs(mean - 1.3) / 0.2, std::abs(sum - 15) / (15 / std::sqrt(30.0)));
}

TEST(AbcSmcTest, NormalMeanAndExponentialRateTogether) {
  const std::vector<Prior> priors{Prior::uniform(-10, 10), Prior::log_uniform(0.1, 10)};
  AbcOptions o;
  o.population = 2000;
  o.max_generations = 20;
  o.min_tolerance = 0.1;
  o.quantile = 0.3;
  o.seed = 11;
  const AbcResult r = run_abc_smc(priors, parallel_evaluator(two_parameter_distance), o);
  ASSERT_EQ(r.stopped, StopReason::min_tolerance);
  const AbcGeneration& last = r.generations.back();
  EXPECT_DOUBLE_EQ(last.tolerance, 0.1);
  const double ess = last.effective_sample_size;
  EXPECT_GT(ess, 1000);
  const auto [mu, mu_var] = moments(last, 0, 2);
  EXPECT_NEAR(mu, 1.3, 4 * std::sqrt(0.04 / ess));
  EXPECT_NEAR(mu_var / 0.04, 1.0, 0.2);
  const auto [rate, rate_var] = moments(last, 1, 2);
  EXPECT_NEAR(rate, 2.0, 4 * std::sqrt((2.0 / 15) / ess));
  EXPECT_NEAR(rate_var / (2.0 / 15), 1.0, 0.2);
}

// A normal prior N(0, 2^2) and four observations of sd 1 with mean 1.3: the posterior is
// normal with precision 1/4 + 4 and mean 5.2 / 4.25.
double conjugate_distance(const Candidate& c) {
  const RandomKey key(3, 0);
  Draws d = simulation_draws(key, c.seed);
  return std::abs(c.parameters[0] + d.normal() / 2.0 - 1.3);
}

TEST(AbcSmcTest, NormalPriorWeighsAsTheConjugatePosteriorSays) {
  const std::vector<Prior> priors{Prior::normal(0, 2)};
  AbcOptions o;
  o.population = 2000;
  o.max_generations = 20;
  o.min_tolerance = 0.01;
  o.seed = 17;
  const AbcResult r = run_abc_smc(priors, parallel_evaluator(conjugate_distance), o);
  ASSERT_EQ(r.stopped, StopReason::min_tolerance);
  const AbcGeneration& last = r.generations.back();
  const double variance = 1 / 4.25, mean = 5.2 / 4.25;
  const auto [m, v] = moments(last, 0, 1);
  EXPECT_NEAR(m, mean, 4 * std::sqrt(variance / last.effective_sample_size));
  EXPECT_NEAR(v / variance, 1.0, 0.15);
}

bool same(const AbcResult& a, const AbcResult& b) {
  if (a.generations.size() != b.generations.size() || a.stopped != b.stopped) return false;
  for (std::size_t t = 0; t < a.generations.size(); ++t) {
    const auto &x = a.generations[t], &y = b.generations[t];
    if (x.particles != y.particles || x.weights != y.weights || x.distances != y.distances ||
        x.simulations != y.simulations || x.tolerance != y.tolerance || x.failed != y.failed)
      return false;
  }
  return true;
}

TEST(AbcSmcTest, TheSameWhateverTheBatchAndTheThreads) {
  const std::vector<Prior> priors{Prior::uniform(-10, 10), Prior::log_uniform(0.1, 10)};
  AbcOptions o;
  o.population = 200;
  o.max_generations = 4;
  o.seed = 23;
  const auto evaluate = parallel_evaluator(two_parameter_distance);
  AbcResult reference;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    reference = run_abc_smc(priors, evaluate, o);
  }
  for (const std::size_t batch : {std::size_t{7}, std::size_t{200}, std::size_t{1000}}) {
    o.batch = batch;
    EXPECT_TRUE(same(run_abc_smc(priors, evaluate, o), reference)) << batch;
  }
  // A simulation budget binds at the same candidate whatever the batch.
  o.max_generations = 10;
  o.max_simulations = 900;
  o.batch = 7;
  const AbcResult small = run_abc_smc(priors, evaluate, o);
  o.batch = 300;
  EXPECT_TRUE(same(run_abc_smc(priors, evaluate, o), small));
  EXPECT_EQ(small.stopped, StopReason::max_simulations);
  o.max_generations = 4;
  o.max_simulations = 0;
  o.seed = 24;
  EXPECT_FALSE(same(run_abc_smc(priors, evaluate, o), reference));
}

TEST(AbcSmcTest, ResumingGivesWhatAnUninterruptedRunGives) {
  const std::vector<Prior> priors{Prior::beta(2, 3)};
  const auto evaluate = parallel_evaluator(binomial_distance);
  AbcOptions o;
  o.population = 300;
  o.max_generations = 4;
  o.seed = 31;
  std::vector<std::size_t> seen;
  const AbcResult whole = run_abc_smc(priors, evaluate, o, {},
                                      [&](const AbcGeneration& g) { seen.push_back(g.index); });
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 3}));
  o.max_generations = 2;
  const AbcResult first = run_abc_smc(priors, evaluate, o);
  ASSERT_EQ(first.generations.size(), 2u);
  o.max_generations = 4;
  seen.clear();
  const AbcResult rest = run_abc_smc(priors, evaluate, o, first.generations,
                                     [&](const AbcGeneration& g) { seen.push_back(g.index); });
  EXPECT_EQ(seen, (std::vector<std::size_t>{2, 3}));
  EXPECT_TRUE(same(rest, whole));
}

TEST(AbcSmcTest, StoppingRules) {
  const std::vector<Prior> priors{Prior::beta(2, 3)};
  const auto evaluate = parallel_evaluator(binomial_distance);
  AbcOptions o;
  o.population = 100;
  o.max_generations = 50;
  o.seed = 3;
  // A budget of simulations: the generation it cuts short is dropped.
  o.max_simulations = 450;
  AbcResult r = run_abc_smc(priors, evaluate, o);
  EXPECT_EQ(r.stopped, StopReason::max_simulations);
  std::uint64_t used = 0;
  for (const auto& g : r.generations) {
    EXPECT_EQ(g.size(), 100u);
    used += g.simulations;
  }
  EXPECT_LE(used, 450u);
  // A floor on the acceptance rate: the last generation is the first below it.
  o.max_simulations = 0;
  o.min_acceptance = 0.5;
  r = run_abc_smc(priors, evaluate, o);
  EXPECT_EQ(r.stopped, StopReason::min_acceptance);
  EXPECT_LT(r.generations.back().acceptance_rate, 0.5);
  for (std::size_t t = 0; t + 1 < r.generations.size(); ++t)
    EXPECT_GE(r.generations[t].acceptance_rate, 0.5);
  o.min_acceptance = 0;
  o.max_generations = 3;
  EXPECT_EQ(run_abc_smc(priors, evaluate, o).generations.size(), 3u);
}

TEST(AbcSmcTest, FailedSimulationsAreRejectedAndCounted) {
  const std::vector<Prior> priors{Prior::uniform(0, 1)};
  // Simulations of p above 0.5 fail; the posterior is the prior below it.
  const auto evaluate = parallel_evaluator([](const Candidate& c) {
    if (c.parameters[0] > 0.5) throw std::runtime_error("no");
    return 0.0;
  });
  AbcOptions o;
  o.population = 500;
  o.max_generations = 2;
  const AbcResult r = run_abc_smc(priors, evaluate, o);
  for (const auto& g : r.generations) {
    EXPECT_GT(g.failed, 0u);
    EXPECT_EQ(g.simulations - g.failed, 500u);
    for (std::size_t i = 0; i < g.size(); ++i) EXPECT_LE(g.particles[i], 0.5);
  }
}

TEST(AbcSmcTest, AGenerationWhoseRunsAllFailStopsWithAMessage) {
  const std::vector<Prior> priors{Prior::uniform(0, 1)};
  const auto evaluate =
      parallel_evaluator([](const Candidate&) -> double { throw std::runtime_error("refused"); });
  AbcOptions o;
  o.population = 20;
  EXPECT_THROW((void)run_abc_smc(priors, evaluate, o), std::runtime_error);
}

TEST(AbcSmcTest, ParticlesNearABoundAreNotOverWeighted) {
  // Every candidate accepted (distance 0): each generation must reproduce the prior, here
  // uniform on [0, 1], however close to a bound the particles are. Perturbations that leave
  // the support start again from a new parent, so the weights stay right at the bounds.
  const std::vector<Prior> priors{Prior::uniform(0, 1)};
  const auto evaluate = parallel_evaluator([](const Candidate&) { return 0.0; });
  AbcOptions o;
  o.population = 4000;
  o.max_generations = 4;
  o.seed = 9;
  const AbcResult r = run_abc_smc(priors, evaluate, o);
  const AbcGeneration& last = r.generations.back();
  double low = 0, mean = 0;
  for (std::size_t i = 0; i < last.size(); ++i) {
    if (last.particles[i] < 0.1) low += last.weights[i];
    mean += last.weights[i] * last.particles[i];
  }
  const double se = std::sqrt(0.1 * 0.9 / last.effective_sample_size);
  EXPECT_NEAR(low, 0.1, 4 * se);
  EXPECT_NEAR(mean, 0.5, 4 * std::sqrt(1.0 / 12 / last.effective_sample_size));
}

TEST(AbcSmcTest, WeightedQuantile) {
  const std::vector<double> v{3, 1, 2, 4}, w{0.1, 0.4, 0.1, 0.4};
  EXPECT_EQ(weighted_quantile(v, w, 0.4), 1);
  EXPECT_EQ(weighted_quantile(v, w, 0.5), 2);
  EXPECT_EQ(weighted_quantile(v, w, 0.6), 3);
  EXPECT_EQ(weighted_quantile(v, w, 1.0), 4);
}

TEST(CalibrationFileTest, WrittenAndReadBack) {
  const std::vector<Prior> priors{Prior::uniform(-10, 10), Prior::log_uniform(0.1, 10)};
  AbcOptions o;
  o.population = 50;
  o.max_generations = 3;
  o.seed = 41;
  const AbcResult r = run_abc_smc(priors, parallel_evaluator(two_parameter_distance), o);
  CalibrationRun run;
  run.parameters = {{"a.mean", priors[0], "flat"},
                    {"b.rate", Prior::log_normal(0, 1).truncated(0.5, 4), "why not"}};
  run.options = o;
  run.fingerprint = "test";
  run.input_names = {"x"};
  run.input_texts = {"y"};
  const auto path = std::filesystem::temp_directory_path() / "tipsim_calibration_file_test.h5";
  write_calibration_file(path, run, r, true);
  ASSERT_TRUE(is_calibration_file(path));
  const CalibrationFile back = read_calibration_file(path);
  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.result.stopped, r.stopped);
  EXPECT_TRUE(same(back.result, r));
  EXPECT_EQ(back.run.fingerprint, "test");
  ASSERT_EQ(back.run.parameters.size(), 2u);
  EXPECT_EQ(back.run.parameters[1].path, "b.rate");
  EXPECT_EQ(back.run.parameters[1].prior.kind(), PriorKind::log_normal);
  EXPECT_NEAR(back.run.parameters[1].prior.lower(), 0.5, 1e-12);
  EXPECT_NEAR(back.run.parameters[1].prior.upper(), 4, 1e-12);
  EXPECT_EQ(back.run.options.population, 50u);
  // The posterior summary of the last generation: weighted, ordered, within the support.
  const auto s = summarize_posterior(back.result.generations.back(), 2);
  for (const auto& p : s) {
    EXPECT_LE(p.q05, p.q25);
    EXPECT_LE(p.q25, p.median);
    EXPECT_LE(p.median, p.q75);
    EXPECT_LE(p.q75, p.q95);
  }
  const auto c = posterior_correlation(back.result.generations.back(), 2);
  EXPECT_DOUBLE_EQ(c[0], 1.0);
  EXPECT_DOUBLE_EQ(c[1], c[2]);
  EXPECT_LE(std::abs(c[1]), 1.0);
  std::filesystem::remove(path);
  EXPECT_FALSE(is_calibration_file(path));
}

}  // namespace
}  // namespace tipsim::calibration
