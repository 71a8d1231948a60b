#pragma once
/// A list of agent ids in ascending order that grows by appending and is tidied once per
/// step: only the ids appended since the last tidy are sorted, then merged in linear time,
/// so keeping a list of the active agents sorted costs what changed, not its size.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace tipsim {

class IdList {
 public:
  using Id = std::uint32_t;

  /// Appends `id`; the list is out of order until the next tidy().
  void push_back(Id id) { ids_.push_back(id); }

  /// Restores ascending order without duplicates and drops every id for which `keep`
  /// returns false. Deterministic: the result depends on the ids only, never on the order
  /// in which they were appended.
  template <class Keep>
  void tidy(Keep&& keep) {
    const auto middle = ids_.begin() + static_cast<std::ptrdiff_t>(sorted_);
    std::sort(middle, ids_.end());
    // One pass merges the sorted part with the new ids, drops repeats and applies `keep`,
    // into a buffer kept from one tidy to the next.
    merged_.clear();
    merged_.reserve(ids_.size());
    auto a = ids_.begin();
    auto b = middle;
    // Repeats are adjacent in merged order; `keep` is asked once per distinct id.
    Id last = 0;
    bool any = false;
    const auto visit = [&](Id id) {
      if (any && id == last) return;
      any = true;
      last = id;
      if (keep(id)) merged_.push_back(id);
    };
    while (a != middle && b != ids_.end()) visit(*b < *a ? *b++ : *a++);
    while (a != middle) visit(*a++);
    while (b != ids_.end()) visit(*b++);
    ids_.swap(merged_);
    sorted_ = ids_.size();
  }

  [[nodiscard]] std::size_t size() const { return ids_.size(); }
  [[nodiscard]] bool empty() const { return ids_.empty(); }
  [[nodiscard]] Id operator[](std::size_t i) const { return ids_[i]; }
  [[nodiscard]] auto begin() const { return ids_.begin(); }
  [[nodiscard]] auto end() const { return ids_.end(); }

  /// Saves or restores the list (sim/state_archive.hpp).
  template <class Archive>
  void transfer(Archive& ar) {
    ar(ids_, sorted_);
  }

 private:
  std::vector<Id> ids_;
  std::vector<Id> merged_;  ///< the next tidy's output, reused
  std::size_t sorted_ = 0;  ///< ids_[0, sorted_) are ascending and unique
};

}  // namespace tipsim
