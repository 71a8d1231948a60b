#pragma once
/// Runs the runs of an experiment in parallel on this process: one TBB task per run, each
/// run free to use TBB inside, results handed one at a time to a sink as runs finish.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/ensemble/run_row.hpp"

namespace tipsim::ensemble {

struct Progress {
  std::uint64_t done = 0;    ///< finished by this call, failed ones included
  std::uint64_t failed = 0;  ///< of which failed
  std::uint64_t total = 0;   ///< to run in this call
  double elapsed_seconds = 0;
};

struct ExecuteOptions {
  int threads = 1;  ///< worker threads, shared by the runs in flight and their own tasks
  /// Stop handing out runs after the first failure (runs in flight still finish and reach
  /// the sink); otherwise record it and go on.
  bool stop_on_error = true;
  /// Called after each run reaches the sink, from the thread that finished it, serially.
  std::function<void(const Progress&)> on_progress;
};

/// Computes one run; an exception it throws becomes a failed row with the message.
using RunFunction = std::function<RunRow(std::uint64_t run)>;
/// Receives each finished row, serially. An exception it throws stops the experiment and is
/// rethrown by execute() once the runs in flight are done.
using RowSink = std::function<void(RunRow&&)>;

/// Runs `pending` (any order); at most `threads` runs are in flight at once, so memory is
/// bounded by them whatever the number of runs. Returns the number of failed runs.
std::uint64_t execute(const std::vector<std::uint64_t>& pending, const RunFunction& compute,
                      const RowSink& sink, const ExecuteOptions& options);

/// `compute(run)`, with a thrown exception turned into a failed row and the wall time set.
RunRow compute_row(std::uint64_t run, const RunFunction& compute);

}  // namespace tipsim::ensemble
