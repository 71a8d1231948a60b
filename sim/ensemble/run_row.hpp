#pragma once
/// What one run of an experiment leaves behind once reduced: named indicators and a few
/// daily series. This, not the run, is what travels between threads, processes and files.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tipsim::ensemble {

struct RunRow {
  std::uint64_t run = 0;
  bool failed = false;
  std::string message;  ///< why it failed; empty when done
  double wall_seconds = 0;
  /// (name, value) in the order the reducer produced them; NaN for "no value".
  std::vector<std::pair<std::string, double>> indicators;
  std::vector<std::int32_t> days;  ///< step dates, days since 1970-01-01
  /// One series per name of the experiment's series list, each days.size() long.
  std::vector<std::vector<double>> series;
};

/// A self-describing byte string; `deserialize` throws std::runtime_error on anything
/// that is not exactly what `serialize` wrote.
[[nodiscard]] std::string serialize(const RunRow& row);
[[nodiscard]] RunRow deserialize(std::string_view bytes);

/// FNV-1a, 64 bits: a checksum for records and a short fingerprint of texts.
[[nodiscard]] std::uint64_t fnv1a64(std::string_view bytes) noexcept;

}  // namespace tipsim::ensemble
