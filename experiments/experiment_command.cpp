#include "experiments/experiment_command.hpp"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "experiments/branching.hpp"
#include "experiments/corridor_run.hpp"
#include "experiments/design_points.hpp"
#include "models/step/simulation.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/ensemble/ensemble_file.hpp"
#include "sim/ensemble/journal.hpp"
#include "sim/error.hpp"
#include "sim/h5/atomic_output.hpp"
#include "sim/json.hpp"
#include "tipsim/build_info.hpp"

namespace tipsim::experiments {
namespace {

analysis::SummaryOptions parse_window(const std::string& text) {
  const auto colon = text.find(':');
  const auto from = colon == std::string::npos ? std::nullopt : Date::parse(text.substr(0, colon));
  const auto to = colon == std::string::npos ? std::nullopt : Date::parse(text.substr(colon + 1));
  if (!from || !to)
    throw ConfigError("--window: expected FROM:TO, two dates YYYY-MM-DD, got '" + text + "'");
  if (*to < *from) throw ConfigError("--window " + text + ": FROM is after TO");
  return analysis::SummaryOptions{from, to};
}

void check_window(const analysis::SummaryOptions& w, const std::string& label,
                  const model::LoadedScenario& s) {
  if (*w.from < s.spec.simulation.start || s.spec.simulation.end < *w.to)
    throw ConfigError("--window " + label + " lies outside the horizon of scenario " + s.spec.name +
                      " (" + s.spec.simulation.start.iso() + " to " + s.spec.simulation.end.iso() +
                      ")");
}

void check_output_is_not_an_input(const std::string& out, const ExperimentOptions& o) {
  std::error_code ec;
  std::vector<std::string> inputs = o.scenario_files;
  if (o.design_file) inputs.push_back(*o.design_file);
  if (o.posterior_file) inputs.push_back(*o.posterior_file);
  for (const auto& in : inputs)
    if (std::filesystem::equivalent(out, in, ec))
      throw ConfigError("--out " + out + " is an input file (" + in + "); it would be overwritten");
}

/// Whether TIPSIM_FAULT_RUNS (run ids separated by commas) names `run`: a way to test how
/// experiments meet failed runs, documented in docs/EXPERIMENTS.md.
bool injected_fault(std::uint64_t run) {
  const char* list = std::getenv("TIPSIM_FAULT_RUNS");
  if (list == nullptr) return false;
  std::string text(list);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    if (text.substr(pos, comma - pos) == std::to_string(run)) return true;
    pos = comma + 1;
  }
  return false;
}

/// `count` draws from the last generation of a calibration file, by weight: systematic
/// resampling at (i + 1/2) / count of the cumulative weights, so the draws are a function of
/// the file alone.
ensemble::DesignTable posterior_draws(const std::string& file, std::uint32_t count) {
  if (!calibration::is_calibration_file(file))
    throw IoError("--posterior " + file + ": not a calibration file");
  const calibration::CalibrationFile c = calibration::read_calibration_file(file);
  if (c.result.generations.empty())
    throw ConfigError("--posterior " + file + ": the calibration has no generation yet");
  const calibration::AbcGeneration& g = c.result.generations.back();
  ensemble::DesignTable t;
  t.method = "posterior";
  for (const auto& p : c.run.parameters) {
    t.paths.push_back(p.path);
    t.scales.emplace_back("linear");
  }
  const std::size_t np = t.paths.size();
  double cumulative = g.weights.front();
  std::size_t k = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const double u = (i + 0.5) / count;
    while (cumulative < u && k + 1 < g.size()) cumulative += g.weights[++k];
    t.values.insert(t.values.end(), g.particles.begin() + static_cast<std::ptrdiff_t>(k * np),
                    g.particles.begin() + static_cast<std::ptrdiff_t>((k + 1) * np));
  }
  return t;
}

/// `sets` followed by `path=value` for each parameter of posterior draw `draw`.
std::vector<std::string> with_draw(std::vector<std::string> sets,
                                   const ensemble::DesignTable& posterior, std::size_t draw) {
  for (const auto& [path, value] : posterior.point(draw))
    sets.push_back(path + "=" + json_number(value));
  return sets;
}

/// Cell `cell`'s scenario for `replicate`: with a posterior, loaded again with the draw.
model::LoadedScenario cell_scenario(const PreparedExperiment& p, const ExperimentOptions& o,
                                    std::uint32_t cell, std::uint32_t replicate) {
  const auto& e = p.experiment;
  if (e.posterior)
    return model::load_scenario(p.cell_files[cell], with_draw(o.sets, *e.posterior, replicate));
  return p.cell_scenarios[cell];
}

