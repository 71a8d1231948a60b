// The tipsim command line. The only place that prints, and that maps errors to exit codes.
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>

#include "analysis/calibration_summary.hpp"
#include "analysis/compare.hpp"
#include "analysis/ensemble_compare.hpp"
#include "analysis/ensemble_summary.hpp"
#include "analysis/fit.hpp"
#include "analysis/fit_ensemble.hpp"
#include "analysis/sensitivity_summary.hpp"
#include "analysis/summary.hpp"
#include "cli/exit_codes.hpp"
#include "cli/experiment_cli.hpp"
#include "cli/memory_check.hpp"
#include "cli/options.hpp"
#include "cli/report_cli.hpp"
#include "experiments/branching.hpp"
#include "experiments/design_points.hpp"
#include "experiments/priors_file.hpp"
#include "models/recording/checkpoint.hpp"
#include "models/recording/recorder.hpp"
#include "models/recording/run_stream.hpp"
#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/ensemble/ensemble_file.hpp"
#include "sim/ensemble/mpi_dispatch.hpp"
#include "sim/error.hpp"
#include "sim/h5/atomic_output.hpp"
#include "sim/h5/file.hpp"
#include "sim/memory.hpp"
#include "tipsim/build_info.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

using namespace tipsim::cli;  // exit codes

struct RunOptions {
  std::string scenario, out;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::vector<std::string> sets;
  bool quiet = false;
  std::string max_memory;
  // Checkpoints: save the state on a day; resume a run, or branch a what-if, from one.
  std::string checkpoint, checkpoint_at, resume, from_checkpoint;
};

void show_progress(const tipsim::model::Simulation& sim, double elapsed) {
  const double done = sim.steps_done();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double left = rate > 0 ? (sim.total_steps() - done) / rate : 0;
  std::fprintf(stderr, "\r%s  %5.1f%%  %8.0f steps/s  %6.1f s left ", sim.today().iso().c_str(),
               100.0 * done / sim.total_steps(), rate, left);
  std::fflush(stderr);
}

std::optional<tipsim::Date> parse_date_option(const std::string& text, const char* flag);

/// Where a run starts: its scenario's first day, its own checkpoint (--resume), or its
/// base's checkpoint (--from-checkpoint, for a what-if that differs only from that day on).
struct RunStart {
  tipsim::model::LoadedScenario scenario;
  std::string scenario_file;  ///< as named where the run began
  std::optional<tipsim::model::Checkpoint> checkpoint;
};

RunStart run_start(const RunOptions& opt) {
  RunStart start;
  if (!opt.resume.empty()) {
    start.checkpoint = tipsim::model::read_checkpoint(opt.resume);
    start.scenario = start.checkpoint->scenario;
    start.scenario_file = start.checkpoint->scenario_file;
    return start;
  }
  auto overrides = opt.sets;
  if (opt.seed) overrides.push_back("simulation.seed=" + std::to_string(*opt.seed));
  start.scenario = tipsim::model::load_scenario(opt.scenario, overrides);
  start.scenario_file = opt.scenario;
  if (!opt.from_checkpoint.empty()) {
    start.checkpoint = tipsim::model::read_checkpoint(opt.from_checkpoint);
    tipsim::experiments::refuse_branch(*start.checkpoint, start.scenario, opt.scenario);
  }
  return start;
}

