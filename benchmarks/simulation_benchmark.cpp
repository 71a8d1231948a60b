// Throughput and memory of the corridor model: the million-person synthetic scenario and the
// default Kedougou scenario, at one and two threads, with the world build timed on its own.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

namespace {

using tipsim::model::LoadedScenario;
using tipsim::model::ScenarioSpec;
using tipsim::model::Simulation;

constexpr const char* kNational = "scenarios/synthetic/national_1m.yaml";
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

/// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or 0 where it cannot be read.
double status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == field + ":") {
      in >> value;
      return value;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

/// Resets VmHWM to the current RSS (Linux 4.0+), so the peak seen afterwards belongs to the
/// benchmark that asked and not to whichever ran before it in the same process.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

/// What the timed steps did, for the counters.
struct Tally {
  double steps = 0;
  double agent_days = 0;  ///< persons in the world summed over the steps taken
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
  state.counters["active_persons"] = tally.steps > 0 ? tally.active / tally.steps : 0.0;
}

int threads_of(const benchmark::State& state) {
  return static_cast<int>(state.range(0));
}

/// Steps of the million-person world, built once before timing starts; each iteration takes
/// the next kStepsPerIteration steps of the same run, so iterations see the run mature.
void BM_National1mSteps(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads_of(state)));
  const ScenarioSpec& spec = scenario(kNational);
  const bool peak_was_reset = reset_peak_rss();
  const double rss_before_kib = status_kib("VmRSS");
  std::optional<Simulation> sim;
  sim.emplace(spec, spec.simulation.seed);
  const double rss_built_kib = status_kib("VmRSS");

  Tally tally;
  for (auto _ : state) {
    int left = kStepsPerIteration;
    while (left > 0) {
      const auto before = tally.steps;
      if (advance(*sim, left, tally)) break;
      left -= static_cast<int>(tally.steps - before);
      // The horizon ran out: a fresh run continues the iteration; its build is not timed.
      state.PauseTiming();
      sim.reset();
      sim.emplace(spec, spec.simulation.seed);
      state.ResumeTiming();
    }
  }

  report_rates(state, tally, *sim);
  const double persons = static_cast<double>(sim->world().people.size());
  const double rss_end_kib = status_kib("VmRSS");
  const double peak_kib = peak_was_reset && status_kib("VmHWM") > 0
                              ? status_kib("VmHWM")
                              : std::max(rss_built_kib, rss_end_kib);
  state.counters["peak_rss_mib"] = peak_kib / 1024.0;
  // Peak over the baseline: includes what the build holds only while it runs.
  state.counters["bytes_per_agent"] = (peak_kib - rss_before_kib) * 1024.0 / persons;
  // What stays resident once the timed steps are done.
  state.counters["resident_bytes_per_agent"] = (rss_end_kib - rss_before_kib) * 1024.0 / persons;
}
BENCHMARK(BM_National1mSteps)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(kNationalIterations)
    ->Repetitions(kRepetitions)
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

/// Building the million-person world alone: persons, social network, organisation, paths and
/// the initial fill of houses (everything the Simulation constructor does).
void BM_WorldBuild_National1m(benchmark::State& state) {
  const ScenarioSpec& spec = scenario(kNational);
  std::optional<Simulation> sim;
  double persons = 0;
  for (auto _ : state) {
    sim.emplace(spec, spec.simulation.seed);
    persons = static_cast<double>(sim->world().people.size());
    // Freeing a million-person world is not part of building one.
    state.PauseTiming();
    sim.reset();
    state.ResumeTiming();
  }
  state.counters["persons"] = persons;
  state.counters["persons_per_s"] = benchmark::Counter(
      persons * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorldBuild_National1m)
    ->Iterations(2)
    ->Repetitions(kRepetitions)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