/// Which cells start from the first cell's state, and on which day; and the history that
/// saves those states once per replicate. A posterior's draws set the same values in every
/// scenario, so the days found without them hold with them.
void share_history(PreparedExperiment& p, const ExperimentOptions& o) {
  const auto& cells = p.cell_scenarios;
  p.branch_days.assign(cells.size(), std::nullopt);
  std::set<std::int32_t> days;
  for (std::size_t c = 1; c < cells.size(); ++c) {
    p.branch_days[c] = branch_day(cells.front(), cells[c]);
    if (p.branch_days[c]) days.insert(p.branch_days[c]->days);
  }
  if (days.empty()) {
    p.branch_days.assign(cells.size(), std::nullopt);
    return;
  }
  // The first cell itself goes on from the last of the days its history is saved on.
  p.branch_days.front() = Date{*days.rbegin()};
  const std::size_t threads = o.threads > 0
                                  ? static_cast<std::size_t>(o.threads)
                                  : static_cast<std::size_t>(tbb::info::default_concurrency());
  // The history outlives nothing it reads: it holds its own copies.
  const std::uint64_t seed = p.experiment.seed;
  const model::LoadedScenario trunk = cells.front();
  const std::optional<ensemble::DesignTable> posterior = p.experiment.posterior;
  const std::string trunk_file = p.cell_files.empty() ? std::string() : p.cell_files.front();
  const std::vector<std::string> sets = o.sets;
  p.history = std::make_shared<ensemble::SharedHistory>(
      [=](std::uint32_t replicate) {
        model::ScenarioSpec spec =
            posterior
                ? model::load_scenario(trunk_file, with_draw(sets, *posterior, replicate)).spec
                : trunk.spec;
        spec.simulation.seed = seed;
        spec.simulation.replicate = replicate;
        model::Simulation sim(spec, seed);
        ensemble::SharedHistory::States states;
        for (const std::int32_t day : days) {
          while (sim.today().days < day) sim.step();
          states[day] = sim.save_state();
        }
        return states;
      },
      2 * threads + 2);
  p.branched = std::make_shared<std::atomic<std::uint64_t>>(0);
}

}  // namespace

std::string journal_path(const std::string& out) {
  return out + ".journal";
}

