// What a checkpoint costs: saving and restoring the state of the high-activity scenario
// (a hundred times the Kedougou activity) half-way through its run, against its steps.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

namespace {

using tipsim::model::Simulation;

/// The regional scenario after a year of daily steps: a mature state, built once.
const Simulation& half_way() {
  static const std::unique_ptr<Simulation> sim = [] {
    const auto scenario = tipsim::model::load_scenario(std::string(TIPSIM_SOURCE_DIR) +
                                                       "/scenarios/synthetic/regional_100x.yaml");
    auto s = std::make_unique<Simulation>(scenario.spec, scenario.spec.simulation.seed);
    while (s->steps_done() < 365) s->step();
    return s;
  }();
  return *sim;
}

void BM_SaveState(benchmark::State& state) {
  const Simulation& sim = half_way();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto saved = sim.save_state();
    bytes = saved.size();
    benchmark::DoNotOptimize(saved.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["state_bytes"] = static_cast<double>(bytes);
  state.counters["persons"] = static_cast<double>(sim.world().people.size());
}
BENCHMARK(BM_SaveState)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// Restoring into a run built from the scenario (the build untimed): what resuming, or
/// starting a what-if from its base's state, costs before its first step.
void BM_RestoreState(benchmark::State& state) {
  const Simulation& sim = half_way();
  const auto saved = sim.save_state();
  for (auto _ : state) {
    state.PauseTiming();
    Simulation restored(sim.spec(), sim.seed());
    state.ResumeTiming();
    restored.restore_state(saved, "benchmark");
    benchmark::DoNotOptimize(restored.steps_done());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * saved.size()));
}
BENCHMARK(BM_RestoreState)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
