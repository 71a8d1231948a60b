#pragma once
/// Checkpoint files (docs/OUTPUT.md, "Checkpoints"): a run's state on one day, with the
/// scenario it ran, so that the run can be resumed from that day, or a what-if branched
/// from it. Written whole or not at all, beside the run's own file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"
#include "sim/date.hpp"

namespace tipsim::model {

inline constexpr std::int64_t kCheckpointVersion = 1;

struct Checkpoint {
  std::string file;  ///< where it was read from, for messages
  /// The scenario as the run loaded it: its texts, and its spec read again from the
  /// resolved text.
  LoadedScenario scenario;
  std::string scenario_file;  ///< the scenario file as named on the saving run's command line
  Date date;                  ///< the first day not simulated yet
  std::uint32_t step = 0;     ///< steps done
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  std::vector<std::uint8_t> state;  ///< Simulation::save_state()
};

/// Writes `sim`'s state now (between two steps) with the scenario it runs to `out`, through
/// a temporary renamed when complete. Throws IoError.
void write_checkpoint(const std::filesystem::path& out, const Simulation& sim,
                      const LoadedScenario& scenario, const std::string& scenario_file);

/// Reads a checkpoint file. Throws IoError naming the file when it is not a whole checkpoint
/// of this version (another kind of file, damaged, from another version of tipsim).
[[nodiscard]] Checkpoint read_checkpoint(const std::filesystem::path& file);

/// The step of a run of `spec` that starts on `date`. Throws ConfigError (naming `option`)
/// when `date` is not a step after the run's first and up to its last.
[[nodiscard]] std::uint32_t checkpoint_step(const ScenarioSpec& spec, Date date,
                                            const std::string& option);

}  // namespace tipsim::model
