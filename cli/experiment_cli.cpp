#include "cli/experiment_cli.hpp"

#include <tbb/info.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/memory_check.hpp"
#include "cli/options.hpp"
#include "experiments/calibration_command.hpp"
#include "experiments/experiment_command.hpp"
#include "experiments/merge.hpp"
#include "experiments/sensitivity_command.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/ensemble/mpi_dispatch.hpp"
#include "sim/error.hpp"

namespace tipsim::cli {
namespace {

struct Settings {
  experiments::ExperimentOptions options;
  bool quiet = false;
  std::string on_error = "stop";
};

void add_common(CLI::App* cmd, Settings& s) {
  auto& o = s.options;
  cmd->add_option("--out,-o", o.out, "Ensemble file to write (HDF5; written when complete)")
      ->required();
  cmd->add_option("--replicates,-n", o.replicates,
                  "Replicates of each scenario (or design point): keys (seed, 0..N-1)")
      ->default_val(1);
  cmd->add_option("--seed", o.seed, "Root seed of every run (default: the first scenario's)")
      ->check(kSeed);
  cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--set", o.sets, "Override a value of every scenario: key.path=value");
  cmd->add_option("--window", o.windows,
                  "Also report totals over FROM:TO (YYYY-MM-DD:YYYY-MM-DD); repeatable");
  cmd->add_option("--series", o.series,
                  "Daily series kept per run (default: the main indicators); repeatable")
      ->delimiter(',');
  cmd->add_option("--keep-runs", o.keep_runs, "Also write each run's own file in this directory");
  cmd->add_option("--on-error", s.on_error,
                  "stop: stop at the first failed run (default); continue: record it and go on")
      ->check(CLI::IsMember({"stop", "continue"}));
  cmd->add_option(
      "--runs", o.runs,
      "Only runs A to B-1 of the experiment (A:B), into a part file for `tipsim merge`");
  cmd->add_flag("--overwrite", o.overwrite,
                "Replace --out even when it holds another experiment or runs this command "
                "would not keep (a journal of this experiment still resumes)");
  cmd->add_flag("--quiet,-q", s.quiet, "No progress line");
}

/// Runs in progress at once on this process: one per thread, no more than there are runs.
std::uint64_t runs_at_once(int threads, std::uint64_t runs) {
  const auto t = threads > 0 ? threads : tbb::info::default_concurrency();
  return std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max(1, t)), runs);
}

/// Worlds too large for the machine, counting the runs in progress at once, are refused
/// before the first is built.
void refuse_too_large_worlds(const experiments::PreparedExperiment& prepared,
                             const experiments::ExperimentOptions& o) {
  const auto at_once = runs_at_once(o.threads, prepared.experiment.wanted_runs().size());
  for (std::size_t c = 0; c < prepared.cell_scenarios.size(); ++c)
    refuse_too_large(prepared.cell_scenarios[c].spec,
                     o.scenario_files[std::min(c, o.scenario_files.size() - 1)], std::nullopt,
                     at_once);
}

void show_progress(const ensemble::Progress& p) {
  const auto done = static_cast<double>(p.done);
  const double rate = p.elapsed_seconds > 0 ? done / p.elapsed_seconds : 0;
  const double left = rate > 0 ? (static_cast<double>(p.total) - done) / rate : 0;
  std::fprintf(stderr, "\r%llu of %llu runs  %llu failed  %6.1f s elapsed  %6.1f s left ",
               static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
               static_cast<unsigned long long>(p.failed), p.elapsed_seconds, left);
  std::fflush(stderr);
}

/// Under mpirun every rank loads the experiment; workers then compute what rank 0 hands
/// out, and rank 0 does the rest. Returns the exit code of a worker, or nothing on rank 0.
std::optional<int> serve_if_worker(const experiments::PreparedExperiment* prepared,
                                   const experiments::ExperimentOptions& o) {
  namespace mpi = ensemble::mpi;
  if (!mpi::all_ok(prepared != nullptr)) {
    if (mpi::rank() != 0) return kConfig;
    if (prepared != nullptr)
      throw IoError("a worker rank could not load the experiment (see its error above)");
    return std::nullopt;  // rank 0 rethrows its own error
  }
  if (mpi::rank() == 0) return std::nullopt;
  if (mpi::await_announcement())
    mpi::serve([&](std::uint64_t run) { return experiments::compute_run(*prepared, o, run); });
  return kOk;
}

