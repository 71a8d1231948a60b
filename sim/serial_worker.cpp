#include "sim/serial_worker.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace tipsim {

SerialWorker::SerialWorker(std::size_t max_pending)
    : max_pending_(std::max<std::size_t>(1, max_pending)), thread_([this] { loop(); }) {}

SerialWorker::~SerialWorker() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  changed_.notify_all();
  thread_.join();
}

void SerialWorker::rethrow_failure() {
  if (failure_) std::rethrow_exception(failure_);
}

void SerialWorker::submit(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || jobs_.size() < max_pending_; });
  rethrow_failure();
  jobs_.push_back(std::move(job));
  changed_.notify_all();
}

void SerialWorker::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || (jobs_.empty() && !running_job_); });
  rethrow_failure();
}

double SerialWorker::busy_seconds() {
  const std::lock_guard lock(mutex_);
  return busy_seconds_;
}

void SerialWorker::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    running_job_ = true;
    lock.unlock();
    changed_.notify_all();  // a place in the queue came free
    std::exception_ptr error;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      job();
    } catch (...) {
      error = std::current_exception();
    }
    job = nullptr;  // its captured data goes before the next job is taken
    const auto t1 = std::chrono::steady_clock::now();
    lock.lock();
    busy_seconds_ += std::chrono::duration<double>(t1 - t0).count();
    running_job_ = false;
    if (error && !failure_) {
      failure_ = error;
      jobs_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace tipsim
