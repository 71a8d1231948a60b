#pragma once
/// Memory and the commands: --max-memory, the up-front refusal of a scenario whose world
/// would not fit (models/world/memory_estimate.hpp against sim/memory.hpp's limits), the
/// check of a run's resident set as it goes, and the message when memory runs out.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "models/scenario/parameters.hpp"

namespace tipsim::model {
class Simulation;
}

namespace tipsim::cli {

/// The bytes of a --max-memory value that kMemorySize accepted; nothing when none was given.
std::optional<std::uint64_t> memory_size(const std::string& text);

/// --max-memory SIZE: "8G", "512M", "64k", "1.5GiB" or bytes; more than zero.
inline const CLI::Validator kMemorySize(
    [](std::string& text) -> std::string {
      if (text.empty()) return "expected a size such as 8G, 512M or 1048576 (bytes), got nothing";
      if (!memory_size(text))
        return "expected a size such as 8G, 512M or 1048576 (bytes), got '" + text + "'";
      return "";
    },
    "SIZE");

/// Throws ConfigError when `runs_at_once` worlds of `spec` (read from `file`) would need
/// more memory at their start than the machine, its limits or `max_memory` allow, naming
/// the figure and the scenario values behind it. Builds nothing.
void refuse_too_large(const model::ScenarioSpec& spec, const std::string& file,
                      std::optional<std::uint64_t> max_memory, std::uint64_t runs_at_once = 1);

/// Checks a run's resident set against --max-memory every few steps; throws
/// memory::MemoryError when it is exceeded (the run stops, its temporary is removed).
class MemoryWatch {
 public:
  explicit MemoryWatch(std::optional<std::uint64_t> max_memory) : max_(max_memory) {}
  void after_step(const model::Simulation& sim);

 private:
  std::optional<std::uint64_t> max_;
  std::uint32_t steps_ = 0;
};

/// What to say when memory ran out (std::bad_alloc) in `command`.
std::string out_of_memory_message(const std::string& command);

}  // namespace tipsim::cli
