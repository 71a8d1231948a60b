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

  /// Saves or restores what is scheduled from `from_step` on (earlier buckets are empty once
  /// taken). A restored calendar holds only what was saved, within its own horizon: items
  /// due after it are dropped, as schedule() would have dropped them.
  template <class Archive>
  void transfer(Archive& ar, std::uint32_t from_step) {
    std::uint32_t first = from_step;
    std::uint32_t count = steps() > from_step ? steps() - from_step : 0;
    ar(first, count);
    if constexpr (Archive::kLoading) {
      for (auto& bucket : buckets_) bucket.clear();
      pending_ = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        std::vector<Item> bucket;
        ar(bucket);
        if (std::size_t{first} + i >= buckets_.size()) continue;
        pending_ += bucket.size();
        buckets_[first + i] = std::move(bucket);
      }
    } else {
      for (std::uint32_t i = 0; i < count; ++i) ar(buckets_[first + i]);
    }
  }

  [[nodiscard]] std::size_t pending() const { return pending_; }
  [[nodiscard]] std::uint32_t steps() const { return static_cast<std::uint32_t>(buckets_.size()); }

 private:
  std::vector<std::vector<Item>> buckets_;
  std::size_t pending_ = 0;
};

}  // namespace tipsim
