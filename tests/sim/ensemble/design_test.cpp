#include "sim/ensemble/design.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace tipsim::ensemble {
namespace {

DesignParameter range(const std::string& path, double lo, double hi, bool log = false) {
  DesignParameter p;
  p.path = path;
  p.min = lo;
  p.max = hi;
  p.log = log;
  return p;
}

TEST(DesignTest, GridIsEveryCombinationLastParameterFastest) {
  DesignSpec s;
  s.method = DesignMethod::grid;
  auto a = range("a", 0, 1);
  a.levels = 3;
  auto b = range("b", 1, 100, true);
  b.levels = 2;
  s.parameters = {a, b};
  const DesignTable t = sample_design(s);
  EXPECT_EQ(t.method, "grid");
  EXPECT_EQ(t.paths, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.scales, (std::vector<std::string>{"linear", "log"}));
  ASSERT_EQ(t.points(), 6u);
  const std::vector<double> expected = {0, 1, 0, 100, 0.5, 1, 0.5, 100, 1, 1, 1, 100};
  EXPECT_EQ(t.values, expected);
}

TEST(DesignTest, LogGridIsGeometric) {
  auto p = range("x", 1, 1000, true);
  p.levels = 4;
  const auto levels = grid_levels(p);
  ASSERT_EQ(levels.size(), 4u);
  EXPECT_DOUBLE_EQ(levels[1], 10);
  EXPECT_DOUBLE_EQ(levels[2], 100);
  EXPECT_EQ(levels[3], 1000);
}

TEST(DesignTest, ExplicitGridLevelsAndIntegerRounding) {
  auto p = range("x", 0, 10);
  p.values = {1, 2, 5};
  EXPECT_EQ(grid_levels(p), (std::vector<double>{1, 2, 5}));
  auto q = range("n", 10, 20);
  q.integer = true;
  EXPECT_EQ(scale_unit(q, 0.26), 13);
}

TEST(DesignTest, LatinHypercubePutsOnePointInEachStratumOfEveryParameter) {
  DesignSpec s;
  s.method = DesignMethod::latin_hypercube;
  s.points = 40;
  s.seed = 5;
  s.parameters = {range("a", 0, 1), range("b", 10, 1000, true), range("c", -2, 2)};
  const DesignTable t = sample_design(s);
  ASSERT_EQ(t.points(), 40u);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (std::size_t i = 0; i < 40; ++i) {
      const auto& p = s.parameters[j];
      const double v = t.values[i * 3 + j];
      const double u =
          p.log ? std::log(v / p.min) / std::log(p.max / p.min) : (v - p.min) / (p.max - p.min);
      ASSERT_GT(u, 0);
      ASSERT_LT(u, 1);
      strata.insert(static_cast<int>(u * 40));
    }
    EXPECT_EQ(strata.size(), 40u) << "parameter " << j;
  }
  // Same seed, same design; another seed, another pairing.
  EXPECT_EQ(sample_design(s).values, t.values);
  s.seed = 6;
  EXPECT_NE(sample_design(s).values, t.values);
}

TEST(DesignTest, LatinHypercubeColumnsDoNotDependOnOtherParameters) {
  DesignSpec s;
  s.method = DesignMethod::latin_hypercube;
  s.points = 10;
  s.parameters = {range("a", 0, 1)};
  const auto one = sample_design(s).values;
  s.parameters.push_back(range("b", 0, 1));
  const auto two = sample_design(s).values;
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(two[i * 2], one[i]);
}

TEST(DesignTest, SobolIsTheStandardSequence) {
  DesignSpec s;
  s.method = DesignMethod::sobol;
  s.points = 8;
  s.parameters = {range("a", 0, 1), range("b", 0, 1)};
  const DesignTable t = sample_design(s);
  // The first dimension is van der Corput's sequence in Gray-code order, the origin left out.
  const double first[] = {0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875};
  for (std::size_t i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(t.values[i * 2], first[i]) << i;
  // Points 1 to 7 and the origin form a (0, 3, 2)-net: one point per 1/8 of each dimension.
  for (std::size_t j = 0; j < 2; ++j) {
    std::set<int> strata{0};
    for (std::size_t i = 0; i < 7; ++i) strata.insert(static_cast<int>(t.values[i * 2 + j] * 8));
    EXPECT_EQ(strata.size(), 8u);
  }
}

TEST(DesignTest, PointsAreTheColumnsSideBySide) {
  DesignSpec s;
  s.method = DesignMethod::points;
  auto a = range("a", 0, 0);
  a.values = {1, 2, 3};
  auto b = range("b", 0, 0);
  b.values = {10.4, 20.6, 30};
  b.integer = true;
  s.parameters = {a, b};
  const DesignTable t = sample_design(s);
  EXPECT_EQ(t.values, (std::vector<double>{1, 10, 2, 21, 3, 30}));
}

}  // namespace
}  // namespace tipsim::ensemble
