// Throughput and memory of the corridor model: the million-person and the high-activity
// synthetic scenarios and the default Kedougou scenario, at one and two threads, with the
// world build timed on its own.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "benchmarks/memory.hpp"
#include "benchmarks/threads.hpp"
#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

namespace {

using tipsim::model::LoadedScenario;
using tipsim::model::ScenarioSpec;
using tipsim::model::Simulation;

constexpr const char* kNational = "scenarios/synthetic/national_1m.yaml";
// A hundred times the Kedougou activity: about 150,000 women at the sites.
constexpr const char* kRegional = "scenarios/synthetic/regional_100x.yaml";
constexpr const char* kKedougou = "scenarios/kedougou.yaml";  // with the 2021-2025 programme
constexpr const char* kNoProgramme = "scenarios/whatif/no_programme.yaml";
// Sixty days is long enough to cover a full cycle of house reviews (every 14 days) and
// several route legs, so one iteration sees every phase of the day's agenda at work.
constexpr int kStepsPerIteration = 60;
// Twelve iterations take 720 of the national scenario's 731 days, so the 1- and 2-thread
// runs time the same days of the same run, from the initial fill to a mature state.
constexpr int kNationalIterations = 12;
// Medians over repetitions: the machines these run on are often shared with builds.
constexpr int kRepetitions = 5;

/// Scenarios are parsed once per process: YAML reading is not what these benchmarks measure.
const ScenarioSpec& scenario(const char* relative) {
  static std::map<std::string, LoadedScenario> loaded;
  auto it = loaded.find(relative);
  if (it == loaded.end())
    it = loaded
             .emplace(relative,
                      tipsim::model::load_scenario(std::string(TIPSIM_SOURCE_DIR) + "/" + relative))
             .first;
  return it->second.spec;
}

/// What the timed steps did, for the counters.
struct Tally {
  double steps = 0;
  double agent_days = 0;  ///< persons with a row (agents that exist) summed over the steps
  double active = 0;      ///< active persons summed over the steps taken
};

/// Takes up to `n` steps; returns false once the run is over.
bool advance(Simulation& sim, int n, Tally& tally) {
  for (int i = 0; i < n; ++i) {
    if (sim.steps_done() >= sim.total_steps()) return false;
    tally.agent_days += static_cast<double>(sim.world().people.size());
    sim.step();
    tally.steps += 1;
    tally.active += static_cast<double>(sim.active_persons());
  }
  return true;
}

void report_rates(benchmark::State& state, const Tally& tally, const Simulation& sim) {
  state.counters["steps_per_s"] = benchmark::Counter(tally.steps, benchmark::Counter::kIsRate);
  state.counters["agent_days_per_s"] =
      benchmark::Counter(tally.agent_days, benchmark::Counter::kIsRate);
  state.counters["persons"] = static_cast<double>(sim.world().people.size());
  state.counters["population"] = static_cast<double>(sim.population());
  state.counters["active_persons"] = tally.steps > 0 ? tally.active / tally.steps : 0.0;
}

int threads_of(const benchmark::State& state) {
  return static_cast<int>(state.range(0));
}

/// The national scenario's whole run (build and every step, not the file) at one thread,
/// once, before any other benchmark has grown this process's heap: its peak memory over
/// what was resident before, per agent with a row. Registered first so that it runs first.
void BM_National1mMemory(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const ScenarioSpec& spec = scenario(kNational);
  for (auto _ : state) {
    const tipsim::bench::PeakMemory memory;
    Simulation sim(spec, spec.simulation.seed);
    sim.run();
    // Agents that exist in memory are the rows; the ties held are the acquaintance
    // network's (at-risk women's ties are found on demand, not held).
    const double rows = static_cast<double>(sim.world().people.size());
    const double ties = static_cast<double>(sim.acquaintances().ties_total());
    const double peak_kib = memory.peak_kib();
    // The daily series, the event ledger and the snapshots a run keeps for its file are
    // output (bounded by streaming them), not state that grows with the agents.
    const double record = static_cast<double>(sim.record().output_bytes());
    state.counters["peak_rss_mib"] = (peak_kib + memory.before_kib()) / 1024.0;
    state.counters["run_peak_mib"] = peak_kib / 1024.0;
    state.counters["record_mib"] = record / (1024.0 * 1024.0);
    state.counters["persons"] = rows;
    state.counters["ties"] = ties;
    state.counters["bytes_per_agent"] = peak_kib * 1024.0 / rows;
    state.counters["bytes_per_agent_after_ties"] = (peak_kib * 1024.0 - record - 8.0 * ties) / rows;
  }
}
BENCHMARK(BM_National1mMemory)
    ->Iterations(1)
    ->Repetitions(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// Steps of one scenario's world, built once before timing starts; each iteration takes the
/// next kStepsPerIteration steps of the same run, so iterations see the run mature. Should
/// the horizon run out, a fresh run (built untimed) continues the iteration.
void steps_of(benchmark::State& state, const char* path) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads_of(state)));
  const ScenarioSpec& spec = scenario(path);
  std::optional<Simulation> sim;
  sim.emplace(spec, spec.simulation.seed);
  Tally tally;
  for (auto _ : state) {
    int left = kStepsPerIteration;
    while (left > 0) {
      const auto before = tally.steps;
      if (advance(*sim, left, tally)) break;
      left -= static_cast<int>(tally.steps - before);
      state.PauseTiming();
      sim.reset();
      sim.emplace(spec, spec.simulation.seed);
      state.ResumeTiming();
    }
  }
  report_rates(state, tally, *sim);
}

