#pragma once
/// Calendar buckets: scheduled transitions sit in the bucket of the step they fall due,
/// so a step costs what happens in it, not the size of the population.
#include <cstdint>
#include <vector>

namespace tipsim {

/// One bucket per step of the horizon. Items due after the horizon are dropped: they
/// would never be processed. Items carry whatever the caller needs to check staleness
/// (for example an agent's state generation).
template <class Item>
class CalendarQueue {
 public:
  explicit CalendarQueue(std::uint32_t steps = 0) : buckets_(steps) {}

  void reset(std::uint32_t steps) { buckets_.assign(steps, {}); }

  /// Schedules `item` at `step`. Returns false when the step lies beyond the horizon.
  bool schedule(std::uint32_t step, const Item& item) {
    if (step >= buckets_.size()) return false;
    buckets_[step].push_back(item);
    ++pending_;
    return true;
  }

  /// Removes and returns the items due at `step`, in the order they were scheduled.
  std::vector<Item> take(std::uint32_t step) {
    if (step >= buckets_.size()) return {};
    std::vector<Item> due;
    due.swap(buckets_[step]);
    pending_ -= due.size();
    return due;
  }

  [[nodiscard]] std::size_t pending() const { return pending_; }
  [[nodiscard]] std::uint32_t steps() const { return static_cast<std::uint32_t>(buckets_.size()); }

 private:
  std::vector<std::vector<Item>> buckets_;
  std::size_t pending_ = 0;
};

}  // namespace tipsim
