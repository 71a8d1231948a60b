#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::stats {
namespace {

/// A sample of `n` whose degrees run from 1 to 20 and whose trait is more common at high
/// degree, so RDS-II and the sample proportion differ clearly.
RdsSample degree_linked_sample(std::size_t n, std::uint32_t agent) {
  const RandomKey key(7, 0);
  Draws d(key, Stream::survey_sampling, 0, agent);
  RdsSample s;
  for (std::size_t i = 0; i < n; ++i) {
    const auto degree = 1.0 + static_cast<double>(d.below(20));
    s.recruiter.push_back(
        i < 5 ? -1 : static_cast<std::int32_t>(d.below(static_cast<std::uint32_t>(i))));
    s.degree.push_back(degree);
    s.trait.push_back(d.bernoulli(degree / 25.0) ? 1 : 0);
  }
  return s;
}

TEST(SuccessiveSamplingInclusion, OneOfTwo) {
  // Degrees 1 and 3, one member each, one draw: inclusion 1/4 and 3/4.
  const RandomKey key(1, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const auto inclusion = successive_sampling_inclusion({1.0, 3.0}, {1, 1}, 1, d, 20000);
  EXPECT_NEAR(inclusion[0], 0.25, 0.015);
  EXPECT_NEAR(inclusion[1], 0.75, 0.015);
}

TEST(SuccessiveSamplingInclusion, TwoOfThree) {
  // Two members of degree 1 and one of degree 2, two draws. The degree-2 member is drawn
  // first with probability 2/4, else second with probability 2/3: 1/2 + 1/2 * 2/3 = 5/6.
  // The two draws sum to 2 = 2 pi_1 + pi_2, so pi_1 = (2 - 5/6) / 2 = 7/12.
  const RandomKey key(2, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const auto inclusion = successive_sampling_inclusion({1.0, 2.0}, {2, 1}, 2, d, 20000);
  EXPECT_NEAR(inclusion[0], 7.0 / 12, 0.015);
  EXPECT_NEAR(inclusion[1], 5.0 / 6, 0.015);
}

TEST(SuccessiveSamplingInclusion, CensusIsExactAndTooLargeASampleIsRejected) {
  const RandomKey key(3, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  EXPECT_EQ(successive_sampling_inclusion({1.0, 5.0}, {4, 2}, 6, d, 10),
            (std::vector<double>{1.0, 1.0}));
  EXPECT_THROW(successive_sampling_inclusion({1.0, 5.0}, {4, 2}, 7, d, 10), ConfigError);
}

/// Twelve degree classes from 1 to 72.5, fewer members at higher degree, `scale` times
/// 28 + 26 + ... + 6 members.
struct ClassCase {
  std::vector<double> degree;
  std::vector<std::int64_t> members;
  std::int64_t total = 0;
};
ClassCase skewed_classes(int scale) {
  ClassCase c;
  for (int k = 1; k <= 12; ++k) {
    c.degree.push_back(0.5 * k * k + 0.5);
    c.members.push_back(scale * (30 - 2 * k));
    c.total += c.members.back();
  }
  return c;
}

TEST(SuccessiveSamplingInclusion, ComputedAgreesWithManySimulatedSamples) {
  // 204 members, 61 drawn: the drawn count's standard deviation is about 5.5.
  const ClassCase c = skewed_classes(1);
  ASSERT_GT(successive_sampling_count_sd(c.degree, c.members, 61), 5.0);
  const RandomKey key(11, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const auto simulated = successive_sampling_inclusion_simulated(c.degree, c.members, 61, d, 40000);
  const auto computed = successive_sampling_inclusion_computed(c.degree, c.members, 61);
  for (std::size_t k = 0; k < c.degree.size(); ++k)
    EXPECT_NEAR(computed[k] / simulated[k], 1.0, 3e-3) << "class " << k;
  // High degree, high inclusion: the classes differ fourfold and more.
  EXPECT_GT(computed.back(), 30 * computed.front());
}

TEST(SuccessiveSamplingInclusion, ComputedProbabilitiesSumToTheSampleSize) {
  // Each draw includes exactly one member, so sum N_k pi_k = n: a check of the whole
  // computation (quadrature and the count's distribution) at every sampling fraction.
  for (const int scale : {1, 5, 20}) {
    const ClassCase c = skewed_classes(scale);
    for (const double fraction : {0.1, 0.3, 0.6, 0.9}) {
      const auto n = static_cast<std::int64_t>(fraction * static_cast<double>(c.total));
      const auto pi = successive_sampling_inclusion_computed(c.degree, c.members, n);
      double expected_size = 0.0;
      for (std::size_t k = 0; k < pi.size(); ++k) {
        expected_size += static_cast<double>(c.members[k]) * pi[k];
        if (k > 0) {
          EXPECT_GE(pi[k], pi[k - 1] - 1e-12);  // more ties, more likely reached
        }
      }
      EXPECT_GT(pi.back(), pi.front());
      EXPECT_NEAR(expected_size, static_cast<double>(n), 1e-3 * static_cast<double>(n))
          << "scale " << scale << ", fraction " << fraction;
    }
  }
}

TEST(SuccessiveSamplingInclusion, ComputedIsProportionalToDegreeInAVastPopulation) {
  // Drawing 100 of a million barely depletes any class: pi_k -> n d_k / sum N_j d_j.
  const std::vector<double> degree{1.0, 4.0, 20.0};
  const std::vector<std::int64_t> members{600000, 300000, 100000};
  const auto pi = successive_sampling_inclusion_computed(degree, members, 100);
  const double total_degree = 600000.0 + 4 * 300000.0 + 20 * 100000.0;
  for (std::size_t k = 0; k < degree.size(); ++k)
    EXPECT_NEAR(pi[k] / (100.0 * degree[k] / total_degree), 1.0, 2e-3);
}

TEST(SuccessiveSamplingInclusion, ComputedFollowsClassesWhoseClocksAreFarFaster) {
  // Five members of degree r among 20n of degree 1: for r of 10^4 and more, nearly all five
  // are drawn first; the fast class's integrand decays within a sliver of the time axis.
  for (const double fast : {1e4, 1e5, 1e6}) {
    for (const std::int64_t n : {20, 140}) {
      const std::vector<double> degree{1.0, fast};
      const std::vector<std::int64_t> members{20 * n, 5};
      const auto computed = successive_sampling_inclusion_computed(degree, members, n);
      const RandomKey key(13, 0);
      Draws d(key, Stream::survey_bootstrap, 0, 0);
      const auto simulated = successive_sampling_inclusion_simulated(degree, members, n, d, 4000);
      EXPECT_NEAR(computed[1], simulated[1], 2e-3) << "degree " << fast << ", n " << n;
      EXPECT_NEAR(computed[0] / simulated[0], 1.0, 1e-2) << "degree " << fast << ", n " << n;
    }
  }
}

TEST(SuccessiveSamplingInclusion, CensusAndEmptySampleAreExactWhenComputed) {
  const ClassCase c = skewed_classes(1);
  for (double pi : successive_sampling_inclusion_computed(c.degree, c.members, c.total))
    EXPECT_EQ(pi, 1.0);
  for (double pi : successive_sampling_inclusion_computed(c.degree, c.members, 0))
    EXPECT_EQ(pi, 0.0);
  EXPECT_THROW(successive_sampling_inclusion_computed(c.degree, c.members, c.total + 1),
               ConfigError);
  EXPECT_THROW(successive_sampling_inclusion_computed({2.0, 1.0}, {5, 5}, 3), InvariantError);
}

TEST(SuccessiveSampling, EqualDegreesGiveTheSampleProportion) {
  RdsSample s = degree_linked_sample(120, 1);
  for (auto& degree : s.degree) degree = 6.0;
  const RandomKey key(4, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const SuccessiveSamplingDetail detail = successive_sampling_detail(s, 1000.0, d);
  EXPECT_DOUBLE_EQ(detail.value, sample_proportion(s.trait));
  EXPECT_TRUE(detail.converged);
}

TEST(SuccessiveSampling, CensusGivesTheSampleProportion) {
  const RdsSample s = degree_linked_sample(150, 2);
  const RandomKey key(5, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const SuccessiveSamplingDetail detail = successive_sampling_detail(s, 150.0, d);
  EXPECT_DOUBLE_EQ(detail.value, sample_proportion(s.trait));
  for (double pi : detail.inclusion) EXPECT_EQ(pi, 1.0);
}

TEST(SuccessiveSampling, LargePopulationApproachesRdsII) {
  const RdsSample s = degree_linked_sample(300, 3);
  // The test only means something if the degree weighting matters.
  ASSERT_GT(sample_proportion(s.trait) - rds_ii(s), 0.05);
  const RandomKey key(6, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  EXPECT_NEAR(successive_sampling(s, 1000.0 * 300, d), rds_ii(s), 2e-3);
}

TEST(SuccessiveSampling, SmallPopulationLiesBetweenRdsIIAndTheSampleProportion) {
  // When a sixth of the population is left unsampled, high-degree members are nearly all
  // sampled, so down-weighting them by degree (RDS-II) overcorrects.
  const RdsSample s = degree_linked_sample(300, 3);
  const RandomKey key(6, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const SuccessiveSamplingDetail detail = successive_sampling_detail(s, 360.0, d);
  EXPECT_GT(detail.value, rds_ii(s) + 0.01);
  EXPECT_LT(detail.value, sample_proportion(s.trait) - 0.01);
  const std::int64_t population = std::accumulate(detail.class_population.begin(),
                                                  detail.class_population.end(), std::int64_t{0});
  EXPECT_EQ(population, 360);
  for (std::int64_t count : detail.class_population) EXPECT_GE(count, 1);
}

TEST(SuccessiveSampling, ComputedEstimateMatchesTheSimulatedOneFarWithinTheBootstrapError) {
  // The estimator with computed inclusion probabilities against the same fixed point
  // evaluated with 20,000 simulated samples: they agree to far less than the estimate's
  // bootstrap standard error (several hundredths for a sample of 300).
  const RdsSample s = degree_linked_sample(300, 6);
  const RandomKey key(12, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  const SuccessiveSamplingDetail detail = successive_sampling_detail(s, 1500.0, d);
  ASSERT_GT(successive_sampling_count_sd(detail.class_degree, detail.class_population, 300), 2.0);
  const auto simulated = successive_sampling_inclusion_simulated(
      detail.class_degree, detail.class_population, 300, d, 20000);
  double with_trait = 0.0, total = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto k = static_cast<std::size_t>(std::lower_bound(detail.class_degree.begin(),
                                                             detail.class_degree.end(),
                                                             effective_degree(s.degree[i])) -
                                            detail.class_degree.begin());
    total += 1.0 / simulated[k];
    if (s.trait[i] != 0) with_trait += 1.0 / simulated[k];
  }
  EXPECT_NEAR(detail.value, with_trait / total, 5e-4);
  const Estimate bootstrap = rds_bootstrap(s, rds_ii, d, 200, 0.95);
  EXPECT_GT(bootstrap.standard_error, 40 * 5e-4);
}

TEST(SuccessiveSampling, SimulatedOnlyWhereTheCountHardlyVariesAndThenDeterministicForAKey) {
  const RdsSample s = degree_linked_sample(200, 4);
  const RandomKey key(8, 0);
  // Three members left out of 203: the count drawn hardly varies, so the inclusion
  // probabilities are simulated and the draws matter.
  Draws first(key, Stream::survey_bootstrap, 3, 9);
  Draws second(key, Stream::survey_bootstrap, 3, 9);
  Draws other(key, Stream::survey_bootstrap, 3, 10);
  const double value = successive_sampling(s, 203.0, first);
  EXPECT_EQ(value, successive_sampling(s, 203.0, second));
  EXPECT_NE(value, successive_sampling(s, 203.0, other));
  // The cursor moved on, so the next call uses new draws.
  EXPECT_NE(value, successive_sampling(s, 203.0, first));
  // From a population ten times the sample they are computed: no draw is used.
  const Draws before = first;
  const double computed = successive_sampling(s, 2000.0, first);
  EXPECT_EQ(computed, successive_sampling(s, 2000.0, other));
  EXPECT_EQ(first.uniform(), Draws(before).uniform());
}

TEST(SuccessiveSampling, UndefinedAndInvalidInputs) {
  const RandomKey key(9, 0);
  Draws d(key, Stream::survey_bootstrap, 0, 0);
  EXPECT_TRUE(std::isnan(successive_sampling(RdsSample{}, 100.0, d)));
  const RdsSample s = degree_linked_sample(50, 5);
  EXPECT_THROW(successive_sampling(s, 49.0, d), ConfigError);
  EXPECT_THROW(successive_sampling(s, NAN, d), ConfigError);
  EXPECT_THROW(successive_sampling(s, 100.0, d, 200, 0), ConfigError);
}

}  // namespace
}  // namespace tipsim::stats