int run(const RunOptions& opt, const std::string& command_line) {
  if (opt.scenario.empty() == opt.resume.empty()) {
    std::cerr << "error: run needs a scenario file, or --resume CHECKPOINT without one\n"
              << "Run with --help for more information.\n";
    return kUsage;
  }
  if (opt.out.empty()) {
    std::cerr << "error: run needs --out FILE\nRun with --help for more information.\n";
    return kUsage;
  }
  const RunStart start = run_start(opt);
  const auto& scenario = start.scenario;
  const auto& ck = start.checkpoint;
  std::uint32_t save_step = 0;  // 0: no checkpoint to save
  if (!opt.checkpoint.empty()) {
    const auto at = parse_date_option(opt.checkpoint_at, "--checkpoint-at");
    if (!at) throw tipsim::ConfigError("--checkpoint-at: expected a date YYYY-MM-DD, got nothing");
    save_step = tipsim::model::checkpoint_step(scenario.spec, *at, "--checkpoint-at");
    if (ck && save_step <= ck->step)
      throw tipsim::ConfigError("--checkpoint-at: " + opt.checkpoint_at +
                                " is not after the day the run starts from (" + ck->date.iso() +
                                ")");
  }
  // Fail on an output that would replace an input, or on a missing output folder, before
  // the world is built. The probe creates nothing.
  for (const auto& line : tipsim::model::dates_between_steps(scenario.spec))
    std::fprintf(stderr, "warning: %s\n", line.c_str());
  auto inputs = scenario.extends_files;
  if (!opt.scenario.empty()) inputs.emplace_back(opt.scenario);
  if (ck) inputs.emplace_back(ck->file);
  tipsim::h5::refuse_overwriting_inputs(opt.out, inputs);
  { const tipsim::h5::AtomicOutput probe(opt.out); }
  if (!opt.checkpoint.empty()) {
    namespace fs = std::filesystem;
    if (fs::weakly_canonical(fs::absolute(opt.checkpoint)) ==
        fs::weakly_canonical(fs::absolute(opt.out)))
      throw tipsim::ConfigError("--checkpoint " + opt.checkpoint +
                                " is the run's --out: give each its own file");
    tipsim::h5::refuse_overwriting_inputs(opt.checkpoint, inputs);
    const tipsim::h5::AtomicOutput probe(opt.checkpoint);
  }
  tipsim::cli::refuse_too_large(scenario.spec, start.scenario_file,
                                tipsim::cli::memory_size(opt.max_memory));
  const int threads =
      opt.threads > 0 ? opt.threads : static_cast<int>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  // An arena of that many threads: more than the cores too (a stress test), which the
  // default arena would not start.
  tbb::task_arena arena(threads);
  return arena.execute([&] {
    const auto t0 = Clock::now();
    tipsim::model::Simulation sim(scenario.spec, scenario.spec.simulation.seed);
    if (ck) sim.restore_state(ck->state, ck->file);
    tipsim::model::RunInfo info{threads, seconds_since(t0), 0, command_line};
    const bool progress = !opt.quiet && isatty(STDERR_FILENO);
    // The file is written as the run goes, by a thread of its own (models/recording/run_stream).
    // A run that saves a checkpoint keeps what it records until then: the checkpoint holds it.
    tipsim::model::StreamOptions stream_options;
    stream_options.hold_until_step = save_step;
    tipsim::model::RunStream stream(opt.out, sim, scenario, stream_options);
    const auto t1 = Clock::now();
    auto last = t1;
    tipsim::cli::MemoryWatch watch(tipsim::cli::memory_size(opt.max_memory));
    bool more = sim.steps_done() < sim.total_steps();
    while (more) {
      more = sim.step();
      if (sim.steps_done() == save_step)
        tipsim::model::write_checkpoint(opt.checkpoint, sim, scenario, start.scenario_file);
      stream.after_step();
      watch.after_step(sim);
      if (progress && Clock::now() - last > std::chrono::milliseconds(200)) {
        show_progress(sim, seconds_since(t1));
        last = Clock::now();
      }
    }
    info.run_seconds = seconds_since(t1);
    if (progress) std::fprintf(stderr, "\r%*s\r", 60, "");
    stream.finish(info);
    std::printf("%s: %u steps from %s to %s in %.2f s (seed %llu, %d thread%s)%s\n",
                opt.out.c_str(), sim.total_steps() - (ck ? ck->step : 0),
                (ck ? ck->date : scenario.spec.simulation.start).iso().c_str(),
                scenario.spec.simulation.end.iso().c_str(), info.run_seconds,
                static_cast<unsigned long long>(scenario.spec.simulation.seed), threads,
                threads == 1 ? "" : "s", ck ? (", from " + ck->file).c_str() : "");
    if (save_step)
      std::printf("%s: the state on %s\n", opt.checkpoint.c_str(), opt.checkpoint_at.c_str());
    return static_cast<int>(kOk);
  });
}

