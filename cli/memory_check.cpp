#include "cli/memory_check.hpp"

#include <cmath>

#include "models/step/simulation.hpp"
#include "models/world/memory_estimate.hpp"
#include "sim/error.hpp"
#include "sim/memory.hpp"

namespace tipsim::cli {

std::optional<std::uint64_t> memory_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return memory::parse_size(text);
}

void refuse_too_large(const model::ScenarioSpec& spec, const std::string& file,
                      std::optional<std::uint64_t> max_memory, std::uint64_t runs_at_once) {
  const auto estimate = model::estimate_start_memory(spec);
  const double one = estimate.total_bytes();
  const double all = one * static_cast<double>(std::max<std::uint64_t>(1, runs_at_once));
  const auto limit = memory::tightest(max_memory);
  if (all <= static_cast<double>(limit.bytes)) return;
  std::string need = "the world would need " + memory::format_bytes(one) + " at the start (" +
                     estimate.describe() + ")";
  if (runs_at_once > 1)
    need += ", " + memory::format_bytes(all) + " for the " + std::to_string(runs_at_once) +
            " runs in progress at once (fewer --threads run fewer)";
  throw ConfigError(file + ": " + need + ", more than " + limit.what);
}

void MemoryWatch::after_step(const model::Simulation& sim) {
  // Reading /proc/self/statm costs a few microseconds: every 16th step is plenty.
  if (!max_ || steps_++ % 16 != 0) return;
  const std::uint64_t resident = memory::resident_bytes();
  if (resident <= *max_) return;
  throw memory::MemoryError(
      "the run needs more memory than --max-memory " +
      memory::format_bytes(static_cast<double>(*max_)) + " (at " + sim.today().iso() + ", " +
      memory::format_bytes(static_cast<double>(resident)) + " in use); nothing was written");
}

std::string out_of_memory_message(const std::string& command) {
  return "error: out of memory" + (command.empty() ? std::string() : " in tipsim " + command) +
         ": the machine (or a limit set on this process) could not give the memory it "
         "needed; nothing was written. Run a smaller scenario (fewer recruiters, houses or "
         "women, a shorter period), fewer runs at once (--threads), or set --max-memory to "
         "stop a run that grows too large.";
}

}  // namespace tipsim::cli
