#include "sim/ensemble/executor.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <chrono>
#include <exception>
#include <mutex>
#include <new>
#include <optional>

namespace tipsim::ensemble {

RunRow compute_row(std::uint64_t run, const RunFunction& compute) {
  const auto t0 = std::chrono::steady_clock::now();
  RunRow row;
  try {
    row = compute(run);
  } catch (const std::bad_alloc&) {
    row = RunRow{};
    row.failed = true;
    row.message =
        "out of memory: the runs in progress at once needed more than the machine gives "
        "(fewer --threads run fewer at once)";
  } catch (const std::exception& e) {
    row = RunRow{};
    row.failed = true;
    row.message = e.what();
  }
  row.run = run;
  row.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return row;
}

std::uint64_t execute(const std::vector<std::uint64_t>& pending, const RunFunction& compute,
                      const RowSink& sink, const ExecuteOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  std::mutex mutex;
  Progress progress;
  progress.total = pending.size();
  std::exception_ptr sink_error;
  if (options.on_progress) options.on_progress(progress);  // "0 of N" before the first ends
  tbb::task_group_context context;
  // More threads than cores are started only when the process-wide limit allows them: TBB
  // keeps to the cores otherwise, and says on standard error that it ignores the request.
  std::optional<tbb::global_control> limit;
  if (options.threads > tbb::info::default_concurrency())
    limit.emplace(tbb::global_control::max_allowed_parallelism,
                  static_cast<std::size_t>(options.threads));
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, pending.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            // Isolation keeps a thread waiting inside one run's parallel loops from picking
            // up a whole other run, which would put more runs in flight than threads.
            RunRow row =
                tbb::this_task_arena::isolate([&] { return compute_row(pending[i], compute); });
            const std::lock_guard lock(mutex);
            if (sink_error) return;
            const bool failed = row.failed;
            try {
              sink(std::move(row));
            } catch (...) {
              sink_error = std::current_exception();
              context.cancel_group_execution();
              return;
            }
            ++progress.done;
            if (failed) ++progress.failed;
            progress.elapsed_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (options.on_progress) options.on_progress(progress);
            if (failed && options.stop_on_error) context.cancel_group_execution();
          }
        },
        tbb::simple_partitioner(), context);
  });
  if (sink_error) std::rethrow_exception(sink_error);
  return progress.failed;
}

}  // namespace tipsim::ensemble