std::optional<tipsim::Date> parse_date_option(const std::string& text, const char* flag) {
  if (text.empty()) return std::nullopt;
  const auto d = tipsim::Date::parse(text);
  if (!d) {
    throw tipsim::ConfigError(std::string(flag) + ": expected a date YYYY-MM-DD, got '" + text +
                              "'");
  }
  return d;
}

/// The ensemble comparison the arguments ask for; ConfigError for a mix of run and
/// ensemble files or for half a window.
tipsim::analysis::EnsembleComparison compare_ensembles_command(const std::string& base,
                                                               const std::string& other,
                                                               const std::string& base_name,
                                                               const std::string& from,
                                                               const std::string& to) {
  using tipsim::ensemble::is_ensemble_file;
  if (from.empty() != to.empty())
    throw tipsim::ConfigError(
        "ensembles: give both --from and --to (a window declared with --window), or neither");
  std::string window;
  if (!from.empty()) {
    (void)parse_date_option(from, "--from");
    (void)parse_date_option(to, "--to");
    window = from + ":" + to;
  }
  if (!is_ensemble_file(base))
    throw tipsim::ConfigError(other.empty()
                                  ? base +
                                        " is not an ensemble file: compare two run files, or "
                                        "the scenarios of one ensemble file"
                                  : "compare: " + base + " is a run file and " + other +
                                        " an ensemble file; compare files of one kind");
  if (other.empty()) {
    std::string name = base_name;
    if (name.empty()) {
      const auto table = tipsim::analysis::read_ensemble_table(base);
      if (table.cells.empty()) throw tipsim::IoError(base + ": the file holds no scenario");
      name = table.cells.front().name;
    }
    return tipsim::analysis::compare_ensemble(base, name, window);
  }
  if (!is_ensemble_file(other))
    throw tipsim::ConfigError("compare: " + base + " is an ensemble file and " + other +
                              " a run file; compare files of one kind");
  return tipsim::analysis::compare_ensembles(base, other, base_name, window);
}

/// kOk, or kIo when standard output could not be written (a full disk, a closed pipe).
int checked_output() {
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cerr << "error: cannot write the output (standard output failed)\n";
    return kIo;
  }
  return kOk;
}

/// "error: unknown command 'rnu'; did you mean 'run'?" when the first word is not a
/// command; CLI11 alone would only say that a command is required.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  const std::string word = argv[1];
  std::string best, names;
  std::size_t best_distance = 3;  // suggest only close matches
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string& name = sub->get_name();
    if (name == word) return std::nullopt;
    names += (names.empty() ? "" : ", ") + name;
    // Levenshtein distance, small strings.
    std::vector<std::size_t> row(name.size() + 1);
    for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= name.size(); ++j) {
        const std::size_t above = row[j];
        row[j] =
            std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    if (row[name.size()] < best_distance) {
      best_distance = row[name.size()];
      best = name;
    }
  }
  return "error: unknown command '" + word + "'" +
         (best.empty() ? "; the commands are " + names : "; did you mean '" + best + "'?");
}

}  // namespace