PreparedExperiment prepare_experiment(const ExperimentOptions& o) {
  PreparedExperiment p;
  ensemble::Experiment& e = p.experiment;
  if (o.replicates < 1 || o.replicates > ensemble::kMaxReplicates)
    throw ConfigError("--replicates: expected 1 to " + std::to_string(ensemble::kMaxReplicates) +
                      ", got " + std::to_string(o.replicates));
  if (o.scenario_files.empty()) throw ConfigError("no scenario given");
  // As for a scenario's simulation.seed: seeds that every reader of the files holds exactly.
  constexpr std::uint64_t kMaxSeed = 9007199254740992ull;
  if (o.seed && *o.seed > kMaxSeed)
    throw ConfigError("--seed: expected a whole number from 0 to " + std::to_string(kMaxSeed));
  check_output_is_not_an_input(o.out, o);
  { const h5::AtomicOutput probe(o.out); }  // fails now when the directory is missing

  e.series = !o.keep_series     ? std::vector<std::string>{}
             : o.series.empty() ? default_series()
                                : o.series;
  const auto known = known_series();
  for (const auto& s : e.series)
    if (std::find(known.begin(), known.end(), s) == known.end())
      throw ConfigError("--series: unknown series '" + s +
                        "' (a /timeseries name of the run file, victims_removed or spend_fcfa)");
  for (const auto& w : o.windows) {
    p.windows.push_back(parse_window(w));
    e.windows.push_back(p.windows.back().from->iso() + ":" + p.windows.back().to->iso());
  }

  std::vector<model::LoadedScenario> scenarios;
  for (const auto& file : o.scenario_files) scenarios.push_back(model::load_scenario(file, o.sets));
  std::set<std::string> names;
  for (const auto& s : scenarios) {
    if (!names.insert(s.spec.name).second)
      throw ConfigError("two scenarios are named '" + s.spec.name +
                        "': give each of an experiment's scenarios its own name");
    e.scenario_names.push_back(s.spec.name);
    e.scenario_texts.push_back(s.resolved_yaml);
  }
  e.seed = o.seed ? *o.seed : scenarios.front().spec.simulation.seed;

  if (o.design_file || o.design_table) {
    if (scenarios.size() != 1) throw ConfigError("a sweep takes one scenario");
    e.kind = "sweep";
    SweepDesign design;
    if (o.design_table) {
      design.table = *o.design_table;
    } else {
      design = load_design(*o.design_file, o.scenario_files.front(), o.sets);
    }
    e.design = design.table;
    for (std::size_t point = 0; point < design.table.points(); ++point) {
      e.cells.push_back(ensemble::Cell{point_name(point), 0, static_cast<std::int64_t>(point)});
      p.cell_scenarios.push_back(model::load_scenario(o.scenario_files.front(),
                                                      with_point_overrides(o.sets, design, point)));
    }
  } else {
    for (std::uint32_t s = 0; s < scenarios.size(); ++s)
      e.cells.push_back(ensemble::Cell{scenarios[s].spec.name, s, -1});
    p.cell_scenarios = scenarios;
    p.cell_files = o.scenario_files;
  }
  if (o.posterior_file) {
    if (o.design_file)
      throw ConfigError("--posterior: a sweep runs its design's points, not draws");
    e.posterior = posterior_draws(*o.posterior_file, o.replicates);
    // Every draw must be a scenario each scenario accepts (a calibration of another scenario
    // may name paths this one lacks).
    for (std::size_t c = 0; c < p.cell_files.size(); ++c)
      (void)model::load_scenario(p.cell_files[c], with_draw(o.sets, *e.posterior, 0));
  }
  for (const auto& s : p.cell_scenarios)
    for (std::size_t w = 0; w < p.windows.size(); ++w) check_window(p.windows[w], e.windows[w], s);

  e.plan = ensemble::Plan{static_cast<std::uint32_t>(e.cells.size()), o.replicates};
  if (o.runs) {
    std::string error;
    const auto slice = ensemble::parse_run_slice(*o.runs, error);
    if (!slice) throw ConfigError("--runs: " + error);
    if (slice->first >= e.plan.runs())
      throw ConfigError("--runs " + *o.runs + ": the experiment has runs 0 to " +
                        std::to_string(e.plan.runs() - 1));
    e.slice = slice;
  }
  if (o.keep_runs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*o.keep_runs, ec))
      throw IoError("--keep-runs " + *o.keep_runs + ": no such directory");
  }
  // Sweeps' points mostly differ in values that act from the first day, and comparing
  // their scenarios costs some 20 ms each (thousands for a Sobol design): only what-if sets.
  if (o.shared_history && e.kind != "sweep") share_history(p, o);
  e.version = build_info::version;
  e.git_commit = build_info::git_commit;
  e.build_type = build_info::build_type;
  e.command_line = o.command_line;
  return p;
}

ensemble::RunRow compute_run(const PreparedExperiment& p, const ExperimentOptions& o,
                             std::uint64_t run) {
  const auto& e = p.experiment;
  if (injected_fault(run))
    throw InvariantError("fault injected by TIPSIM_FAULT_RUNS for run " + std::to_string(run));
  const std::uint32_t cell = e.plan.cell_of(run);
  const std::uint32_t replicate = e.plan.replicate_of(run);
  ReduceOptions r;
  r.windows = p.windows;
  r.window_labels = e.windows;
  r.series = e.series;
  r.threads = o.threads;
  r.command_line = o.command_line;
  if (o.keep_runs)
    r.keep_file = std::filesystem::path(*o.keep_runs) /
                  (e.cells[cell].name + "_r" + std::to_string(replicate) + ".h5");
  std::shared_ptr<const ensemble::SharedHistory::States> history;
  if (p.history && p.branch_days[cell]) {
    history = p.history->states(replicate);
    r.start_state = &history->at(p.branch_days[cell]->days);
    ++*p.branched;
  }
  return run_and_reduce(cell_scenario(p, o, cell, replicate), e.seed, replicate, r);
}

