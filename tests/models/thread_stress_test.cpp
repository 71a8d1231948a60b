// Many threads on few cores: a run, and an ensemble of runs, give the same results bit for bit
// with 1 thread as with 64 or 256, run after run. ThreadSanitizer cannot check Debian's
// uninstrumented oneTBB (docs/RELIABILITY.md), so the parallel phases are stressed here:
// an arena of many threads oversubscribes the machine, which shuffles how work is split and
// in which order tasks finish, and any result that depended on it would differ.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "model_test_support.hpp"
#include "sim/ensemble/executor.hpp"

namespace tipsim::model {
namespace {

/// Everything a run leaves that could depend on thread timing.
struct Outcome {
  RunRecord record;
  std::vector<RouteFlow> route_flows;
  Population people;
};

/// Runs `scenario` in an arena of `threads` threads (more than the cores: the global limit
/// is raised too, or TBB would keep to the cores).
Outcome run_on(std::size_t threads, const LoadedScenario& scenario) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(threads));
  Outcome out;
  arena.execute([&] {
    EXPECT_EQ(tbb::this_task_arena::max_concurrency(), static_cast<int>(threads));
    Simulation sim(scenario.spec, scenario.spec.simulation.seed);
    sim.run();
    out.record = sim.record();
    out.route_flows = sim.route_flows();
    out.people = sim.world().people;
  });
  return out;
}

/// The threads of this process now (/proc/self/status).
int process_threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return 0;
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.record.days, b.record.days) << what;
  EXPECT_EQ(a.record.totals, b.record.totals) << what;
  EXPECT_EQ(a.record.by_site, b.record.by_site) << what;
  EXPECT_EQ(a.record.site_demand, b.record.site_demand) << what;
  EXPECT_EQ(a.record.site_gold_luck, b.record.site_gold_luck) << what;
  EXPECT_EQ(a.record.interventions, b.record.interventions) << what;
  ASSERT_EQ(a.record.events.size(), b.record.events.size()) << what;
  for (std::size_t i = 0; i < a.record.events.size(); ++i) {
    const Event& x = a.record.events[i];
    const Event& y = b.record.events[i];
    ASSERT_TRUE(x.day == y.day && x.type == y.type && x.person == y.person && x.place == y.place &&
                x.other == y.other && x.value_fcfa == y.value_fcfa)
        << what << ": event " << i;
  }
  ASSERT_EQ(a.record.observations.size(), b.record.observations.size()) << what;
  for (std::size_t i = 0; i < a.record.observations.size(); ++i) {
    EXPECT_EQ(a.record.observations[i].trafficked_18_30, b.record.observations[i].trafficked_18_30)
        << what;
    EXPECT_EQ(a.record.observations[i].victims_by_country,
              b.record.observations[i].victims_by_country)
        << what;
  }
  EXPECT_EQ(a.route_flows, b.route_flows) << what;
  EXPECT_EQ(a.people.status, b.people.status) << what;
  EXPECT_EQ(a.people.place, b.people.place) << what;
  EXPECT_EQ(a.people.draw_key, b.people.draw_key) << what;
  EXPECT_EQ(a.people.debt_fcfa, b.people.debt_fcfa) << what;
  EXPECT_EQ(a.people.house, b.people.house) << what;
  EXPECT_EQ(a.people.flags, b.people.flags) << what;
}

TEST(ThreadStress, TheDefaultScenarioIsTheSameOnOneAndOnHundredsOfThreads) {
  // The default scenario: every phase, interventions and surveys included.
  const auto scenario = load_scenario(TIPSIM_SOURCE_DIR "/scenarios/kedougou.yaml", {});
  const auto one = run_on(1, scenario);
  ASSERT_GT(one.record.events.size(), 1000u);
  for (int repeat = 0; repeat < 3; ++repeat)
    expect_same(one, run_on(64, scenario), "64 threads, repeat " + std::to_string(repeat));
  expect_same(one, run_on(256, scenario), "256 threads");
  // The arenas did start many threads (TBB creates them as the work asks for them).
  EXPECT_GT(process_threads(), 8);
}

/// An ensemble of the small corridor's replicates on `threads` threads: each run's daily
/// totals, by run.
std::map<std::uint64_t, std::vector<double>> ensemble_on(int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  auto scenario = testing::load_small();
  std::vector<std::uint64_t> pending(24);
  for (std::uint64_t r = 0; r < pending.size(); ++r) pending[r] = r;
  std::map<std::uint64_t, std::vector<double>> rows;
  ensemble::ExecuteOptions options;
  options.threads = threads;
  const auto failed = ensemble::execute(
      pending,
      [&](std::uint64_t run) {
        auto spec = scenario.spec;
        spec.simulation.replicate = static_cast<std::uint32_t>(run);
        Simulation sim(spec, spec.simulation.seed);
        sim.run();
        ensemble::RunRow row;
        row.run = run;
        row.series.emplace_back(sim.record().totals.begin(), sim.record().totals.end());
        return row;
      },
      [&](ensemble::RunRow&& row) { rows[row.run] = std::move(row.series.front()); }, options);
  EXPECT_EQ(failed, 0u);
  return rows;
}

TEST(ThreadStress, AnEnsembleOnManyThreadsIsTheEnsembleRunOneAtATime) {
  const auto serial = ensemble_on(1);
  ASSERT_EQ(serial.size(), 24u);
  EXPECT_NE(serial.at(0), serial.at(1));  // replicates differ: the comparison can fail
  for (int repeat = 0; repeat < 2; ++repeat) EXPECT_EQ(serial, ensemble_on(64)) << repeat;
  EXPECT_EQ(serial, ensemble_on(256));
}

}  // namespace
}  // namespace tipsim::model
