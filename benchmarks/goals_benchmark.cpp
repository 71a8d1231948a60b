// The figures calibration-scale work depends on, each as a rate or a ratio's parts:
// many-run throughput of the default scenario, what idle at-risk women cost, bytes per
// agent and per tie, and the output's share of a run. (Thread scaling of a high-activity
// scenario is BM_Regional100xSteps in simulation_benchmark.cpp.) benchmarks/ratios.py turns
// one JSON run into the table of benchmarks/README.md.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "benchmarks/memory.hpp"
#include "benchmarks/threads.hpp"
#include "experiments/experiment_command.hpp"
#include "models/recording/recorder.hpp"
#include "models/recording/run_stream.hpp"
#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using tipsim::model::LoadedScenario;
using tipsim::model::Simulation;

constexpr const char* kDefault = TIPSIM_SOURCE_DIR "/scenarios/kedougou.yaml";
constexpr const char* kTipsim = TIPSIM_BINARY_DIR "/bin/tipsim";
/// Replicates of an ensemble at `threads`: 20, or four per thread on a larger machine.
int ensemble_replicates(int threads) {
  return std::max(20, 4 * threads);
}

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
  o.threads = static_cast<int>(state.range(0));
  o.replicates = ensemble_replicates(o.threads);
  o.out = scratch("ensemble.h5").string();
  o.overwrite = true;
  const auto prepared = tipsim::experiments::prepare_experiment(o);
  for (auto _ : state) {
    fs::remove(o.out);
    const auto report = tipsim::experiments::run_experiment(prepared, o, {});
    if (!report.written || report.failed != 0) state.SkipWithError("the ensemble failed");
  }
  state.counters["runs_per_s"] = benchmark::Counter(
      o.replicates * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  fs::remove_all(fs::path(o.out).parent_path());
}
BENCHMARK(BM_Ensemble)
    ->Apply(tipsim::bench::thread_counts)
    ->Iterations(1)
    ->Repetitions(3)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

/// `--set` options that leave out the default scenario's surveys and multiply every origin's
/// at-risk women by `factor`.
std::vector<std::string> multiplied_at_risk(int factor) {
  const LoadedScenario base = tipsim::model::load_scenario(kDefault);
  std::vector<std::string> sets = {"--set", "surveys=[]"};
  for (const auto& place : base.spec.places) {
    if (place.at_risk_women <= 0) continue;
    sets.push_back("--set");
    sets.push_back("places." + place.name +
                   ".at_risk_women=" + std::to_string(place.at_risk_women * factor));
  }
  return sets;
}

/// Starts `argv[0]` with `argv`, waits for it; its peak resident memory in KiB (wait4's
/// ru_maxrss), or a negative value if it could not run or failed.
double spawn_and_wait(char* const* argv) {
  // Its standard output is not ours: ours carries the figure back.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) return -1;
  int status = 0;
  rusage usage{};
  if (::wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return static_cast<double>(usage.ru_maxrss);
}

/// Runs `tipsim` with `args`; returns its peak resident memory in KiB, or a negative value.
/// Linux records a process's peak from the moment it was forked, and a child spawned from
/// this large process shares its memory until it starts tipsim; so a small helper (this
/// binary with --peak-of, see peak_of_main) starts tipsim and reports its peak instead.
double run_tipsim(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"/proc/self/exe", "--peak-of", kTipsim};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_ends[1]);
  std::string reply;
  char buffer[64];
  for (ssize_t n; !failed && (n = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    reply.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_ends[0]);
  int status = 0;
  if (failed || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  char* end = nullptr;
  const double peak_kib = std::strtod(reply.c_str(), &end);
  return end != reply.c_str() ? peak_kib : -1;
}

/// A whole `tipsim run` of the default scenario without surveys, at one thread, its at-risk
/// women multiplied by 1 or 10, as a process of its own so that its peak memory is its own:
/// the ratio of the two, in time and in memory, is what women no event reaches cost.
void BM_IdlePopulation(benchmark::State& state) {
  const int factor = static_cast<int>(state.range(0));
  std::vector<std::string> args = {"run", kDefault,    "-o", scratch("idle.h5").string(),
                                   "-q",  "--threads", "1"};
  const auto sets = multiplied_at_risk(factor);
  args.insert(args.end(), sets.begin(), sets.end());
  double peak_kib = 0;
  for (auto _ : state) {
    peak_kib = run_tipsim(args);
    if (peak_kib < 0) state.SkipWithError("tipsim run failed");
  }
  state.counters["peak_rss_mib"] = peak_kib / 1024.0;
  fs::remove_all(scratch("x").parent_path());
}
BENCHMARK(BM_IdlePopulation)
    ->ArgName("at_risk_times")
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->Repetitions(5)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// A whole `tipsim run` of the default scenario (both surveys, full output) at one thread,
/// its file written as the run goes (models/recording/run_stream.hpp): the share of the
/// run's time that its thread spent on the output (handing chunks over, and waiting at the
/// end for the rest to be written), and the writer thread's own time, which runs on the
/// other core.
void BM_OutputShare(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  const LoadedScenario scenario = tipsim::model::load_scenario(kDefault);
  const fs::path out = scratch("run.h5");
  double run_seconds = 0, waited_seconds = 0, writing_seconds = 0;
  for (auto _ : state) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    Simulation sim(scenario.spec, scenario.spec.simulation.seed);
    tipsim::model::RunStream stream(out, sim, scenario);
    bool more = true;
    while (more) {
      more = sim.step();
      stream.after_step();
    }
    stream.finish({1, 0, 0, "benchmark"});
    run_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    waited_seconds += stream.seconds_waited();
    writing_seconds += stream.seconds_writing();
  }
  const auto runs = static_cast<double>(state.iterations());
  state.counters["output_share"] = waited_seconds / run_seconds;
  state.counters["output_wait_ms"] = 1e3 * waited_seconds / runs;
  state.counters["writer_ms"] = 1e3 * writing_seconds / runs;
  fs::remove_all(out.parent_path());
}
BENCHMARK(BM_OutputShare)
    ->Iterations(1)
    ->Repetitions(5)
    ->DisplayAggregatesOnly()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

namespace tipsim::bench {

int peak_of_main(int argc, char** argv) {
  if (argc < 3) return 2;
  const double peak_kib = spawn_and_wait(argv + 2);
  if (peak_kib < 0) return 1;
  std::printf("%.0f\n", peak_kib);
  return 0;
}

}  // namespace tipsim::bench
