// Same scenario and seed give identical records whatever the number of threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>

#include "model_test_support.hpp"

namespace tipsim::model {
namespace {

struct Run {
  RunRecord record;
  std::vector<RouteFlow> route_flows;
};

Run run_with_threads(std::size_t threads, std::uint64_t seed) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const auto scenario = testing::load_small();
  Simulation sim(scenario.spec, seed);
  sim.run();
  return {sim.record(), sim.route_flows()};
}

TEST(Determinism, OneTwoAndEightThreadsGiveIdenticalRecords) {
  const auto one = run_with_threads(1, 42);
  for (std::size_t threads : {2, 8}) {
    const auto many = run_with_threads(threads, 42);
    EXPECT_EQ(one.record.totals, many.record.totals) << threads;
    EXPECT_EQ(one.record.by_site, many.record.by_site) << threads;
    EXPECT_EQ(one.record.site_demand, many.record.site_demand) << threads;
    EXPECT_TRUE(testing::same_events(one.record.events, many.record.events)) << threads;
    EXPECT_EQ(one.route_flows, many.route_flows) << threads;
  }
}

TEST(Determinism, AnotherSeedGivesAnotherRun) {
  EXPECT_NE(run_with_threads(2, 42).record.totals, run_with_threads(2, 43).record.totals);
}

}  // namespace
}  // namespace tipsim::model
