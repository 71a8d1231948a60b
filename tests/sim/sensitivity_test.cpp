// Sensitivity indices on functions whose indices are known in closed form: Sobol indices of
// the Ishigami and Sobol G functions, Morris effects of linear and non-linear functions; the
// plans' structure.
#include "sim/sensitivity/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tipsim::sensitivity {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<double> evaluate(const Plan& plan, double (*f)(const double*)) {
  std::vector<double> y;
  for (std::size_t n = 0; n < plan.size(); ++n) y.push_back(f(&plan.points[n * plan.parameters]));
  return y;
}

double ishigami(const double* u) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

void expect_near_index(double value, Interval interval, double truth, const char* what, int i) {
  // Within the bootstrap interval widened a little, or within 0.02 of the truth.
  const double slack = 0.02;
  EXPECT_TRUE((truth >= interval.low - slack && truth <= interval.high + slack) ||
              std::abs(value - truth) < slack)
      << what << " " << i << ": " << value << " [" << interval.low << ", " << interval.high
      << "] vs " << truth;
  EXPECT_NEAR(value, truth, 0.05) << what << " " << i;
}

TEST(SobolTest, IshigamiIndices) {
  const std::size_t base = 8192;
  const Plan plan = sobol_plan(3, base);
  ASSERT_EQ(plan.size(), base * 5);
  const auto s = sobol_indices(3, base, evaluate(plan, ishigami), 500);
  // a = 7, b = 0.1 (Saltelli et al. 2008; Sobol' and Levitan 1999).
  const double first[] = {0.3139, 0.4424, 0.0}, total[] = {0.5576, 0.4424, 0.2437};
  for (int i = 0; i < 3; ++i) {
    expect_near_index(s[i].first, s[i].first_interval, first[i], "S1", i);
    expect_near_index(s[i].total, s[i].total_interval, total[i], "ST", i);
    EXPECT_LE(s[i].first_interval.low, s[i].first_interval.high);
  }
}

constexpr double kG[] = {0, 1, 4.5, 9, 99, 99};

double g_function(const double* u) {
  double y = 1;
  for (int i = 0; i < 6; ++i) y *= (std::abs(4 * u[i] - 2) + kG[i]) / (1 + kG[i]);
  return y;
}

TEST(SobolTest, GFunctionIndices) {
  double v[6], product = 1;
  for (int i = 0; i < 6; ++i) {
    v[i] = 1.0 / (3 * (1 + kG[i]) * (1 + kG[i]));
    product *= 1 + v[i];
  }
  const double var = product - 1;
  const std::size_t base = 8192;
  const auto s = sobol_indices(6, base, evaluate(sobol_plan(6, base), g_function), 500);
  for (int i = 0; i < 6; ++i) {
    const double first = v[i] / var, total = v[i] * product / (1 + v[i]) / var;
    expect_near_index(s[i].first, s[i].first_interval, first, "S1", i);
    expect_near_index(s[i].total, s[i].total_interval, total, "ST", i);
  }
  // The order of importance follows a: the smaller, the more important.
  for (int i = 0; i < 3; ++i) EXPECT_GT(s[i].total, s[i + 1].total);
}

double linear(const double* u) {
  return 3 * u[0] - 2 * u[1] + 0 * u[2];
}
double curved(const double* u) {
  return u[0] * u[0] + u[1] * u[2];
}

