#include <gtest/gtest.h>

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

TEST(SuccessiveSampling, DeterministicForAKey) {
  const RdsSample s = degree_linked_sample(200, 4);
  const RandomKey key(8, 0);
  Draws first(key, Stream::survey_bootstrap, 3, 9);
  Draws second(key, Stream::survey_bootstrap, 3, 9);
  Draws other(key, Stream::survey_bootstrap, 3, 10);
  const double value = successive_sampling(s, 2000.0, first);
  EXPECT_EQ(value, successive_sampling(s, 2000.0, second));
  EXPECT_NE(value, successive_sampling(s, 2000.0, other));
  // The cursor moved on, so the next call uses new draws.
  EXPECT_NE(value, successive_sampling(s, 2000.0, first));
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
