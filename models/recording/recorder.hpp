#pragma once
/// Writes one run to one HDF5 file (schema in docs/OUTPUT.md). The file appears only when
/// complete: it is written to a temporary name and renamed on success.
#include <filesystem>
#include <string>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::model {

/// Output schema version; bump on any change to names, shapes or units.
inline constexpr std::int64_t kOutputSchemaVersion = 3;

/// Provenance that is not part of the scenario.
struct RunInfo {
  int threads = 1;
  double build_seconds = 0;
  double run_seconds = 0;
  std::string command_line;
};

void write_run(const std::filesystem::path& out, const Simulation& sim,
               const LoadedScenario& scenario, const RunInfo& info);
/// Writes the same contents under `root` of a file the caller owns (an in-memory one).
/// Without `with_ledger` the event ledger and the snapshots are left out: what a summary
/// reads is all there, and compressing the ledger is most of the cost of writing a run.
void write_run_contents(h5::Group& root, const Simulation& sim, const LoadedScenario& scenario,
                        const RunInfo& info, bool with_ledger = true);

}  // namespace tipsim::model
