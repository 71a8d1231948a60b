#pragma once
/// `tipsim ensemble` and `tipsim sweep`: builds the experiment from scenario (and design)
/// files, resumes it from its journal, runs what is missing here or over MPI ranks, and
/// writes the ensemble file.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/ensemble/executor.hpp"
#include "sim/ensemble/experiment.hpp"
#include "sim/ensemble/shared_history.hpp"

namespace tipsim::experiments {

struct ExperimentOptions {
  std::vector<std::string> scenario_files;
  std::optional<std::string> design_file;  ///< a sweep when set (one scenario)
  /// A sweep over these points instead of a design file's (a sensitivity analysis's plan).
  std::optional<ensemble::DesignTable> design_table;
  std::uint32_t replicates = 1;
  /// A calibration file: replicate r runs every scenario with posterior draw r (its
  /// parameters, drawn by weight from the last generation, and its key); `replicates` draws.
  std::optional<std::string> posterior_file;
  std::string out;
  std::optional<std::uint64_t> seed;     ///< default: the first scenario's simulation.seed
  int threads = 0;                       ///< 0: all cores
  std::vector<std::string> sets;         ///< --set overrides for every scenario
  std::vector<std::string> windows;      ///< "FROM:TO"
  std::vector<std::string> series;       ///< empty: default_series()
  bool keep_series = true;               ///< false: no per-run daily series at all
  std::optional<std::string> keep_runs;  ///< directory for each run's own file
  bool stop_on_error = true;
  std::optional<std::string> runs;  ///< "A:B": only these runs, into a part file
  bool overwrite = false;           ///< start afresh even if `out` holds another experiment
  /// Runs of a replicate that share their first days with the first scenario's run start
  /// from its state on their last shared day (experiments/branching.hpp); false runs every
  /// run from its first day. The results are the same. Ensembles only, not sweeps.
  bool shared_history = true;
  std::string command_line;
};

/// An experiment ready to run: its description and each cell's scenario.
struct PreparedExperiment {
  ensemble::Experiment experiment;
  std::vector<model::LoadedScenario> cell_scenarios;
  /// With a posterior: each cell's scenario file, loaded again per run with the draw's values.
  std::vector<std::string> cell_files;
  std::vector<analysis::SummaryOptions> windows;
  /// Per cell: the day its runs start from the first cell's state of their replicate, none
  /// for a run from its first day; `history` computes those states (null when no cell uses
  /// it) and `branched` counts the runs this process started from them.
  std::vector<std::optional<Date>> branch_days;
  std::shared_ptr<ensemble::SharedHistory> history;
  std::shared_ptr<std::atomic<std::uint64_t>> branched;
};

/// Loads every scenario (and the design), checks the options. Throws ScenarioError,
/// ConfigError or IoError with what is wrong; runs nothing.
[[nodiscard]] PreparedExperiment prepare_experiment(const ExperimentOptions& options);

/// Computes run `run` of a prepared experiment (any process may).
[[nodiscard]] ensemble::RunRow compute_run(const PreparedExperiment& prepared,
                                           const ExperimentOptions& options, std::uint64_t run);

struct ExperimentReport {
  std::uint64_t wanted = 0;        ///< runs this command is responsible for
  std::uint64_t already_done = 0;  ///< found in the journal or the existing file
  std::uint64_t run_now = 0;       ///< computed by this command
  std::uint64_t failed = 0;        ///< failed, all told
  std::uint64_t kept_done = 0;     ///< when stopped: runs done and kept in the journal
  bool written = false;            ///< the output file was written
  std::string first_failure;       ///< "run N (cell, replicate R): message"
  double seconds = 0;
};

/// How the pending runs get computed: on this process (ensemble::execute, the default) or
/// handed out to MPI ranks. Returns the number of failed runs.
using Dispatch = std::function<std::uint64_t(
    const std::vector<std::uint64_t>& pending, const ensemble::RunFunction& compute,
    const ensemble::RowSink& sink, const ensemble::ExecuteOptions& options)>;

/// Runs a prepared experiment and writes `options.out`: resumes from the journal (or
/// extends the finished file of the same experiment), computes what is missing through
/// `dispatch`, and writes the file. On a failure with stop_on_error the finished runs stay
/// in the journal and nothing is written.
ExperimentReport run_experiment(const PreparedExperiment& prepared,
                                const ExperimentOptions& options,
                                const std::function<void(const ensemble::Progress&)>& progress,
                                const Dispatch& dispatch = ensemble::execute);

/// Path of the journal that keeps an unfinished experiment writing to `out`.
[[nodiscard]] std::string journal_path(const std::string& out);

}  // namespace tipsim::experiments
