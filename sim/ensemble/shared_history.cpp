#include "sim/ensemble/shared_history.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <exception>

namespace tipsim::ensemble {

SharedHistory::SharedHistory(Compute compute, std::size_t kept_replicates)
    : compute_(std::move(compute)), kept_(std::max<std::size_t>(1, kept_replicates)) {}

std::shared_ptr<const SharedHistory::States> SharedHistory::states(std::uint32_t replicate) {
  std::unique_lock lock(mutex_);
  for (;;) {
    Entry& entry = entries_[replicate];
    if (entry.ready) {
      recent_.remove(replicate);
      recent_.push_front(replicate);
      return entry.states;
    }
    if (!entry.computing) break;
    done_.wait(lock);
  }
  entries_[replicate].computing = true;
  ++computed_;
  lock.unlock();
  std::shared_ptr<const States> states;
  std::exception_ptr failure;
  try {
    // Isolated: while its parallel phases wait, this thread takes no other run's task, which
    // might ask for these very states and wait for itself.
    states = tbb::this_task_arena::isolate(
        [&] { return std::make_shared<const States>(compute_(replicate)); });
  } catch (...) {
    failure = std::current_exception();
  }
  lock.lock();
  Entry& entry = entries_[replicate];
  entry.computing = false;
  if (!failure) {
    entry.ready = true;
    entry.states = states;
    recent_.push_front(replicate);
    while (recent_.size() > kept_) {
      entries_.erase(recent_.back());
      recent_.pop_back();
    }
  } else {
    entries_.erase(replicate);
  }
  done_.notify_all();
  if (failure) std::rethrow_exception(failure);
  return states;
}

std::uint64_t SharedHistory::computed() const {
  std::lock_guard lock(mutex_);
  return computed_;
}

}  // namespace tipsim::ensemble
