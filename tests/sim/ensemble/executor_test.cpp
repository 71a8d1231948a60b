#include "sim/ensemble/executor.hpp"

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <map>
#include <stdexcept>

#include "sim/ensemble/plan.hpp"
#include "sim/stats/quantile.hpp"

namespace tipsim::ensemble {
namespace {

std::vector<std::uint64_t> ids(std::uint64_t n) {
  std::vector<std::uint64_t> v;
  for (std::uint64_t i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(PlanTest, RunIdsAreReplicateMajorSoMoreReplicatesOnlyAppend) {
  const Plan p{3, 4};
  EXPECT_EQ(p.runs(), 12u);
  EXPECT_EQ(p.run_id(2, 1), 5u);
  EXPECT_EQ(p.cell_of(5), 2u);
  EXPECT_EQ(p.replicate_of(5), 1u);
  const Plan more{3, 6};
  for (std::uint64_t r = 0; r < p.runs(); ++r) {
    EXPECT_EQ(more.cell_of(r), p.cell_of(r));
    EXPECT_EQ(more.replicate_of(r), p.replicate_of(r));
  }
}

TEST(PlanTest, ParsesSlices) {
  std::string error;
  const auto s = parse_run_slice("4:10", error);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first, 4u);
  EXPECT_EQ(s->last, 10u);
  EXPECT_FALSE(parse_run_slice("10:4", error));
  EXPECT_EQ(error, "the slice 10:4 holds no run: FIRST must be below LAST");
  EXPECT_FALSE(parse_run_slice("4-10", error));
  EXPECT_EQ(error, "expected FIRST:LAST, two run ids (the runs FIRST to LAST-1), got '4-10'");
  EXPECT_FALSE(parse_run_slice(":3", error));
}

TEST(ExecutorTest, EveryRunReachesTheSinkOnce) {
  std::map<std::uint64_t, int> seen;
  const auto failed = execute(
      ids(50),
      [](std::uint64_t run) {
        RunRow r;
        r.indicators = {{"x", static_cast<double>(run * 2)}};
        return r;
      },
      [&](RunRow&& row) {
        ++seen[row.run];
        EXPECT_EQ(row.indicators[0].second, static_cast<double>(row.run * 2));
      },
      ExecuteOptions{4, true, {}});
  EXPECT_EQ(failed, 0u);
  ASSERT_EQ(seen.size(), 50u);
  for (const auto& [run, count] : seen) EXPECT_EQ(count, 1) << run;
}

TEST(ExecutorTest, NoMoreRunsInFlightThanThreadsEvenWhenRunsUseTbbInside) {
  std::atomic<int> in_flight{0}, most{0};
  (void)execute(
      ids(24),
      [&](std::uint64_t) {
        const int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        // Nested parallel work: a waiting thread must not start another whole run.
        std::atomic<long> sum{0};
        tbb::parallel_for(0, 20000, [&](int i) { sum += i % 7; });
        --in_flight;
        return RunRow{};
      },
      [](RunRow&&) {}, ExecuteOptions{2, true, {}});
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST(ExecutorTest, AFailedRunBecomesAFailedRowWithItsMessage) {
  std::vector<RunRow> rows;
  const auto failed = execute(
      ids(10),
      [](std::uint64_t run) -> RunRow {
        if (run == 3 || run == 7) throw std::runtime_error("broke " + std::to_string(run));
        return RunRow{};
      },
      [&](RunRow&& row) { rows.push_back(std::move(row)); }, ExecuteOptions{2, false, {}});
  EXPECT_EQ(failed, 2u);
  EXPECT_EQ(rows.size(), 10u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.failed, r.run == 3 || r.run == 7);
    if (r.failed) {
      EXPECT_EQ(r.message, "broke " + std::to_string(r.run));
    }
  }
}

TEST(ExecutorTest, StopOnErrorHandsOutNoNewRunsAfterTheFailure) {
  std::vector<RunRow> rows;
  const auto failed = execute(
      ids(200),
      [](std::uint64_t run) -> RunRow {
        if (run == 0) throw std::runtime_error("first");
        return RunRow{};
      },
      [&](RunRow&& row) { rows.push_back(std::move(row)); }, ExecuteOptions{1, true, {}});
  EXPECT_EQ(failed, 1u);
  EXPECT_LT(rows.size(), 200u);
}

TEST(ExecutorTest, ASinkErrorStopsTheExperimentAndIsRethrown) {
  EXPECT_THROW(
      execute(
          ids(20), [](std::uint64_t) { return RunRow{}; },
          [](RunRow&&) { throw std::runtime_error("disk full"); }, ExecuteOptions{2, false, {}}),
      std::runtime_error);
}

TEST(ExecutorTest, ProgressCountsEveryRun) {
  Progress last;
  (void)execute(
      ids(7), [](std::uint64_t) { return RunRow{}; }, [](RunRow&&) {},
      ExecuteOptions{2, true, [&](const Progress& p) { last = p; }});
  EXPECT_EQ(last.done, 7u);
  EXPECT_EQ(last.total, 7u);
  EXPECT_EQ(last.failed, 0u);
}

TEST(QuantileTest, InterpolatesAsNumpyDoes) {
  const double qs[] = {0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0};
  // numpy.quantile([3, 1, 4, 1, 5], qs) = [1, 1, 1, 3, 4.6, 4.9, 5]
  const auto q = stats::quantiles({3, 1, 4, 1, 5, std::nan("")}, qs);
  const double expected[] = {1, 1, 1, 3, 4.6, 4.9, 5};
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], expected[i], 1e-12) << qs[i];
  EXPECT_TRUE(std::isnan(stats::quantiles({}, qs)[0]));
  EXPECT_EQ(stats::quantiles({2.5}, qs)[3], 2.5);
}

}  // namespace
}  // namespace tipsim::ensemble
