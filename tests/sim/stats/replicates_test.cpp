#include "sim/stats/replicates.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tipsim::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(SpreadTest, QuantilesAsNumpyAndNaNsLeftOut) {
  const std::vector<double> v = {3, 1, 4, 1, 5, kNaN, 9, 2, 6};
  const Spread s = spread(v);
  EXPECT_EQ(s.n, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 31.0 / 8);
  // numpy.quantile([3,1,4,1,5,9,2,6], [.5,.025,.1,.9,.975]) = 3.5, 1, 1, 6.9, 8.475
  EXPECT_DOUBLE_EQ(s.median, 3.5);
  EXPECT_DOUBLE_EQ(s.q025, 1);
  EXPECT_DOUBLE_EQ(s.q10, 1);
  EXPECT_NEAR(s.q90, 6.9, 1e-12);
  EXPECT_NEAR(s.q975, 8.475, 1e-12);
  EXPECT_TRUE(std::isnan(spread(std::vector<double>{}).mean));
}

TEST(PairedDifferenceTest, ReplicateByReplicate) {
  const std::vector<double> base = {10, 20, 30, 40, kNaN};
  const std::vector<double> other = {12, 19, 35, 44, 100};
  const PairedDifference d = paired_difference(base, other);
  // Differences 2, -1, 5, 4 (the last replicate lacks a base value).
  EXPECT_EQ(d.n, 4u);
  EXPECT_DOUBLE_EQ(d.mean, 2.5);
  EXPECT_DOUBLE_EQ(d.median, 3);
  EXPECT_DOUBLE_EQ(d.share_positive, 0.75);
  EXPECT_NEAR(d.q025, -1 + 0.075 * 3, 1e-12);
  // t(0.975, 3) = 3.182446305; sd = sqrt(7) -> half width 3.182446 * sqrt(7) / 2.
  EXPECT_NEAR(d.mean_ci_high - d.mean, 3.182446305284263 * std::sqrt(7.0) / 2, 1e-9);
  EXPECT_NEAR(d.mean - d.mean_ci_low, d.mean_ci_high - d.mean, 1e-12);
}

TEST(PairedDifferenceTest, IdenticalSidesGiveZeroAndNoneAboveZero) {
  const std::vector<double> v = {1, 2, 3};
  const PairedDifference d = paired_difference(v, v);
  EXPECT_EQ(d.mean, 0);
  EXPECT_EQ(d.mean_ci_low, 0);
  EXPECT_EQ(d.mean_ci_high, 0);
  EXPECT_EQ(d.share_positive, 0);
}

TEST(UnpairedDifferenceTest, WelchInterval) {
  const std::vector<double> a = {1, 2, 3, 4};      // mean 2.5, var 5/3
  const std::vector<double> b = {2, 4, 6, 8, 10};  // mean 6, var 10
  const UnpairedDifference u = unpaired_difference(a, b);
  EXPECT_DOUBLE_EQ(u.mean, 3.5);
  EXPECT_DOUBLE_EQ(u.median, 6 - 2.5);
  const double va = (5.0 / 3) / 4, vb = 10.0 / 5;
  const double df = (va + vb) * (va + vb) / (va * va / 3 + vb * vb / 4);
  EXPECT_NEAR(df, 5.5206, 1e-3);
  // Student t with 5.52 degrees of freedom: between t(0.975, 6) = 2.447 and t(0.975, 5) = 2.571.
  const double t = (u.mean_ci_high - u.mean) / std::sqrt(va + vb);
  EXPECT_GT(t, 2.447);
  EXPECT_LT(t, 2.571);
}

TEST(RatioTest, RatioOfMeansWithAnIntervalAroundIt) {
  std::vector<double> cost, gain;
  for (int i = 0; i < 40; ++i) {
    cost.push_back(1000 + 10 * (i % 7));
    gain.push_back(10 + (i % 5));
  }
  const RandomKey key(1, 0);
  Draws d(key, Stream::experiment, 0, 0);
  const Ratio r = ratio_of_means(cost, gain, d);
  EXPECT_NEAR(r.value, (1000 + 10 * (115.0 / 40)) / 12.0, 1e-9);
  EXPECT_LT(r.ci_low, r.value);
  EXPECT_GT(r.ci_high, r.value);
  Draws again(key, Stream::experiment, 0, 0);
  const Ratio same = ratio_of_means(cost, gain, again);
  EXPECT_EQ(same.ci_low, r.ci_low);
}