int execute(Settings& s) {
  namespace mpi = ensemble::mpi;
  auto& o = s.options;
  o.stop_on_error = s.on_error == "stop";
  std::optional<experiments::PreparedExperiment> loaded;
  std::exception_ptr load_error;
  try {
    loaded = experiments::prepare_experiment(o);
    refuse_too_large_worlds(*loaded, o);
  } catch (...) {
    if (mpi::size() == 1) throw;
    load_error = std::current_exception();
  }
  if (mpi::size() > 1) {
    if (const auto code = serve_if_worker(loaded ? &*loaded : nullptr, o)) return *code;
    if (load_error) std::rethrow_exception(load_error);
  }
  const auto& prepared = *loaded;
  const bool progress = !s.quiet && isatty(STDERR_FILENO);
  bool announced = false;
  experiments::Dispatch dispatch = ensemble::execute;
  if (mpi::size() > 1) {
    dispatch = [&](const std::vector<std::uint64_t>& pending, const ensemble::RunFunction&,
                   const ensemble::RowSink& sink, const ensemble::ExecuteOptions& options) {
      mpi::announce(true);
      announced = true;
      return mpi::distribute(pending, sink, options);
    };
  }
  experiments::ExperimentReport report;
  try {
    report = experiments::run_experiment(
        prepared, o,
        progress ? std::function<void(const ensemble::Progress&)>(show_progress)
                 : std::function<void(const ensemble::Progress&)>(),
        dispatch);
  } catch (const std::exception& e) {
    if (mpi::size() > 1 && !announced) mpi::announce(false);
    if (mpi::size() > 1 && announced) {
      std::fprintf(stderr, "error: %s\n", e.what());
      mpi::abort_all(kIo);
    }
    throw;
  }
  if (progress) std::fprintf(stderr, "\r%*s\r", 78, "");
  const auto& e = prepared.experiment;
  if (!report.written) {
    std::fprintf(stderr,
                 "error: %s\nStopped: %llu runs done are kept in %s (%llu failed, to be run "
                 "again); rerun the same command to go on (or add --on-error continue).\n",
                 report.first_failure.c_str(), static_cast<unsigned long long>(report.kept_done),
                 experiments::journal_path(o.out).c_str(),
                 static_cast<unsigned long long>(report.failed));
    return kRunFailed;
  }
  const bool one = e.cells.size() == 1;
  const char* cells =
      e.kind == "sweep" ? (one ? "point" : "points") : (one ? "scenario" : "scenarios");
  std::printf(
      "%s: %llu runs (%zu %s x %u replicate%s%s), %llu run now, %llu already done, "
      "%llu failed, in %.1f s\n",
      o.out.c_str(), static_cast<unsigned long long>(report.wanted), e.cells.size(), cells,
      e.plan.replicates, e.plan.replicates == 1 ? "" : "s",
      e.slice ? (", runs " + *o.runs).c_str() : "", static_cast<unsigned long long>(report.run_now),
      static_cast<unsigned long long>(report.already_done),
      static_cast<unsigned long long>(report.failed), report.seconds);
  if (report.failed > 0 && !report.first_failure.empty())
    std::fprintf(stderr, "warning: first failure: %s\n", report.first_failure.c_str());
  if (prepared.branched && *prepared.branched > 0)
    std::printf(
        "%s: %llu runs started from the history they share with the first %s's run of "
        "their replicate\n",
        o.out.c_str(), static_cast<unsigned long long>(prepared.branched->load()), "scenario");
  return kOk;
}

int calibrate(const experiments::CalibrateOptions& o, bool quiet) {
  refuse_too_large(model::load_scenario(o.scenario_file, o.sets).spec, o.scenario_file,
                   std::nullopt, runs_at_once(o.threads, o.abc.population));
  const auto report = experiments::run_calibration(o, [&](const calibration::AbcGeneration& g) {
    if (quiet) return;
    std::fprintf(stderr,
                 "generation %zu: tolerance %.4g, %zu accepted of %llu (%.1f%%), ESS %.0f, "
                 "%.1f s\n",
                 g.index, g.tolerance, g.size(), static_cast<unsigned long long>(g.simulations),
                 100 * g.acceptance_rate, g.effective_sample_size, g.seconds);
  });
  if (report.worker) return kOk;  // rank 0 reports
  std::uint64_t simulations = 0;
  for (const auto& g : report.result.generations) simulations += g.simulations;
  std::printf(
      "%s: %zu generations of %zu particles (%zu resumed), %llu simulations, stopped by "
      "%s, in %.1f s\n",
      o.out.c_str(), report.result.generations.size(), o.abc.population, report.resumed_generations,
      static_cast<unsigned long long>(simulations),
      std::string(calibration::stop_reason_name(report.result.stopped)).c_str(), report.seconds);
  return kOk;
}

}  // namespace

