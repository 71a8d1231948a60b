#pragma once
/// A map from 32-bit indices to 32-bit values for lookups on a hot path: open addressing
/// with linear probing in one flat array, so a lookup is usually one cache line, where a
/// node-based hash map chases a pointer. Entries are never removed. Reads are safe from
/// many threads while nobody inserts.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace tipsim {

class IndexMap {
 public:
  /// The one key that cannot be stored: it marks empty slots.
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;

  [[nodiscard]] std::size_t size() const { return size_; }

  [[nodiscard]] std::optional<std::uint32_t> find(std::uint32_t key) const {
    if (slots_.empty()) return std::nullopt;
    for (std::size_t at = home(key);; at = (at + 1) & mask_) {
      const auto& slot = slots_[at];
      if (slot.first == key) return slot.second;
      if (slot.first == kEmpty) return std::nullopt;
    }
  }

  /// Saves or restores the map as it is laid out (sim/state_archive.hpp).
  template <class Archive>
  void transfer(Archive& ar) {
    ar(slots_, mask_, bits_, size_);
  }

  /// Stores `value` under `key` unless the key is there already; returns the stored value.
  std::uint32_t insert(std::uint32_t key, std::uint32_t value) {
    // At most half full, so probes stay short.
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (std::size_t at = home(key);; at = (at + 1) & mask_) {
      auto& slot = slots_[at];
      if (slot.first == key) return slot.second;
      if (slot.first == kEmpty) {
        slot = {key, value};
        ++size_;
        return value;
      }
    }
  }

 private:
  [[nodiscard]] std::size_t home(std::uint32_t key) const {
    // Fibonacci hashing spreads consecutive indices over the table.
    return static_cast<std::size_t>((static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >>
                                    (64 - bits_)) &
           mask_;
  }

  void grow() {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> old;
    old.swap(slots_);
    bits_ = old.empty() ? 4 : bits_ + 1;
    slots_.assign(std::size_t{1} << bits_, {kEmpty, 0});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const auto& [key, value] : old)
      if (key != kEmpty) insert(key, value);
  }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> slots_;
  std::size_t mask_ = 0;
  unsigned bits_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tipsim
