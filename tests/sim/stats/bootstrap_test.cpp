#include <gtest/gtest.h>

#include <cmath>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::stats {
namespace {

/// `n` traits, every `period`-th one set (a fixed proportion 1/period, no randomness).
std::vector<std::uint8_t> periodic_traits(std::size_t n, std::size_t period) {
  std::vector<std::uint8_t> trait(n);
  for (std::size_t i = 0; i < n; ++i) trait[i] = i % period == 0 ? 1 : 0;
  return trait;
}

/// `seeds` seeds with alternating traits, each heading a chain of `chain_length - 1`
/// recruits who copy their recruiter's trait: perfect homophily.
RdsSample homophilous_chains(std::size_t seeds, std::size_t chain_length) {
  RdsSample s;
  for (std::size_t seed = 0; seed < seeds; ++seed) {
    for (std::size_t step = 0; step < chain_length; ++step) {
      s.recruiter.push_back(step == 0 ? -1 : static_cast<std::int32_t>(s.size() - 1));
      s.degree.push_back(static_cast<double>(3 + step % 4));
      s.trait.push_back(seed % 2 == 0 ? 1 : 0);
    }
  }
  return s;
}

/// Bootstrap draws for a survey: `step` and `agent` pick independent cursors.
Draws draws(std::uint32_t step, std::uint32_t agent = 0) {
  static const RandomKey key(2024, 0);  // a Draws keeps a pointer to its key
  return Draws(key, Stream::survey_bootstrap, step, agent);
}

TEST(IidBootstrap, DeterministicForAKeyAndContainsTheEstimate) {
  const auto trait = periodic_traits(200, 3);
  Draws a = draws(1), b = draws(1), c = draws(1, 1);
  const Estimate first = iid_bootstrap(trait, a, 300, 0.95);
  const Estimate second = iid_bootstrap(trait, b, 300, 0.95);
  const Estimate other = iid_bootstrap(trait, c, 300, 0.95);
  EXPECT_EQ(first.lo, second.lo);
  EXPECT_EQ(first.hi, second.hi);
  EXPECT_EQ(first.design_effect, second.design_effect);
  EXPECT_NE(first.design_effect, other.design_effect);
  EXPECT_DOUBLE_EQ(first.value, 67.0 / 200);
  EXPECT_LT(first.lo, first.value);
  EXPECT_GT(first.hi, first.value);
  EXPECT_EQ(first.replicates_used, 300);
}

TEST(IidBootstrap, LargerSampleNarrowerIntervalAndDesignEffectNearOne) {
  Draws d = draws(2);
  const Estimate small = iid_bootstrap(periodic_traits(100, 4), d, 400, 0.95);
  const Estimate large = iid_bootstrap(periodic_traits(1600, 4), d, 400, 0.95);
  EXPECT_LT(large.hi - large.lo, 0.5 * (small.hi - small.lo));
  for (const Estimate& e : {small, large}) {
    EXPECT_GT(e.design_effect, 0.7);
    EXPECT_LT(e.design_effect, 1.4);
    // A 95% interval of a proportion spans about 4 standard errors.
    EXPECT_NEAR((e.hi - e.lo) / e.standard_error, 3.92, 0.6);
  }
}

TEST(IidBootstrap, HigherLevelWiderInterval) {
  const auto trait = periodic_traits(300, 5);
  Draws a = draws(3), b = draws(3);
  const Estimate narrow = iid_bootstrap(trait, a, 400, 0.8);
  const Estimate wide = iid_bootstrap(trait, b, 400, 0.99);
  EXPECT_LT(wide.lo, narrow.lo);
  EXPECT_GT(wide.hi, narrow.hi);
}

TEST(IidBootstrap, UndefinedAndInvalidInputs) {
  Draws d = draws(0);
  const Estimate empty = iid_bootstrap({}, d, 10, 0.95);
  EXPECT_TRUE(std::isnan(empty.value));
  EXPECT_TRUE(std::isnan(empty.lo));
  EXPECT_TRUE(std::isnan(empty.design_effect));
  EXPECT_EQ(empty.replicates_used, 0);
  // Everyone has the trait: no variance, and no design effect to report.
  const Estimate all = iid_bootstrap({1, 1, 1}, d, 10, 0.95);
  EXPECT_EQ(all.lo, 1.0);
  EXPECT_EQ(all.hi, 1.0);
  EXPECT_TRUE(std::isnan(all.design_effect));
  EXPECT_THROW(iid_bootstrap({1, 0}, d, 1, 0.95), ConfigError);
  EXPECT_THROW(iid_bootstrap({1, 0}, d, 10, 1.0), ConfigError);
  EXPECT_THROW(iid_bootstrap({1, 0}, d, 10, 0.0), ConfigError);
}

TEST(TreeResample, KeepsTheShapeAndDrawsRecruitsFromTheirOwnRecruiter) {
  // One seed, two recruits each with two recruits: every replicate has the same shape.
  // The degree doubles as the respondent's identity to trace where each draw came from.
  const RdsSample s{.recruiter = {-1, 0, 0, 1, 1, 2, 2},
                    .degree = {0, 1, 2, 3, 4, 5, 6},
                    .trait = {1, 0, 1, 0, 1, 0, 1}};
  Draws d = draws(4);
  for (int r = 0; r < 50; ++r) {
    const RdsSample replicate = tree_resample(s, d);
    ASSERT_NO_THROW(validate(replicate));
    ASSERT_EQ(replicate.size(), 7u);
    EXPECT_EQ(replicate.recruiter, s.recruiter);
    for (std::size_t i = 1; i < replicate.size(); ++i) {
      const auto original = static_cast<std::size_t>(replicate.degree[i]);
      const auto recruiter_original =
          replicate.degree[static_cast<std::size_t>(replicate.recruiter[i])];
      EXPECT_EQ(s.recruiter[original], static_cast<std::int32_t>(recruiter_original));
      EXPECT_EQ(replicate.trait[i], s.trait[original]);
    }
    // Each respondent names the one she was drawn as.
    ASSERT_EQ(replicate.source.size(), replicate.size());
    for (std::size_t i = 0; i < replicate.size(); ++i)
      EXPECT_EQ(replicate.source[i], static_cast<std::int32_t>(replicate.degree[i]));
  }
}

TEST(RdsBootstrap, DeterministicAndContainsTheEstimate) {
  const RdsSample s = homophilous_chains(20, 6);
  Draws a = draws(5), b = draws(5);
  const Estimate first = rds_bootstrap(s, rds_ii, a, 200, 0.95);
  const Estimate second = rds_bootstrap(s, rds_ii, b, 200, 0.95);
  EXPECT_EQ(first.lo, second.lo);
  EXPECT_EQ(first.hi, second.hi);
  EXPECT_EQ(first.value, rds_ii(s));
  EXPECT_LE(first.lo, first.value);
  EXPECT_GE(first.hi, first.value);
}

TEST(RdsBootstrap, SeveralEstimatorsShareTheReplicatesOfOne) {
  const RdsSample s = homophilous_chains(20, 6);
  Draws shared = draws(9);
  const std::vector<RdsEstimator> both = {
      [](const RdsSample& x) { return sample_proportion(x.trait); },
      [](const RdsSample& x) { return rds_ii(x); }};
  const auto together = rds_bootstrap(s, both, shared, 150, 0.9);
  ASSERT_EQ(together.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    Draws alone = draws(9);
    const Estimate e = rds_bootstrap(s, both[k], alone, 150, 0.9);
    EXPECT_EQ(together[k].value, e.value) << k;
    EXPECT_EQ(together[k].lo, e.lo) << k;
    EXPECT_EQ(together[k].hi, e.hi) << k;
    EXPECT_EQ(together[k].design_effect, e.design_effect) << k;
  }
  EXPECT_NE(together[0].value, together[1].value);
}

TEST(RdsBootstrap, HomophilyRaisesTheDesignEffect) {
  // 10 seeds, 5 with the trait, each with 19 recruits like her: the estimate varies like
  // that of a sample of 10, a design effect near 200 / 10 = 20.
  const RdsSample s = homophilous_chains(10, 20);
  Draws d = draws(1);
  const Estimate e = rds_bootstrap(
      s, [](const RdsSample& r) { return sample_proportion(r.trait); }, d, 300, 0.95);
  EXPECT_GT(e.design_effect, 8.0);
  EXPECT_LT(e.design_effect, 40.0);
}

TEST(RdsBootstrap, SeedsOnlySampleBehavesLikeAnIidSample) {
  RdsSample s;
  for (std::size_t i = 0; i < 200; ++i) {
    s.recruiter.push_back(-1);
    s.degree.push_back(1.0);
    s.trait.push_back(i % 3 == 0 ? 1 : 0);
  }
  Draws d = draws(2);
  const Estimate e = rds_bootstrap(s, rds_ii, d, 400, 0.95);
  EXPECT_GT(e.design_effect, 0.7);
  EXPECT_LT(e.design_effect, 1.4);
}

TEST(RdsBootstrap, UndefinedReplicatesAreDropped) {
  const RdsSample s = homophilous_chains(4, 3);
  Draws d = draws(3);
  int calls = 0;
  // Every other replicate is undefined.
  const Estimate e = rds_bootstrap(
      s, [&](const RdsSample& r) { return ++calls % 2 == 0 ? NAN : rds_ii(r); }, d, 100, 0.9);
  EXPECT_EQ(e.replicates_used, 50);
  EXPECT_FALSE(std::isnan(e.lo));
}

TEST(ClusterBootstrap, HomogeneousClustersRaiseTheDesignEffect) {
  // 20 venues of 10 women; in half of them every woman has the trait, in the rest none.
  std::vector<std::uint8_t> trait;
  std::vector<std::int32_t> venue;
  for (std::int32_t v = 0; v < 20; ++v) {
    for (int w = 0; w < 10; ++w) {
      trait.push_back(v % 2 == 0 ? 1 : 0);
      venue.push_back(v);
    }
  }
  Draws d = draws(4);
  const Estimate e = cluster_bootstrap(trait, venue, d, 400, 0.95);
  EXPECT_DOUBLE_EQ(e.value, 0.5);
  // Between-venue variance of a sample of 20 venues: design effect near 10.
  EXPECT_GT(e.design_effect, 6.0);
  EXPECT_LT(e.design_effect, 15.0);
  EXPECT_LT(e.lo, e.value);
  EXPECT_GT(e.hi, e.value);
}

TEST(ClusterBootstrap, SingletonClustersBehaveLikeAnIidSample) {
  const auto trait = periodic_traits(300, 4);
  std::vector<std::int32_t> venue(trait.size());
  for (std::size_t i = 0; i < venue.size(); ++i) venue[i] = static_cast<std::int32_t>(i);
  Draws d = draws(5);
  const Estimate e = cluster_bootstrap(trait, venue, d, 400, 0.95);
  EXPECT_GT(e.design_effect, 0.7);
  EXPECT_LT(e.design_effect, 1.4);
}

TEST(ClusterBootstrap, WeightsLabelsAndDegenerateCases) {
  const std::vector<std::uint8_t> trait = {1, 0, 1, 1, 0, 0};
  const std::vector<std::int32_t> venue = {7, 7, 3, 3, -2, -2};
  const std::vector<std::int32_t> relabelled = {70, 70, 30, 30, -20, -20};  // same order
  const std::vector<double> weight = {2, 2, 1, 1, 4, 4};
  Draws a = draws(0), b = draws(0);
  const Estimate e = cluster_bootstrap(trait, venue, weight, a, 50, 0.95);
  // (2 + 1 + 1) / (2 + 2 + 1 + 1 + 4 + 4)
  EXPECT_DOUBLE_EQ(e.value, 4.0 / 14);
  const Estimate same = cluster_bootstrap(trait, relabelled, weight, b, 50, 0.95);
  EXPECT_EQ(e.lo, same.lo);
  EXPECT_EQ(e.hi, same.hi);

  // One venue gives no variance estimate.
  const Estimate single = cluster_bootstrap(trait, {1, 1, 1, 1, 1, 1}, a, 50, 0.95);
  EXPECT_DOUBLE_EQ(single.value, 0.5);
  EXPECT_TRUE(std::isnan(single.lo));
  EXPECT_TRUE(std::isnan(single.design_effect));
  EXPECT_THROW(cluster_bootstrap(trait, {1, 2}, a, 50, 0.95), InvariantError);
}

}  // namespace
}  // namespace tipsim::stats
