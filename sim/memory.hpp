#pragma once
/// The memory a process may use and the memory it uses: the machine's physical memory, the
/// address-space limit (ulimit -v), a control group's memory.max, and the resident set, so
/// that work too large for the machine is refused before it allocates, and work that grows
/// past a declared limit stops cleanly. Sizes are read and written in binary units.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"

namespace tipsim::memory {

/// A run grew past the memory it was allowed (--max-memory), or memory ran out.
class MemoryError : public Error {
 public:
  using Error::Error;
};

/// A bound on the memory this process may use, and what it is ("this machine's 15.5 GiB").
struct Limit {
  std::uint64_t bytes = 0;
  std::string what;
};

/// Every bound known here: physical memory, the address space left under RLIMIT_AS, the
/// control group's memory.max, and `declared` (--max-memory) when given.
[[nodiscard]] std::vector<Limit> limits(std::optional<std::uint64_t> declared);

/// The smallest of limits(declared); a limit of 2^64 - 1 bytes when none is known.
[[nodiscard]] Limit tightest(std::optional<std::uint64_t> declared);

/// The process's resident set in bytes (/proc/self/statm), 0 when it cannot be read.
[[nodiscard]] std::uint64_t resident_bytes();

/// "8G", "512M", "64k", "1.5GiB", "1048576" (bytes): a size in binary units (K = 1024).
/// Nothing for anything else: empty, negative, zero, an unknown unit, beyond 2^63 bytes.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view text);

/// "61.2 GiB", "530 MiB", "12.0 KiB", "100 bytes".
[[nodiscard]] std::string format_bytes(double bytes);

}  // namespace tipsim::memory
