#pragma once
/// One background thread that runs jobs one after another, in the order they were
/// submitted: work that must not run on the caller's thread but must stay in order (writing
/// a file while the simulation goes on).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace tipsim {

class SerialWorker {
 public:
  /// `max_pending`: jobs that may wait at once; submit() blocks beyond it, so a producer
  /// faster than the worker holds at most that many jobs' data.
  explicit SerialWorker(std::size_t max_pending = 2);
  /// Skips the jobs not yet started, finishes the one running, and joins. Errors are
  /// dropped: call wait() to hear about them.
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  /// Queues `job`. Rethrows the exception of an earlier job that failed: after a failure
  /// no further job runs, and every submit and wait says so.
  void submit(std::function<void()> job);
  /// Blocks until every submitted job has run; rethrows the first failed job's exception.
  void wait();
  /// Seconds spent running jobs so far (complete once wait() returned).
  [[nodiscard]] double busy_seconds();

 private:
  void loop();
  void rethrow_failure();  // with mutex_ held

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> jobs_;
  std::size_t max_pending_;
  bool running_job_ = false;
  bool stopping_ = false;
  std::exception_ptr failure_;
  double busy_seconds_ = 0;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace tipsim