std::function<std::function<int()>()> add_experiment_commands(CLI::App& app,
                                                              const std::string& command_line) {
  auto ensemble = std::make_shared<Settings>();
  ensemble->options.command_line = command_line;
  auto* ensemble_cmd = app.add_subcommand(
      "ensemble",
      "Run replicates of one or more scenarios, paired by common random numbers, into one file");
  ensemble_cmd->add_option("scenarios", ensemble->options.scenario_files, "Scenario files (YAML)")
      ->required();
  add_common(ensemble_cmd, *ensemble);
  ensemble_cmd->add_flag("--no-shared-history{false}", ensemble->options.shared_history,
                         "Run every run from its first day, even the days it shares with the "
                         "first scenario's run of its replicate (the results are the same)");
  auto draws = std::make_shared<std::uint32_t>(0);
  auto* posterior = ensemble_cmd->add_option(
      "--posterior", ensemble->options.posterior_file,
      "Calibration file: replicate i runs every scenario with posterior draw i (its parameter "
      "values and its key), so what-ifs stay paired");
  ensemble_cmd->add_option("--draws", *draws, "With --posterior: posterior draws (the replicates)")
      ->needs(posterior)
      ->check(CLI::Range(1u, 100000u));
  posterior->needs("--draws");

  auto sweep = std::make_shared<Settings>();
  sweep->options.command_line = command_line;
  auto scenario_file = std::make_shared<std::string>();
  auto design_file = std::make_shared<std::string>();
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run a scenario at the points of a design (grid, Latin hypercube, Sobol, points)");
  sweep_cmd->add_option("scenario", *scenario_file, "Scenario file (YAML)")->required();
  sweep_cmd->add_option("design", *design_file, "Design file (YAML)")->required();
  add_common(sweep_cmd, *sweep);

  auto merge = std::make_shared<experiments::MergeOptions>();
  merge->command_line = command_line;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Join part files of one experiment (tipsim ensemble/sweep --runs A:B) into one");
  merge_cmd->add_option("parts", merge->parts, "Part files (HDF5)")->required();
  merge_cmd->add_option("--out,-o", merge->out, "Merged file to write")->required();
  merge_cmd->add_flag("--overwrite", merge->overwrite, "Replace --out if it exists");

  auto cal = std::make_shared<experiments::CalibrateOptions>();
  auto cal_quiet = std::make_shared<bool>(false);
  cal->command_line = command_line;
  auto* cal_cmd = app.add_subcommand(
      "calibrate",
      "Calibrate a scenario to survey targets by ABC-SMC: the posterior of the priors' "
      "parameters (docs/CALIBRATION.md)");
  cal_cmd->add_option("scenario", cal->scenario_file, "Scenario file (YAML)")->required();
  cal_cmd->add_option("targets", cal->targets_file, "Targets file (YAML)")->required();
  cal_cmd->add_option("priors", cal->priors_file, "Priors file (YAML)")->required();
  cal_cmd
      ->add_option("--out,-o", cal->out,
                   "Calibration file (HDF5), rewritten after every generation; rerun the "
                   "same command to continue it")
      ->required();
  cal_cmd->add_option("--population", cal->abc.population, "Particles per generation")
      ->default_val(100)
      ->check(CLI::Range(2, 1000000));
  cal_cmd
      ->add_option("--max-generations", cal->abc.max_generations,
                   "Stop after this many generations")
      ->default_val(8)
      ->check(CLI::Range(1, 10000));
  cal_cmd
      ->add_option("--max-simulations", cal->abc.max_simulations,
                   "Stop before the simulations of all generations exceed this (0: none)")
      ->default_val(0);
  cal_cmd
      ->add_option("--min-acceptance", cal->abc.min_acceptance,
                   "Stop after a generation that accepts fewer of its candidates")
      ->default_val(0)
      ->check(CLI::Range(0.0, 1.0));
  cal_cmd
      ->add_option("--min-tolerance", cal->abc.min_tolerance,
                   "Stop after a generation whose tolerance is this low (the last one uses "
                   "it when the quantile falls below)")
      ->default_val(0)
      ->check(CLI::Range(0.0, 1e300));
  cal_cmd
      ->add_option("--max-seconds", cal->abc.max_seconds,
                   "Stop before this much wall time has passed (0: none); a generation cut "
                   "short is dropped")
      ->default_val(0)
      ->check(CLI::Range(0.0, 1e9));
  cal_cmd
      ->add_option("--quantile", cal->abc.quantile,
                   "Quantile of a generation's distances that the next one must reach")
      ->default_val(0.5)
      ->check(CLI::Range(0.01, 0.99));
  cal_cmd->add_option("--seed", cal->abc.seed, "Seed of the sampler and of its simulations")
      ->check(kSeed)
      ->default_val(1);
  cal_cmd->add_option("--threads", cal->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cal_cmd->add_option("--set", cal->sets, "Override a value of the scenario: key.path=value");
  cal_cmd->add_option("--write-scenario", cal->write_scenario,
                      "Also write a scenario extending the input with each parameter at its "
                      "posterior median, saying where each value came from");
  cal_cmd->add_flag("--overwrite", cal->overwrite,
                    "Replace --out even when it holds another calibration");
  cal_cmd->add_flag("--quiet,-q", *cal_quiet, "No line per generation");

  auto sa = std::make_shared<experiments::SensitivityOptions>();
  auto sa_quiet = std::make_shared<bool>(false);
  sa->command_line = command_line;
  auto* sa_cmd = app.add_subcommand(
      "sensitivity",
      "Morris screening or Sobol indices of outputs to the parameters of a design file");
  sa_cmd->add_option("scenario", sa->scenario_file, "Scenario file (YAML)")->required();
  sa_cmd
      ->add_option("design", sa->design_file,
                   "Design file (YAML): parameters with ranges; trajectories and levels "
                   "(Morris) or points (Sobol)")
      ->required();
  sa_cmd->add_option("--method", sa->method, "morris or sobol")
      ->default_val("morris")
      ->check(CLI::IsMember({"morris", "sobol"}));
  sa_cmd
      ->add_option("--out,-o", sa->out,
                   "Sensitivity file (HDF5); the runs go to OUT.runs.h5, resumable")
      ->required();
  sa_cmd
      ->add_option("--replicates,-n", sa->replicates,
                   "Replicates at each point, with the same keys at every point")
      ->default_val(1);
  sa_cmd
      ->add_option("--outputs", sa->outputs,
                   "Indicators analysed (default totals.victims_removed and "
                   "totals.victim_days_exploited); repeatable")
      ->delimiter(',');
  sa_cmd->add_option("--window", sa->windows, "Also report totals over FROM:TO; repeatable");
  sa_cmd->add_option("--seed", sa->seed, "Root seed of the runs (default: the scenario's)")
      ->check(kSeed);
  sa_cmd->add_option("--threads", sa->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  sa_cmd->add_option("--set", sa->sets, "Override a value of the scenario: key.path=value");
  sa_cmd->add_flag("--overwrite", sa->overwrite,
                   "Replace the runs file even when it holds another experiment");
  sa_cmd->add_flag("--quiet,-q", *sa_quiet, "No progress line");

  return [=]() -> std::function<int()> {
    if (*sa_cmd)
      return [=] {
        // The plan's sweep runs as any sweep does: on this process's threads, or under
        // mpirun over the ranks; rank 0 then computes and writes the indices.
        experiments::SensitivityPlan plan = experiments::plan_sensitivity(*sa);
        Settings runs;
        runs.options = plan.sweep;
        runs.quiet = *sa_quiet;
        const int code = execute(runs);
        if (code != kOk || ensemble::mpi::rank() != 0) return code;
        const auto r = experiments::finish_sensitivity(*sa, std::move(plan));
        std::printf("%s: %s indices of %zu outputs from %zu points x %u replicates (runs in %s)\n",
                    sa->out.c_str(), r.method.c_str(), r.outputs.size(), r.plan.size(),
                    r.replicates, r.runs_file.c_str());
        return static_cast<int>(kOk);
      };
    if (*cal_cmd) return [=] { return calibrate(*cal, *cal_quiet); };
    if (*ensemble_cmd)
      return [=] {
        if (ensemble->options.posterior_file) {
          if (ensemble->options.replicates != 1)
            throw ConfigError("--replicates: with --posterior, --draws gives the replicates");
          ensemble->options.replicates = *draws;
        }
        return execute(*ensemble);
      };
    if (*sweep_cmd)
      return [=] {
        sweep->options.scenario_files = {*scenario_file};
        sweep->options.design_file = *design_file;
        return execute(*sweep);
      };
    if (*merge_cmd)
      return [=] {
        const auto report = experiments::merge_parts(*merge);
        std::printf("%s: %llu runs of %llu planned, from %zu parts\n", merge->out.c_str(),
                    static_cast<unsigned long long>(report.runs),
                    static_cast<unsigned long long>(report.planned), merge->parts.size());
        return kOk;
      };
    return {};
  };
}

}  // namespace tipsim::cli