ExperimentReport run_experiment(const PreparedExperiment& p, const ExperimentOptions& o,
                                const std::function<void(const ensemble::Progress&)>& progress,
                                const Dispatch& dispatch) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto& e = p.experiment;
  const std::string fingerprint = e.fingerprint();
  const std::string jpath = journal_path(o.out);
  std::error_code ec;
  const auto wanted = e.wanted_runs();
  const auto is_wanted = [&](std::uint64_t run) {
    return std::binary_search(wanted.begin(), wanted.end(), run);
  };
  const auto refuse_dropping = [&](std::uint64_t run, const std::string& where) {
    throw IoError(where + " holds run " + std::to_string(run) + " (" +
                  e.cells[e.plan.cell_of(run)].name + ", replicate " +
                  std::to_string(e.plan.replicate_of(run)) +
                  "), which this command would not keep (fewer replicates or another --runs "
                  "slice); rerun with the replicates and slice it was made with, or add "
                  "--overwrite to replace it");
  };
  // --overwrite discards a journal of another experiment; one of this experiment resumes.
  // A journal another process is writing is never touched.
  if (std::filesystem::exists(jpath, ec) && ensemble::Journal::in_use(jpath))
    throw IoError(jpath +
                  " is in use by another tipsim process writing the same output; "
                  "wait for it to finish or stop it");
  if (o.overwrite && std::filesystem::exists(jpath, ec) &&
      ensemble::Journal::fingerprint_of(jpath) != fingerprint)
    std::filesystem::remove(jpath, ec);

  // A finished file of the same experiment is extended (its runs are kept, whether or not a
  // journal exists too); any other file is replaced only with --overwrite. Checked before
  // the journal is created, so a refused command leaves nothing behind.
  std::optional<ensemble::EnsembleContents> existing;
  if (std::filesystem::exists(o.out, ec)) {
    const bool ensemble_file = ensemble::is_ensemble_file(o.out);
    std::string unreadable;
    if (ensemble_file) {
      try {
        existing = ensemble::read_ensemble_file(o.out);
      } catch (const IoError& error) {
        unreadable = error.what();
      }
    }
    const bool ours = existing && existing->fingerprint == fingerprint;
    if (!ours) existing.reset();
    if (!ours && !o.overwrite) {
      std::string what = " exists and is not an ensemble or sweep file";
      if (ensemble_file && unreadable.empty())
        what = " holds another experiment (" +
               ensemble::fingerprint_difference(fingerprint,
                                                ensemble::read_ensemble_file(o.out).fingerprint) +
               ")";
      if (!unreadable.empty()) what = " cannot be read as an ensemble file (" + unreadable + ")";
      throw IoError(o.out + what + "; choose another --out, or add --overwrite to replace it");
    }
    if (existing && !o.overwrite)
      for (const std::uint64_t run : existing->runs)
        if (!is_wanted(run)) refuse_dropping(run, o.out);
  }
  ensemble::Journal journal(jpath, fingerprint);
  if (!o.overwrite)
    for (const auto& [run, offset] : journal.index())
      if (!is_wanted(run)) refuse_dropping(run, jpath);
  if (existing) {
    ensemble::for_each_run(o.out, [&](ensemble::RunRow&& row) {
      if (is_wanted(row.run) && !journal.has(row.run)) journal.append(row, /*sync=*/false);
    });
    journal.sync();  // once for all: the file they come from stays until it is replaced
  }

  ExperimentReport report;
  report.wanted = wanted.size();
  std::vector<std::uint64_t> pending;
  for (const std::uint64_t run : wanted) {
    if (journal.has(run) && !journal.failed(run)) {
      ++report.already_done;
      continue;
    }
    pending.push_back(run);
  }
  ensemble::ExecuteOptions exec;
  exec.threads = o.threads;
  exec.stop_on_error = o.stop_on_error;
  exec.on_progress = progress;
  const auto sink = [&](ensemble::RunRow&& row) {
    if (row.failed && report.first_failure.empty()) {
      report.first_failure = "run " + std::to_string(row.run) + " (" +
                             e.cells[e.plan.cell_of(row.run)].name + ", replicate " +
                             std::to_string(e.plan.replicate_of(row.run)) + "): " + row.message;
    }
    journal.append(row);
    ++report.run_now;
  };
  report.failed = dispatch(
      pending, [&](std::uint64_t run) { return compute_run(p, o, run); }, sink, exec);
  if (report.failed > 0 && o.stop_on_error) {
    report.kept_done = 0;
    for (const std::uint64_t run : wanted)
      if (journal.has(run) && !journal.failed(run)) ++report.kept_done;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
  }
  std::vector<std::uint64_t> present;
  report.failed = 0;
  for (const std::uint64_t run : wanted) {
    if (!journal.has(run)) continue;
    present.push_back(run);
    if (journal.failed(run)) ++report.failed;
  }
  ensemble::write_ensemble_file(o.out, e, journal, present);
  journal.remove();
  report.written = true;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace tipsim::experiments