TEST(RatioTest, NoGainGivesNoRatio) {
  const std::vector<double> cost = {5, 6}, gain = {-1, 0};
  const RandomKey key(1, 0);
  Draws d(key, Stream::experiment, 0, 0);
  const Ratio r = ratio_of_means(cost, gain, d);
  EXPECT_TRUE(std::isnan(r.value));
  EXPECT_TRUE(std::isnan(r.ci_low));
}

TEST(RatioTest, UnpairedRatioOfDifferences) {
  const std::vector<double> cb = {0, 0, 0}, eb = {10, 12, 14};
  const std::vector<double> co = {100, 110, 120}, eo = {20, 22, 24};
  const RandomKey key(2, 0);
  Draws d(key, Stream::experiment, 0, 0);
  const Ratio r = ratio_of_mean_differences(cb, eb, co, eo, d);
  EXPECT_DOUBLE_EQ(r.value, 110.0 / 10.0);
  EXPECT_LE(r.ci_low, r.value);
  EXPECT_GE(r.ci_high, r.value);
}

TEST(CostEffectivenessTest, StrongAndExtendedDominanceOnAHandMadeCase) {
  // A: reference. B: costs more than C and does less -> dominated. D: its ICER against A
  // (100/2 = 50) exceeds E's against D (200/10 = 20) -> extendedly dominated. C, E on the
  // frontier: C against A 40/1 = 40... C comes before D in cost.
  //            A     C     B     D     E
  const std::vector<double> cost = {0, 40, 60, 100, 300};
  const std::vector<double> effect = {0, 1, 0.5, 2, 12};
  const auto r = classify_cost_effectiveness(cost, effect);
  EXPECT_EQ(r[0].status, Dominance::frontier);
  EXPECT_TRUE(std::isnan(r[0].icer));
  EXPECT_EQ(r[2].status, Dominance::dominated);
  EXPECT_TRUE(std::isnan(r[2].icer));
  // Frontier A (0,0) -> C (40,1) -> D (100,2) -> E (300,12): ICERs 40, 60, 20: D is
  // extendedly dominated (60 > 20), then C -> E = 260/11 = 23.6 < 40: C is too.
  EXPECT_EQ(r[3].status, Dominance::extendedly_dominated);
  EXPECT_EQ(r[1].status, Dominance::extendedly_dominated);
  EXPECT_EQ(r[4].status, Dominance::frontier);
  EXPECT_DOUBLE_EQ(r[4].icer, 300.0 / 12.0);
}

TEST(CostEffectivenessTest, IncreasingIcersAllStayOnTheFrontier) {
  const std::vector<double> cost = {0, 10, 30, 70}, effect = {0, 2, 4, 5};
  const auto r = classify_cost_effectiveness(cost, effect);
  for (const auto& e : r) EXPECT_EQ(e.status, Dominance::frontier);
  EXPECT_DOUBLE_EQ(r[1].icer, 5);
  EXPECT_DOUBLE_EQ(r[2].icer, 10);
  EXPECT_DOUBLE_EQ(r[3].icer, 40);
}

TEST(CostEffectivenessTest, StrategiesWithoutDataStayOut) {
  const std::vector<double> cost = {0, kNaN, 10, 30}, effect = {0, 5, 2, 4};
  const auto r = classify_cost_effectiveness(cost, effect);
  EXPECT_EQ(r[1].status, Dominance::no_data);
  EXPECT_TRUE(std::isnan(r[1].icer));
  EXPECT_EQ(r[2].status, Dominance::frontier);
  EXPECT_DOUBLE_EQ(r[2].icer, 5);
  EXPECT_DOUBLE_EQ(r[3].icer, 10);
}

TEST(CostEffectivenessTest, CheaperAndBetterDominatesAndTiesKeepTheFirst) {
  const std::vector<double> cost = {50, 20, 20}, effect = {1, 3, 3};
  const auto r = classify_cost_effectiveness(cost, effect);
  EXPECT_EQ(r[0].status, Dominance::dominated);
  EXPECT_EQ(r[1].status, Dominance::frontier);
  EXPECT_EQ(r[2].status, Dominance::dominated);
  EXPECT_STREQ(to_string(Dominance::extendedly_dominated), "extendedly_dominated");
}

}  // namespace
}  // namespace tipsim::stats
