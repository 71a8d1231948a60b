#pragma once
/// One run of the corridor model reduced to an ensemble row: the run is written to an
/// in-memory run file and read back through the same summary that `tipsim summary --json`
/// prints, so every indicator of an ensemble is, by construction, the one a user would get
/// from the run on its own.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/ensemble/run_row.hpp"
#include "sim/h5/file.hpp"

namespace tipsim::experiments {

/// Series an ensemble keeps per run unless told otherwise: /timeseries names, plus
/// `victims_removed` (identified + intercepted in transit + helped to escape) and
/// `spend_fcfa` (all interventions).
[[nodiscard]] const std::vector<std::string>& default_series();
/// Every name `--series` accepts.
[[nodiscard]] std::vector<std::string> known_series();

struct ReduceOptions {
  std::vector<analysis::SummaryOptions> windows;  ///< besides the whole run
  std::vector<std::string> window_labels;         ///< "FROM:TO", one per window
  std::vector<std::string> series;                ///< names, see known_series()
  /// When set, the run's own file is also written there, as `tipsim run` writes it.
  std::optional<std::filesystem::path> keep_file;
  int threads = 1;  ///< recorded in a kept file's provenance
  std::string command_line;
  /// When set, the run starts from this state (Simulation::save_state) of a run it shares
  /// its history with, rather than from its first day: the same run, sooner.
  const std::vector<std::uint8_t>* start_state = nullptr;
};

/// A run written to an in-memory run file, and the name that file goes by while open.
struct InMemoryRun {
  h5::File file;
  std::string name;
};
/// Runs `scenario` with key (seed, replicate) into an in-memory file: the whole file `tipsim
/// run` writes when `whole_file` (compressed, ledger and snapshots included), else only what
/// a summary reads, uncompressed. With `start_state`, from that state (see ReduceOptions).
[[nodiscard]] InMemoryRun run_in_memory(const model::LoadedScenario& scenario, std::uint64_t seed,
                                        std::uint32_t replicate, bool whole_file, int threads,
                                        const std::string& command_line,
                                        const std::vector<std::uint8_t>* start_state = nullptr);
/// Runs `scenario` with key (seed, replicate) and summarises the whole run, as `tipsim
/// summary` would summarise its file.
[[nodiscard]] analysis::Summary run_and_summarize(const model::LoadedScenario& scenario,
                                                  std::uint64_t seed, std::uint32_t replicate);

/// Runs `scenario` with key (seed, replicate) and reduces it. Indicators are the numbers of
/// `tipsim summary --json` over the whole run (paths such as `totals.recruited` or
/// `surveys.baseline_2021.estimates.rds_ii.value`) and, for each window, those of its
/// totals, stocks at its end and interventions, suffixed `@FROM:TO`.
[[nodiscard]] ensemble::RunRow run_and_reduce(const model::LoadedScenario& scenario,
                                              std::uint64_t seed, std::uint32_t replicate,
                                              const ReduceOptions& options);

}  // namespace tipsim::experiments
