// Priors: support, truncation, working space and densities, against closed forms.
#include "sim/calibration/prior.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace tipsim::calibration {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(PriorTest, UniformIsFlatOnItsSupportAndSampledByItsQuantile) {
  const Prior p = Prior::uniform(2, 6);
  EXPECT_EQ(p.lower(), 2);
  EXPECT_EQ(p.upper(), 6);
  EXPECT_EQ(p.log_density(3), p.log_density(5.9));
  EXPECT_EQ(p.log_density(6.1), -kInf);
  EXPECT_DOUBLE_EQ(p.quantile(0.25), 3);
  EXPECT_EQ(p.to_working(4), 4);
}

TEST(PriorTest, LogUniformIsUniformInTheLogarithm) {
  const Prior p = Prior::log_uniform(0.1, 10);
  EXPECT_DOUBLE_EQ(p.to_working(1), 0);
  EXPECT_DOUBLE_EQ(p.from_working(p.quantile(0.5)), 1.0);  // the geometric midpoint
  EXPECT_NEAR(p.from_working(p.quantile(0.25)), std::sqrt(0.1), 1e-12);
  EXPECT_EQ(p.log_density(p.to_working(0.2)), p.log_density(p.to_working(7)));
  EXPECT_EQ(p.log_density(p.to_working(11)), -kInf);
  EXPECT_THROW((void)Prior::log_uniform(0, 1), std::invalid_argument);
}

TEST(PriorTest, NormalAndLogNormalDensitiesAndQuantiles) {
  const Prior n = Prior::normal(1, 2);
  EXPECT_NEAR(n.quantile(0.5), 1, 1e-12);
  EXPECT_NEAR(n.quantile(0.8413447460685429), 3, 1e-9);  // one sd above
  EXPECT_NEAR(n.log_density(3) - n.log_density(1), -0.5, 1e-12);
  const Prior l = Prior::log_normal(0, 0.5);
  EXPECT_NEAR(l.from_working(l.quantile(0.5)), 1, 1e-12);  // the median is e^mu
  EXPECT_NEAR(l.log_density(l.to_working(std::exp(1.0))) - l.log_density(0), -2, 1e-12);
}

TEST(PriorTest, TruncationKeepsTheShapeWithinTheValidRange) {
  const Prior n = Prior::normal(0, 1).truncated(0, kInf);  // a half-normal
  EXPECT_EQ(n.lower(), 0);
  EXPECT_EQ(n.log_density(-0.1), -kInf);
  EXPECT_NEAR(n.quantile(0.5), 0.6744897501960817, 1e-9);  // the half-normal's median
  EXPECT_NEAR(n.quantile(0.0), 0, 1e-12);
  const Prior l = Prior::log_normal(0, 1).truncated(0.5, 3);
  EXPECT_NEAR(l.lower(), 0.5, 1e-12);
  EXPECT_NEAR(l.upper(), 3, 1e-12);
  EXPECT_NEAR(l.from_working(l.quantile(1.0)), 3, 1e-9);
  const Prior u = Prior::uniform(0, 10).truncated(2, 20);
  EXPECT_DOUBLE_EQ(u.quantile(0.5), 6);
  EXPECT_THROW((void)Prior::uniform(0, 1).truncated(2, 3), std::invalid_argument);
}

TEST(PriorTest, BetaOnTheUnitInterval) {
  const Prior b = Prior::beta(2, 3);
  EXPECT_NEAR(b.log_density(0.5) - b.log_density(0.25),
              std::log(0.5) + 2 * std::log(0.5) - std::log(0.25) - 2 * std::log(0.75), 1e-12);
  EXPECT_EQ(b.log_density(1.0), -kInf);
  // Beta(2, 3) has CDF 6x^2 - 8x^3 + 3x^4: at 0.5, 0.6875.
  EXPECT_NEAR(b.quantile(0.6875), 0.5, 1e-9);
}

}  // namespace
}  // namespace tipsim::calibration
