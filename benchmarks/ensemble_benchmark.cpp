// Runs per second of the default scenario (surveys and every output included) as 40 separate
// `tipsim run` processes, one or two at a time: the reference for BM_Ensemble in
// tipsim_benchmark, the same runs in one process.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

constexpr const char* kDefault = TIPSIM_SOURCE_DIR "/scenarios/kedougou.yaml";
constexpr const char* kTipsim = TIPSIM_BINARY_DIR "/bin/tipsim";
constexpr int kReplicates = 40;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tipsim_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

pid_t spawn_run(int replicate, int threads) {
  const std::string out = scratch("run_" + std::to_string(replicate) + ".h5").string();
  std::vector<std::string> args = {
      kTipsim,     "run",
      kDefault,    "-o",
      out,         "-q",
      "--threads", std::to_string(threads),
      "--set",     "simulation.replicate=" + std::to_string(replicate)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Each run prints a line; keep the benchmark's own output readable.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, kTipsim, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed != 0 ? -1 : pid;
}

/// The same 40 runs as `tipsim run` processes, `parallel` at a time, one thread each.
void BM_SeparateProcesses40(benchmark::State& state) {
  const int parallel = static_cast<int>(state.range(0));
  for (auto _ : state) {
    int next = 0, running = 0;
    while (next < kReplicates || running > 0) {
      while (running < parallel && next < kReplicates) {
        if (spawn_run(next++, 1) < 0) state.SkipWithError("cannot start tipsim");
        ++running;
      }
      int status = 0;
      if (::wait(&status) > 0) {
        --running;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("a run failed");
      }
    }
  }
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(kReplicates) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  fs::remove_all(scratch("x").parent_path());
}

BENCHMARK(BM_SeparateProcesses40)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("at_a_time")
    ->UseRealTime()
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
