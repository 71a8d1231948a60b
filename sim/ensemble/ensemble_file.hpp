#pragma once
/// The ensemble file (docs/OUTPUT.md, "Ensemble and sweep files"): written once from the
/// journal of finished runs, read back to extend or merge experiments.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/ensemble/experiment.hpp"
#include "sim/ensemble/journal.hpp"
#include "sim/ensemble/run_row.hpp"

namespace tipsim::ensemble {

/// Version of the ensemble file layout (root attribute `ensemble_schema_version`).
inline constexpr std::int64_t kEnsembleSchemaVersion = 1;

/// Writes the runs `runs` (each recorded in `journal`) to `out`, atomically. Every dataset
/// is a function of the experiment and of those runs' rows alone: not of the order in
/// which they finished, nor of how they were split among threads, ranks or part files.
void write_ensemble_file(const std::filesystem::path& out, const Experiment& experiment,
                         const Journal& journal, const std::vector<std::uint64_t>& runs);

/// The description of an ensemble file read back: its experiment (provenance included)
/// and the runs it holds.
struct EnsembleContents {
  Experiment experiment;
  std::string fingerprint;          ///< as recorded
  std::vector<std::uint64_t> runs;  ///< in manifest (run) order
};

/// Reads the description of an ensemble or sweep file; IoError when it is not one, or of
/// another version.
[[nodiscard]] EnsembleContents read_ensemble_file(const std::filesystem::path& path);

/// Hands every run of an ensemble or sweep file to `visit`, cell by cell, holding one cell's
/// series in memory at a time. Each row carries every indicator column of the file (NaN
/// where it has no value), so writing the rows again gives the same columns.
void for_each_run(const std::filesystem::path& path, const std::function<void(RunRow&&)>& visit);

/// True when `path` is an HDF5 file with the root attribute `file_kind` naming an ensemble
/// or a sweep.
[[nodiscard]] bool is_ensemble_file(const std::filesystem::path& path);

}  // namespace tipsim::ensemble
