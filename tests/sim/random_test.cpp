#include "sim/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tipsim {

TEST(Random, SameKeySameDraws) {
  const RandomKey key(42, 0);
  Draws a(key, Stream::recruitment, 10, 7);
  Draws b(key, Stream::recruitment, 10, 7);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.uniform(), b.uniform());
}

TEST(Random, StreamsStepsAgentsSeedsAndReplicatesDiffer) {
  const RandomKey key(42, 0);
  const double base = Draws(key, Stream::recruitment, 10, 7).uniform();
  EXPECT_NE(base, Draws(key, Stream::transit, 10, 7).uniform());
  EXPECT_NE(base, Draws(key, Stream::recruitment, 11, 7).uniform());
  EXPECT_NE(base, Draws(key, Stream::recruitment, 10, 8).uniform());
  EXPECT_NE(base, Draws(RandomKey(43, 0), Stream::recruitment, 10, 7).uniform());
  EXPECT_NE(base, Draws(RandomKey(42, 1), Stream::recruitment, 10, 7).uniform());
}

TEST(Random, UniformMomentsAndRange) {
  const RandomKey key(1, 0);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    Draws d(key, Stream::exits, 0, static_cast<std::uint32_t>(i));
    const double u = d.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 0.005);
  EXPECT_NEAR(sum2 / n - mean * mean, 1.0 / 12.0, 0.002);
}

TEST(Random, PoissonAndExponentialMeans) {
  const RandomKey key(9, 3);
  for (double mean : {0.3, 4.0, 80.0}) {
    double sum = 0;
    const int n = 50000;
    for (int i = 0; i < n; ++i) sum += Draws(key, Stream::exploitation, 1, i).poisson(mean);
    EXPECT_NEAR(sum / n, mean, 4 * std::sqrt(mean / n) + 1e-9) << mean;
  }
  double sum = 0;
  for (int i = 0; i < 50000; ++i) sum += Draws(key, Stream::exits, 2, i).exponential(0.25);
  EXPECT_NEAR(sum / 50000, 4.0, 0.1);
}

TEST(Random, LognormalMeanMatches) {
  const RandomKey key(5, 0);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) sum += Draws(key, Stream::transit, 0, i).lognormal_mean_cv(6.0, 0.5);
  EXPECT_NEAR(sum / n, 6.0, 0.05);
}

TEST(Random, RateToProbability) {
  EXPECT_DOUBLE_EQ(rate_to_probability(0.0, 1.0), 0.0);
  EXPECT_NEAR(rate_to_probability(1.0, 1.0), 1 - std::exp(-1.0), 1e-15);
}

}  // namespace tipsim

namespace tipsim {
namespace {

TEST(PoissonTable, DrawsExactlyWhatThePoissonLoopDraws) {
  // The table replaces a loop in the hottest phase of a step; any difference, even in one
  // draw of a million, would change a run. Means cover zero, the mode's neighbourhood,
  // the normal approximation above 50 and values where the sum converges early.
  const RandomKey key(17, 0);
  for (const double mean : {0.0, 1e-9, 0.3, 1.0, 2.5, 7.77, 19.0, 49.9, 50.0, 50.1, 120.0}) {
    const PoissonTable table(mean);
    for (std::uint32_t agent = 0; agent < 20000; ++agent) {
      Draws loop(key, Stream::exploitation, 3, agent);
      Draws looked_up(key, Stream::exploitation, 3, agent);
      ASSERT_EQ(table.sample(looked_up), loop.poisson(mean)) << "mean " << mean;
      // Both consumed the same draws.
      ASSERT_EQ(looked_up.uniform(), loop.uniform()) << "mean " << mean;
    }
  }
}

}  // namespace
}  // namespace tipsim
