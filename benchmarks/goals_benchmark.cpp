// The figures calibration-scale work depends on, each as a rate or a ratio's parts:
// many-run throughput of the default scenario, what idle at-risk women cost, bytes per
// agent and per tie, and the output's share of a run. (Thread scaling of a high-activity
// scenario is BM_Regional100xSteps in simulation_benchmark.cpp.) benchmarks/ratios.py turns
// one JSON run into the table of benchmarks/README.md.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <unistd.h>

#include "benchmarks/memory.hpp"
#include "experiments/experiment_command.hpp"
#include "models/recording/recorder.hpp"
#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

namespace {

namespace fs = std::filesystem;
using tipsim::model::LoadedScenario;
using tipsim::model::Simulation;

constexpr const char* kDefault = TIPSIM_SOURCE_DIR "/scenarios/kedougou.yaml";
constexpr int kEnsembleReplicates = 20;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tipsim_goals_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

/// `tipsim ensemble` of the default scenario, in this process: both surveys and every
/// output reduced (summary indicators and the default series), written to an ensemble file.
void BM_Ensemble(benchmark::State& state) {
  tipsim::experiments::ExperimentOptions o;
  o.scenario_files = {kDefault};
  o.replicates = kEnsembleReplicates;
  o.threads = static_cast<int>(state.range(0));
  o.out = scratch("ensemble.h5").string();
  o.overwrite = true;
  const auto prepared = tipsim::experiments::prepare_experiment(o);
  for (auto _ : state) {
    fs::remove(o.out);
    const auto report = tipsim::experiments::run_experiment(prepared, o, {});
    if (!report.written || report.failed != 0) state.SkipWithError("the ensemble failed");
  }
  state.counters["runs_per_s"] = benchmark::Counter(
      kEnsembleReplicates * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  fs::remove_all(fs::path(o.out).parent_path());
}
BENCHMARK(BM_Ensemble)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

/// The default scenario without surveys, every origin's at-risk women multiplied by `factor`.
LoadedScenario multiplied_at_risk(int factor) {
  const LoadedScenario base = tipsim::model::load_scenario(kDefault);
  std::vector<std::string> sets = {"surveys=[]"};
  for (const auto& place : base.spec.places)
    if (place.at_risk_women > 0)
      sets.push_back("places." + place.name +
                     ".at_risk_women=" + std::to_string(place.at_risk_women * factor));
  return tipsim::model::load_scenario(kDefault, sets);
}

/// A whole run of the default scenario without surveys, at one thread, its at-risk women
/// multiplied by 1 or 10: the ratio of the two, in time and in memory, is what women no
/// event reaches cost (nothing, ideally). Build and steps are timed; the run file is not.
void BM_IdlePopulation(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const int factor = static_cast<int>(state.range(0));
  const LoadedScenario scenario = multiplied_at_risk(factor);
  double peak_mib = 0, rows = 0, population = 0;
  for (auto _ : state) {
    const tipsim::bench::PeakMemory memory;
    std::optional<Simulation> sim;
    sim.emplace(scenario.spec, scenario.spec.simulation.seed);
    sim->run();
    peak_mib = memory.peak_mib();
    rows = static_cast<double>(sim->world().people.size());
    population = static_cast<double>(sim->population());
    state.PauseTiming();
    sim.reset();
    state.ResumeTiming();
  }
  state.counters["run_peak_mib"] = peak_mib;
  state.counters["rows"] = rows;
  state.counters["population"] = population;
}
BENCHMARK(BM_IdlePopulation)
    ->ArgName("at_risk_times")
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// A whole `tipsim run` of the default scenario (both surveys, full output) at one thread:
/// the share of its time that writing the run file takes.
void BM_OutputShare(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const LoadedScenario scenario = tipsim::model::load_scenario(kDefault);
  const fs::path out = scratch("run.h5");
  double run_seconds = 0, write_seconds = 0;
  for (auto _ : state) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    Simulation sim(scenario.spec, scenario.spec.simulation.seed);
    sim.run();
    const auto t1 = Clock::now();
    tipsim::model::write_run(out, sim, scenario, {1, 0, 0, "benchmark"});
    const auto t2 = Clock::now();
    run_seconds += std::chrono::duration<double>(t1 - t0).count();
    write_seconds += std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["output_share"] = write_seconds / (run_seconds + write_seconds);
  state.counters["write_ms"] = 1e3 * write_seconds / static_cast<double>(state.iterations());
  fs::remove_all(out.parent_path());
}
BENCHMARK(BM_OutputShare)
    ->Iterations(1)
    ->Repetitions(5)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
