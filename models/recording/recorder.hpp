#pragma once
/// Writes one run to one HDF5 file (schema in docs/OUTPUT.md). The file appears only when
/// complete: it is written to a temporary name and renamed on success.
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::model {

/// Output schema version; bump on any change to names, shapes or units.
inline constexpr std::int64_t kOutputSchemaVersion = 4;
/// Daily rows per stored chunk of a series (fewer in a shorter run), and events per stored
/// chunk of the ledger. A chunk is compressed once it is full, so a streamed run is left
/// with at most one chunk of each to compress when it ends.
inline constexpr std::uint64_t kSeriesChunkRows = 256;
inline constexpr std::uint64_t kLedgerChunkRows = 4096;

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

/// The parts of a run's file known before it starts: provenance (less the run's timings),
/// places, the interventions' declarations, the list of surveys. The daily record is
/// RecordWriter's (models/recording/record_writer.hpp).
void write_run_header(h5::Group& root, const Simulation& sim, const LoadedScenario& scenario);

/// One survey as the file holds it, copied out of the run so that it can be written while
/// the run goes on.
struct SurveyOutput {
  SurveySpec spec;
  SurveyResult result;
  std::vector<std::uint32_t> person_ids;  ///< of the respondents, in order
  std::vector<std::string> departments;   ///< the world's, for the estimates' names
};
[[nodiscard]] SurveyOutput survey_output(const Simulation& sim, std::size_t index);
/// Writes /surveys/<name>.
void write_survey(h5::Group& root, const SurveyOutput& survey);

/// What is complete only when the run ends: the surveys not written yet (those whose
/// `surveys_written` entry is not true), the observations, the women moved along each route,
/// and the run's timings.
void write_end_of_run(h5::Group& root, const Simulation& sim, const RunInfo& info,
                      const std::vector<bool>& surveys_written);
/// Daily rows per stored chunk for this run's series.
[[nodiscard]] std::uint64_t series_chunk_rows(const Simulation& sim);

}  // namespace tipsim::model