TEST(MorrisTest, PlanMovesOneParameterByDeltaAtEachStep) {
  MorrisOptions o;
  o.trajectories = 8;
  o.levels = 4;
  const Plan plan = morris_plan(5, o);
  ASSERT_EQ(plan.size(), 8u * 6);
  const double delta = 4.0 / 6;
  for (std::size_t t = 0; t < 8; ++t) {
    std::vector<int> moved(5, 0);
    for (std::size_t s = 0; s < 5; ++s) {
      int changes = 0;
      for (std::size_t i = 0; i < 5; ++i) {
        const double a = plan.points[(t * 6 + s) * 5 + i], b = plan.points[(t * 6 + s + 1) * 5 + i];
        EXPECT_GE(b, -1e-12);
        EXPECT_LE(b, 1 + 1e-12);
        // On the grid {0, 1/3, 2/3, 1}.
        EXPECT_NEAR(std::round(b * 3), b * 3, 1e-9);
        if (a != b) {
          ++changes;
          ++moved[i];
          EXPECT_NEAR(std::abs(b - a), delta, 1e-12);
        }
      }
      EXPECT_EQ(changes, 1);
    }
    for (int m : moved) EXPECT_EQ(m, 1);  // every parameter once per trajectory
  }
  EXPECT_EQ(morris_plan(5, o).points, plan.points);  // a function of the seed
  o.seed = 2;
  EXPECT_NE(morris_plan(5, o).points, plan.points);
}

TEST(MorrisTest, ChosenTrajectoriesAreSpreadWiderThanTheFirstCandidates) {
  MorrisOptions o;
  o.trajectories = 6;
  o.candidates = 40;
  const Plan chosen = morris_plan(4, o);
  o.candidates = 6;  // no choice: the first six
  const Plan first = morris_plan(4, o);
  const auto spread = [](const Plan& p) {
    double sum = 0;
    const std::size_t n = p.parameters + 1, k = p.parameters, r = p.size() / n;
    for (std::size_t a = 0; a < r; ++a)
      for (std::size_t b = a + 1; b < r; ++b)
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j) {
            double d2 = 0;
            for (std::size_t q = 0; q < k; ++q) {
              const double d = p.points[(a * n + i) * k + q] - p.points[(b * n + j) * k + q];
              d2 += d * d;
            }
            sum += std::sqrt(d2);
          }
    return sum;
  };
  EXPECT_GT(spread(chosen), spread(first));
}

TEST(MorrisTest, LinearEffectsAreTheSlopesWithoutSpread) {
  MorrisOptions o;
  o.trajectories = 10;
  const Plan plan = morris_plan(3, o);
  const auto m = morris_indices(plan, evaluate(plan, linear), 200);
  EXPECT_NEAR(m[0].mu, 3, 1e-12);
  EXPECT_NEAR(m[0].mu_star, 3, 1e-12);
  EXPECT_NEAR(m[1].mu, -2, 1e-12);
  EXPECT_NEAR(m[1].mu_star, 2, 1e-12);
  EXPECT_NEAR(m[2].mu_star, 0, 1e-12);
  for (const auto& x : m) {
    EXPECT_NEAR(x.sigma, 0, 1e-12);
    EXPECT_NEAR(x.mu_star_interval.low, x.mu_star, 1e-12);
    EXPECT_NEAR(x.mu_star_interval.high, x.mu_star, 1e-12);
  }
}

TEST(MorrisTest, CurvatureAndInteractionsShowInSigma) {
  MorrisOptions o;
  o.trajectories = 20;
  const Plan plan = morris_plan(3, o);
  const auto m = morris_indices(plan, evaluate(plan, curved), 500);
  // x1^2: the effect depends on where x1 is (Δ = 2/3 from 0 or 1/3: 2/3 or 4/3).
  EXPECT_GT(m[0].sigma, 0.1);
  EXPECT_GT(m[0].mu_star, 0.5);
  EXPECT_LT(m[0].mu_star, 1.4);
  // x2 x3: each effect is the other's value, 0 to 1.
  EXPECT_GT(m[1].sigma, 0.1);
  EXPECT_GT(m[2].sigma, 0.1);
  for (const auto& x : m) {
    EXPECT_LE(x.mu_star_interval.low, x.mu_star);
    EXPECT_GE(x.mu_star_interval.high, x.mu_star);
  }
}

}  // namespace
}  // namespace tipsim::sensitivity
