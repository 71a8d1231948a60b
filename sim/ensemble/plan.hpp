#pragma once
/// The runs of an experiment: every cell (a scenario, or a scenario at one design point)
/// run for the same replicates. Knows nothing of what a run computes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tipsim::ensemble {

/// Largest number of replicates: the replicate shares a 32-bit counter word with the
/// block index of a draw (sim/random.hpp), 12 bits of it.
inline constexpr std::uint32_t kMaxReplicates = 4096;

/// Run ids enumerate replicate-major: run = replicate * cells + cell. Asking for more
/// replicates later only appends ids, so an experiment can grow without renumbering.
struct Plan {
  std::uint32_t cells = 1;
  std::uint32_t replicates = 1;

  [[nodiscard]] std::uint64_t runs() const noexcept {
    return static_cast<std::uint64_t>(cells) * replicates;
  }
  [[nodiscard]] std::uint32_t cell_of(std::uint64_t run) const noexcept {
    return static_cast<std::uint32_t>(run % cells);
  }
  [[nodiscard]] std::uint32_t replicate_of(std::uint64_t run) const noexcept {
    return static_cast<std::uint32_t>(run / cells);
  }
  [[nodiscard]] std::uint64_t run_id(std::uint32_t cell, std::uint32_t replicate) const noexcept {
    return static_cast<std::uint64_t>(replicate) * cells + cell;
  }
};

/// Runs [first, last) of an experiment (`--runs A:B`, a half-open range like a Python slice).
struct RunSlice {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

/// Parses "A:B" with A < B. Returns an explanation in `error` when the text is malformed.
[[nodiscard]] std::optional<RunSlice> parse_run_slice(std::string_view text, std::string& error);

}  // namespace tipsim::ensemble
