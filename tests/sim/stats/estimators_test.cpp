#include "sim/stats/estimators.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/error.hpp"

namespace tipsim::stats {
namespace {

// The recruitment tree used by the RDS-I tests (A = trait 1, B = trait 0):
//
//   0 A d=2 ─┬─ 1 A d=4
//            └─ 2 B d=5 ─┬─ 3 B d=10 ── 5 B d=5
//                        └─ 4 A d=4  ── 6 B d=2
RdsSample small_tree() {
  return RdsSample{
      .recruiter = {-1, 0, 0, 2, 2, 3, 4},
      .degree = {2, 4, 5, 10, 4, 5, 2},
      .trait = {1, 1, 0, 0, 1, 0, 0},
  };
}

TEST(SampleProportion, CountsNonzeroTraitsAndIsNanWhenEmpty) {
  EXPECT_DOUBLE_EQ(sample_proportion({1, 0, 1, 0, 0}), 0.4);
  EXPECT_DOUBLE_EQ(sample_proportion({2, 0, 0, 0}), 0.25);  // any nonzero value has the trait
  EXPECT_TRUE(std::isnan(sample_proportion({})));
}

TEST(WeightedProportion, RatioOfWeightedTotals) {
  // (3 + 1) / (3 + 1 + 2 + 4)
  EXPECT_DOUBLE_EQ(weighted_proportion({1, 1, 0, 0}, {3, 1, 2, 4}), 0.4);
  EXPECT_TRUE(std::isnan(weighted_proportion({1, 0}, {0, 0})));
  EXPECT_TRUE(std::isnan(weighted_proportion({}, {})));
  EXPECT_THROW(weighted_proportion({1, 0}, {1}), InvariantError);
  EXPECT_THROW(weighted_proportion({1, 0}, {1, -1}), InvariantError);
}

TEST(RdsII, HandComputedSmallSample) {
  const RdsSample s{.recruiter = {-1, 0, 0, 1}, .degree = {2, 4, 4, 8}, .trait = {1, 0, 1, 0}};
  const double expected = (1.0 / 2 + 1.0 / 4) / (1.0 / 2 + 1.0 / 4 + 1.0 / 4 + 1.0 / 8);
  EXPECT_DOUBLE_EQ(rds_ii(s), expected);
  EXPECT_NE(rds_ii(s), sample_proportion(s.trait));
}

TEST(RdsII, DegreesBelowOneCountAsOne) {
  const RdsSample zero{.recruiter = {-1, 0}, .degree = {0, 3}, .trait = {1, 0}};
  const RdsSample one{.recruiter = {-1, 0}, .degree = {1, 3}, .trait = {1, 0}};
  EXPECT_DOUBLE_EQ(rds_ii(zero), rds_ii(one));
  EXPECT_DOUBLE_EQ(rds_ii(one), 1.0 / (1.0 + 1.0 / 3));
}

TEST(RdsII, EmptySampleIsNan) {
  EXPECT_TRUE(std::isnan(rds_ii(RdsSample{})));
}

TEST(RdsSampleValidation, RejectsMalformedSamples) {
  EXPECT_THROW(rds_ii(RdsSample{.recruiter = {-1}, .degree = {1, 2}, .trait = {1, 0}}),
               InvariantError);
  // A recruiter must come before her recruit.
  EXPECT_THROW(rds_ii(RdsSample{.recruiter = {1, -1}, .degree = {1, 2}, .trait = {1, 0}}),
               InvariantError);
  EXPECT_THROW(rds_ii(RdsSample{.recruiter = {-1, 1}, .degree = {1, 2}, .trait = {1, 0}}),
               InvariantError);
  EXPECT_THROW(rds_ii(RdsSample{.recruiter = {-2}, .degree = {1}, .trait = {1}}), InvariantError);
  EXPECT_THROW(rds_ii(RdsSample{.recruiter = {-1}, .degree = {NAN}, .trait = {1}}), InvariantError);
}

TEST(RdsI, HandComputedFromThePublishedFormulas) {
  // Recruitments: 0->1 AA, 0->2 AB, 4->6 AB (by A: 3, to B: 2) so S_AB = 2/3;
  //               2->3 BB, 2->4 BA, 3->5 BB (by B: 3, to A: 1) so S_BA = 1/3.
  // D_A = 3 / (1/2 + 1/4 + 1/4) = 3;  D_B = 4 / (1/5 + 1/10 + 1/5 + 1/2) = 4.
  // P_A = S_BA D_B / (S_AB D_A + S_BA D_B) = (4/3) / (2 + 4/3) = 0.4.
  const RdsIDetail detail = rds_i_detail(small_tree());
  EXPECT_EQ(detail.rule, RdsIRule::equilibrium);
  EXPECT_DOUBLE_EQ(detail.s_ab, 2.0 / 3);
  EXPECT_DOUBLE_EQ(detail.s_ba, 1.0 / 3);
  EXPECT_DOUBLE_EQ(detail.d_a, 3.0);
  EXPECT_DOUBLE_EQ(detail.d_b, 4.0);
  EXPECT_DOUBLE_EQ(detail.value, 0.4);
  EXPECT_DOUBLE_EQ(rds_i(small_tree()), 0.4);
  // The same tree gives other values under the other estimators: 3/7 and 1/2.
  EXPECT_DOUBLE_EQ(sample_proportion(small_tree().trait), 3.0 / 7);
  EXPECT_DOUBLE_EQ(rds_ii(small_tree()), 0.5);
}

TEST(RdsI, EmptySampleIsNan) {
  const RdsIDetail detail = rds_i_detail(RdsSample{});
  EXPECT_EQ(detail.rule, RdsIRule::empty);
  EXPECT_TRUE(std::isnan(detail.value));
}

TEST(RdsI, OneGroupGivesItsShare) {
  RdsSample all_a = small_tree();
  for (auto& t : all_a.trait) t = 1;
  EXPECT_EQ(rds_i_detail(all_a).rule, RdsIRule::one_group);
  EXPECT_EQ(rds_i(all_a), 1.0);
  RdsSample all_b = small_tree();
  for (auto& t : all_b.trait) t = 0;
  EXPECT_EQ(rds_i_detail(all_b).rule, RdsIRule::one_group);
  EXPECT_EQ(rds_i(all_b), 0.0);
}

TEST(RdsI, SeedsOnlyFallsBackToRdsII) {
  const RdsSample seeds{
      .recruiter = {-1, -1, -1, -1}, .degree = {2, 4, 4, 8}, .trait = {1, 0, 1, 0}};
  const RdsIDetail detail = rds_i_detail(seeds);
  EXPECT_EQ(detail.rule, RdsIRule::rds_ii_fallback);
  EXPECT_DOUBLE_EQ(detail.value, rds_ii(seeds));
  EXPECT_TRUE(std::isnan(detail.s_ab));
  EXPECT_TRUE(std::isnan(detail.s_ba));
}

TEST(RdsI, NoCrossGroupRecruitmentFallsBackToRdsII) {
  // Two chains that never cross: A -> A -> A and B -> B.
  const RdsSample s{
      .recruiter = {-1, 0, 1, -1, 3}, .degree = {2, 3, 6, 4, 4}, .trait = {1, 1, 1, 0, 0}};
  const RdsIDetail detail = rds_i_detail(s);
  EXPECT_EQ(detail.rule, RdsIRule::rds_ii_fallback);
  EXPECT_DOUBLE_EQ(detail.s_ab, 0.0);
  EXPECT_DOUBLE_EQ(detail.s_ba, 0.0);
  EXPECT_DOUBLE_EQ(detail.value, rds_ii(s));
}

TEST(RdsI, GroupThatRecruitedNoOneFallsBackToRdsII) {
  // B recruits A and B; no A recruits anyone, so S_AB is 0/0.
  const RdsSample s{.recruiter = {-1, 0, 0}, .degree = {2, 3, 6}, .trait = {0, 1, 0}};
  const RdsIDetail detail = rds_i_detail(s);
  EXPECT_EQ(detail.rule, RdsIRule::rds_ii_fallback);
  EXPECT_TRUE(std::isnan(detail.s_ab));
  EXPECT_DOUBLE_EQ(detail.s_ba, 0.5);
  EXPECT_DOUBLE_EQ(detail.value, rds_ii(s));
}

TEST(RdsI, OneWayRecruitmentAbsorbsInOneGroup) {
  // B -> A once, A -> A only: S_AB = 0, S_BA = 1/2, so P_A = 1 by the formula.
  const RdsSample s{.recruiter = {-1, 0, 0, 1}, .degree = {2, 3, 6, 4}, .trait = {0, 1, 0, 1}};
  const RdsIDetail detail = rds_i_detail(s);
  EXPECT_EQ(detail.rule, RdsIRule::equilibrium);
  EXPECT_DOUBLE_EQ(detail.s_ab, 0.0);
  EXPECT_DOUBLE_EQ(detail.value, 1.0);
}

}  // namespace
}  // namespace tipsim::stats