int main(int argc, char** argv) {
  tipsim::h5::disable_exit_teardown();
  // Starts MPI only under mpirun; a plain launch stays a plain program.
  const tipsim::ensemble::mpi::Session mpi_session(argc, argv);
  CLI::App app{
      "tipsim: agent-based simulation of sex trafficking from Nigeria to the "
      "gold-mining sites of Kedougou, Senegal"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tipsim ") + tipsim::build_info::version + " (" +
                                        tipsim::build_info::git_commit + ", " +
                                        tipsim::build_info::build_type + ")");
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  const auto experiment_handler = tipsim::cli::add_experiment_commands(app, command_line);
  const auto report_handler = tipsim::cli::add_report_command(app);

  RunOptions run_opt;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario and write one HDF5 file");
  run_cmd->add_option("scenario", run_opt.scenario, "Scenario file (YAML)");
  // Required, checked in run() after the scenario: `tipsim run` alone first hears of that.
  run_cmd->add_option("--out,-o", run_opt.out, "Output HDF5 file (written only on success)");
  run_cmd->add_option("--seed", run_opt.seed, "Random seed (overrides simulation.seed)")
      ->check(tipsim::cli::kSeed);
  run_cmd->add_option("--threads", run_opt.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run_cmd->add_option("--set", run_opt.sets, "Override a scenario value: key.path=value");
  run_cmd->add_flag("--quiet,-q", run_opt.quiet, "No progress bar");
  auto* checkpoint_opt = run_cmd->add_option("--checkpoint", run_opt.checkpoint,
                                             "Also save the run's state on --checkpoint-at here");
  auto* checkpoint_at_opt =
      run_cmd->add_option("--checkpoint-at", run_opt.checkpoint_at,
                          "The day whose state --checkpoint saves (YYYY-MM-DD)");
  checkpoint_opt->needs(checkpoint_at_opt);
  checkpoint_at_opt->needs(checkpoint_opt);
  auto* resume_opt = run_cmd->add_option(
      "--resume", run_opt.resume,
      "Continue the run saved in this checkpoint to its end (no scenario file)");
  auto* branch_opt = run_cmd->add_option(
      "--from-checkpoint", run_opt.from_checkpoint,
      "Start this scenario from its base's checkpoint; it may differ from the base only on or "
      "after the checkpoint's day");
  resume_opt->excludes(branch_opt);
  resume_opt->excludes("--set");
  resume_opt->excludes("--seed");
  run_cmd
      ->add_option("--max-memory", run_opt.max_memory,
                   "Refuse a scenario whose world needs more, and stop the run if it grows "
                   "past it: 8G, 512M, bytes")
      ->check(tipsim::cli::kMemorySize);

  std::string validate_file;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Print the resolved scenario (every default filled in) or every error found");
  validate_cmd->add_option("scenario", validate_file, "Scenario file (YAML)")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a scenario value: key.path=value");

  std::string summary_file, from_text, to_text;
  bool json = false;
  bool summary_all = false;
  auto* summary_cmd = app.add_subcommand(
      "summary", "Summarise a run, ensemble, sweep, calibration or sensitivity file");
  summary_cmd
      ->add_option("file", summary_file,
                   "Run, ensemble, sweep, calibration or sensitivity file (HDF5)")
      ->required();
  summary_cmd->add_flag("--all", summary_all, "Ensembles: list every indicator in the table");
  summary_cmd->add_option("--from", from_text, "First day of the totals window (YYYY-MM-DD)");
  summary_cmd->add_option("--to", to_text, "Last day of the totals window (YYYY-MM-DD)");
  summary_cmd->add_flag("--json", json, "Print JSON instead of a table");

  std::string compare_base, compare_other, compare_from, compare_to;
  std::string compare_base_name;
  bool compare_json = false, compare_all = false;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "Compare runs: every indicator of OTHER minus BASE over one window; for ensembles, over "
      "replicates, with intervals and cost-effectiveness");
  compare_cmd->add_option("base", compare_base, "Baseline run file, or an ensemble file (HDF5)")
      ->required();
  compare_cmd->add_option("other", compare_other,
                          "Run (or ensemble) file compared with it; none for the scenarios of "
                          "one ensemble file");
  compare_cmd->add_option("--base", compare_base_name,
                          "Ensembles: the base scenario (default: the first)");
  compare_cmd->add_flag("--all", compare_all, "Ensembles: list every indicator in the table");
  compare_cmd->add_option("--from", compare_from,
                          "First day of the window (YYYY-MM-DD; default: the first day both "
                          "runs simulated)");
  compare_cmd->add_option("--to", compare_to,
                          "Last day of the window (YYYY-MM-DD; default: the last day both "
                          "runs simulated)");
  compare_cmd->add_flag("--json", compare_json, "Print JSON instead of a table");

  std::string fit_file, fit_targets;
  bool fit_json = false;
  auto* fit_cmd = app.add_subcommand(
      "fit",
      "Put a run's surveys and observations beside calibration targets, with the "
      "goodness of fit of each and their total; of an ensemble or sweep, each cell's runs "
      "combined");
  fit_cmd->add_option("file", fit_file, "Run, ensemble or sweep file (HDF5)")->required();
  fit_cmd->add_option("targets", fit_targets, "Targets file (YAML)")->required();
  fit_cmd->add_flag("--json", fit_json, "Print JSON instead of a table");

  bool markdown = false, design_schema = false, priors_schema = false, sensitivity_schema = false;
  auto* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  schema_cmd->add_flag("--markdown", markdown, "Print the parameter table in Markdown instead");
  schema_cmd->add_flag("--design", design_schema,
                       "Print the JSON Schema of design files (tipsim sweep) instead");
  schema_cmd->add_flag("--sensitivity", sensitivity_schema,
                       "Print the JSON Schema of sensitivity designs (tipsim sensitivity) instead");
  schema_cmd->add_flag("--priors", priors_schema,
                       "Print the JSON Schema of priors files (tipsim calibrate) instead");

  if (const auto unknown = unknown_command(app, argc, argv)) {
    std::cerr << *unknown << "\nRun with --help for more information.\n";
    return kUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // app.exit() prints --help (exit code 0) or the error; any parse error is a usage error,
    // whatever CLI11's own code for it.
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  try {
    if (*run_cmd) {
      const int code = run(run_opt, command_line);
      return code == kOk ? checked_output() : code;
    }
    if (const auto handler = experiment_handler()) return handler();
    if (const auto handler = report_handler()) return handler();
    if (*validate_cmd) {
      const auto loaded = tipsim::model::load_scenario(validate_file, validate_sets);
      tipsim::cli::refuse_too_large(loaded.spec, validate_file, std::nullopt);
      for (const auto& line : tipsim::model::dates_between_steps(loaded.spec))
        std::fprintf(stderr, "warning: %s\n", line.c_str());
      std::cout << loaded.resolved_yaml;
      return checked_output();
    }
    // A checkpoint holds a state, not results: say what it is for.
    for (const std::string* file : {&summary_file, &compare_base, &compare_other, &fit_file})
      if ((*summary_cmd || *compare_cmd || *fit_cmd) && !file->empty() &&
          tipsim::h5::file_kind(*file) == "checkpoint")
        throw tipsim::IoError(*file +
                              ": a checkpoint file, which holds a run's state and no results: "
                              "continue it with `tipsim run --resume " +
                              *file + " -o RUN.h5`");
    if (*summary_cmd && tipsim::sensitivity::is_sensitivity_file(summary_file)) {
      if (!from_text.empty() || !to_text.empty())
        throw tipsim::ConfigError("--from/--to: a sensitivity file has no totals window");
      const auto r = tipsim::sensitivity::read_sensitivity_file(summary_file);
      std::cout << (json ? tipsim::analysis::sensitivity_json(summary_file, r)
                         : tipsim::analysis::sensitivity_table(summary_file, r));
      return checked_output();
    }
    if (*summary_cmd && tipsim::calibration::is_calibration_file(summary_file)) {
      if (!from_text.empty() || !to_text.empty())
        throw tipsim::ConfigError("--from/--to: a calibration file has no totals window");
      const auto c = tipsim::calibration::read_calibration_file(summary_file);
      std::cout << (json ? tipsim::analysis::calibration_json(summary_file, c)
                         : tipsim::analysis::calibration_table(summary_file, c));
      return checked_output();
    }
    if (*summary_cmd && tipsim::ensemble::is_ensemble_file(summary_file)) {
      if (!from_text.empty() || !to_text.empty())
        throw tipsim::ConfigError(
            "--from/--to: an ensemble's windows are fixed when it runs (--window); its summary "
            "reports each of them");
      const auto s = tipsim::analysis::summarize_ensemble(summary_file);
      std::cout << (json ? tipsim::analysis::ensemble_summary_json(s)
                         : tipsim::analysis::ensemble_summary_table(s, summary_all));
      return checked_output();
    }
    if (*summary_cmd) {
      tipsim::analysis::SummaryOptions options{parse_date_option(from_text, "--from"),
                                               parse_date_option(to_text, "--to")};
      const auto summary = tipsim::analysis::summarize(summary_file, options);
      std::cout << (json ? tipsim::analysis::summary_json(summary)
                         : tipsim::analysis::summary_table(summary));
      return checked_output();
    }
    if (*compare_cmd && compare_other.empty() &&
        !tipsim::ensemble::is_ensemble_file(compare_base)) {
      std::cerr << "error: compare needs two run files (BASE OTHER), or one ensemble file\n"
                << "Run with --help for more information.\n";
      return kUsage;
    }
    if (*compare_cmd &&
        (compare_other.empty() || tipsim::ensemble::is_ensemble_file(compare_base) ||
         tipsim::ensemble::is_ensemble_file(compare_other))) {
      const auto comparison = compare_ensembles_command(
          compare_base, compare_other, compare_base_name, compare_from, compare_to);
      std::cout << (compare_json
                        ? tipsim::analysis::ensemble_comparison_json(comparison)
                        : tipsim::analysis::ensemble_comparison_table(comparison, compare_all));
      return checked_output();
    }
    if (*compare_cmd) {
      tipsim::analysis::SummaryOptions options{parse_date_option(compare_from, "--from"),
                                               parse_date_option(compare_to, "--to")};
      const auto comparison = tipsim::analysis::compare_runs(compare_base, compare_other, options);
      std::cout << (compare_json ? tipsim::analysis::comparison_json(comparison)
                                 : tipsim::analysis::comparison_table(comparison));
      return checked_output();
    }
    if (*fit_cmd) {
      try {
        std::error_code missing;
        if (!std::filesystem::is_regular_file(fit_targets, missing))
          throw tipsim::IoError(fit_targets + ": targets file not found");
        if (tipsim::ensemble::is_ensemble_file(fit_file)) {
          const auto fit = tipsim::analysis::fit_ensemble(fit_file, fit_targets);
          std::cout << (fit_json ? tipsim::analysis::ensemble_fit_json(fit)
                                 : tipsim::analysis::ensemble_fit_table(fit));
          return checked_output();
        }
        const auto fit = tipsim::analysis::fit_run(fit_file, fit_targets);
        std::cout << (fit_json ? tipsim::analysis::fit_json(fit)
                               : tipsim::analysis::fit_table(fit));
        return checked_output();
      } catch (const tipsim::config::ScenarioError& e) {
        // Not a scenario: the targets file, or targets the run cannot answer.
        std::cerr << "error: " << e.diagnostics().size() << " problem"
                  << (e.diagnostics().size() == 1 ? "" : "s") << " with the targets of "
                  << fit_targets << ":\n"
                  << e.what() << "\n";
        return kConfig;
      }
    }
    if (*schema_cmd) {
      std::cout << (design_schema        ? tipsim::experiments::design_json_schema()
                    : priors_schema      ? tipsim::experiments::priors_json_schema()
                    : sensitivity_schema ? tipsim::experiments::sensitivity_design_json_schema()
                    : markdown           ? tipsim::model::scenario_parameter_table()
                                         : tipsim::model::scenario_json_schema())
                << "\n";
      return checked_output();
    }
  } catch (const tipsim::config::ScenarioError& e) {
    std::cerr << "error: " << e.subject() << " has " << e.diagnostics().size() << " problem"
              << (e.diagnostics().size() == 1 ? "" : "s") << "; nothing was written.\n"
              << e.what() << "\n";
    return kConfig;
  } catch (const tipsim::ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kConfig;
  } catch (const tipsim::IoError& e) {
    std::cerr << "error: " << tipsim::h5::in_user_terms(e.what()) << "\n";
    return kIo;
  } catch (const tipsim::memory::MemoryError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kMemory;
  } catch (const std::bad_alloc&) {
    const auto parsed = app.get_subcommands();
    std::cerr << tipsim::cli::out_of_memory_message(parsed.empty() ? std::string()
                                                                   : parsed.front()->get_name())
              << "\n";
    return kMemory;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what()
              << "\nPlease report it with the command line and its input files.\n";
    return kInternal;
  }
  return kUsage;
}