/// The million-person world.
void BM_National1mSteps(benchmark::State& state) {
  steps_of(state, kNational);
}
BENCHMARK(BM_National1mSteps)
    ->Apply(tipsim::bench::thread_counts)
    ->Iterations(kNationalIterations)
    ->Repetitions(kRepetitions)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// Steps of the high-activity scenario (a hundred times the Kedougou activity), built
/// untimed; as for the national scenario, iterations take consecutive steps of one run.
void BM_Regional100xSteps(benchmark::State& state) {
  steps_of(state, kRegional);
}
// Six iterations: days 1-360, past the initial fill into steady trafficking.
BENCHMARK(BM_Regional100xSteps)
    ->Apply(tipsim::bench::thread_counts)
    ->Iterations(6)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// A whole scenario from its first to its last day; each run is built untimed. Without
/// `with_surveys`, its surveys are left out, so that the model's own steps are timed.
void full_run(benchmark::State& state, const char* path, bool with_surveys) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads_of(state)));
  ScenarioSpec spec = scenario(path);
  if (!with_surveys) spec.surveys.clear();
  std::optional<Simulation> sim;
  Tally tally;
  for (auto _ : state) {
    state.PauseTiming();
    sim.reset();
    sim.emplace(spec, spec.simulation.seed);
    state.ResumeTiming();
    while (advance(*sim, kStepsPerIteration, tally)) {
    }
  }
  report_rates(state, tally, *sim);
}

/// The default scenario, its programme included, without its surveys.
void BM_KedougouFullRun(benchmark::State& state) {
  full_run(state, kKedougou, false);
}
/// The same without any intervention: the ratio of the two is what the programme costs.
void BM_KedougouNoProgramme(benchmark::State& state) {
  full_run(state, kNoProgramme, false);
}
/// The default scenario with its two surveys: against BM_KedougouFullRun, what the
/// acquaintance network, the fieldwork and the bootstrapped estimators cost.
void BM_KedougouWithSurveys(benchmark::State& state) {
  full_run(state, kKedougou, true);
}
/// Every whole-run benchmark: one run per repetition, at 1 and 2 threads.
void whole_run_settings(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->Iterations(1)
      ->Repetitions(kRepetitions)
      ->DisplayAggregatesOnly()
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_KedougouWithSurveys)->Apply(whole_run_settings);
BENCHMARK(BM_KedougouNoProgramme)->Apply(whole_run_settings);
BENCHMARK(BM_KedougouFullRun)->Apply(whole_run_settings);

/// Building the national world alone: the organisation, the shortest paths and the
/// initial fill of the houses (everything the Simulation constructor does). Its million
/// at-risk women are counts, so only the women the initial fill takes get a row.
void BM_WorldBuild_National1m(benchmark::State& state) {
  const ScenarioSpec& spec = scenario(kNational);
  std::optional<Simulation> sim;
  double rows = 0, population = 0;
  for (auto _ : state) {
    sim.emplace(spec, spec.simulation.seed);
    rows = static_cast<double>(sim->world().people.size());
    population = static_cast<double>(sim->population());
    // Freeing the world is not part of building one.
    state.PauseTiming();
    sim.reset();
    state.ResumeTiming();
  }
  state.counters["persons"] = rows;
  state.counters["population"] = population;
  state.counters["population_per_s"] = benchmark::Counter(
      population * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorldBuild_National1m)
    ->Iterations(2)
    ->Repetitions(kRepetitions)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  // The helper mode that measures a child process's memory on its own.
  if (argc > 1 && std::string_view(argv[1]) == "--peak-of")
    return tipsim::bench::peak_of_main(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
