#include "experiments/calibration_command.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "analysis/fit.hpp"
#include "experiments/corridor_run.hpp"
#include "experiments/priors_file.hpp"
#include "experiments/scenario_writer.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/ensemble/mpi_dispatch.hpp"
#include "sim/ensemble/run_row.hpp"
#include "sim/error.hpp"
#include "sim/h5/atomic_output.hpp"
#include "sim/json.hpp"
#include "tipsim/build_info.hpp"

namespace tipsim::experiments {
namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The fit's total with each term weighted (1 unless the priors file says otherwise).
double weighted_distance(const analysis::Fit& fit, const std::vector<TargetWeight>& weights) {
  double total = 0;
  for (const auto& t : fit.targets) {
    double w = 1;
    for (const auto& tw : weights)
      if (tw.target == t.target.name) w = tw.weight;
    total += w * t.term;
  }
  return total;
}

/// The calibrated scenario: the input, extended by the `--set` values of the calibration and
/// each parameter at its posterior median, with where it came from.
void write_calibrated_scenario(const CalibrateOptions& options, const std::string& resolved_yaml,
                               const calibration::CalibrationRun& run,
                               const calibration::AbcResult& result) {
  if (result.generations.empty()) return;
  const auto& last = result.generations.back();
  const auto post = calibration::summarize_posterior(last, run.parameters.size());
  std::vector<ScenarioValue> values;
  for (const std::string& set : options.sets) {
    const std::size_t eq = set.find('=');
    values.push_back({set.substr(0, eq), set.substr(eq + 1), "--set when calibrated"});
  }
  const auto four = [](double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return std::string(buffer);
  };
  for (std::size_t j = 0; j < run.parameters.size(); ++j) {
    const auto& p = run.parameters[j];
    values.push_back({p.path, json_number(post[j].median),
                      "calibrated: posterior median, 90% interval " + four(post[j].q05) + "-" +
                          four(post[j].q95) + "; prior " +
                          std::string(calibration::prior_kind_name(p.prior.kind()))});
  }
  std::uint64_t simulations = 0;
  for (const auto& g : result.generations) simulations += g.simulations;
  const std::string header =
      "# Calibrated by tipsim calibrate (ABC-SMC, " + std::to_string(options.abc.population) +
      " particles, " + std::to_string(result.generations.size()) + " generations, " +
      std::to_string(simulations) + " simulations, stopped by " +
      std::string(calibration::stop_reason_name(result.stopped)) + ")\n# against the targets " +
      options.targets_file + ", with the priors " + options.priors_file + "\n# (calibration file " +
      options.out + "). Each value is its posterior median.\n";
  const std::string text = extending_scenario(options.scenario_file, resolved_yaml,
                                              options.write_scenario, values, header);
  h5::AtomicOutput output(options.write_scenario);
  {
    std::ofstream stream(output.temp_path(), std::ios::binary);
    stream << text;
    stream.close();
    if (!stream) throw IoError(options.write_scenario + ": cannot write");
  }
  // Read back before it takes its name: a scenario tipsim writes must load.
  try {
    (void)model::load_scenario(output.temp_path());
  } catch (const std::exception& e) {
    throw InvariantError("--write-scenario: the written scenario does not load: " +
                         std::string(e.what()));
  }
  output.commit();
}

/// A candidate as bytes for another rank: its seed, then its parameters.
std::string encode_candidate(const calibration::Candidate& c) {
  std::string bytes(sizeof c.seed + c.parameters.size() * sizeof(double), '\0');
  std::memcpy(bytes.data(), &c.seed, sizeof c.seed);
  std::memcpy(bytes.data() + sizeof c.seed, c.parameters.data(),
              c.parameters.size() * sizeof(double));
  return bytes;
}

calibration::Candidate decode_candidate(const std::string& bytes) {
  calibration::Candidate c;
  std::memcpy(&c.seed, bytes.data(), sizeof c.seed);
  c.parameters.resize((bytes.size() - sizeof c.seed) / sizeof(double));
  std::memcpy(c.parameters.data(), bytes.data() + sizeof c.seed,
              c.parameters.size() * sizeof(double));
  return c;
}

}  // namespace

CalibrateReport run_calibration(
    const CalibrateOptions& options,
    const std::function<void(const calibration::AbcGeneration&)>& on_generation) {
  const auto t0 = std::chrono::steady_clock::now();
  namespace mpi = ensemble::mpi;
  const bool distributed = mpi::size() > 1;
  const bool worker = mpi::rank() != 0;
  // Every input read and checked before anything runs, on every rank: a rank that cannot
  // read them stops them all (rank 0 reports its own error; a worker's is on its stderr).
  model::LoadedScenario base;
  std::vector<analysis::Target> targets;
  PriorsFile priors;
  std::vector<std::string> target_names;
  calibration::CalibrationRun run;
  std::vector<calibration::AbcGeneration> done;
  bool loaded = false;
  try {
    base = model::load_scenario(options.scenario_file, options.sets);
    targets = analysis::read_targets(options.targets_file);
    for (const auto& t : targets) target_names.push_back(t.name);
    priors = load_priors(options.priors_file, options.scenario_file, options.sets, target_names);
    run.parameters = priors.parameters;
    run.options = options.abc;
    run.input_names = {"scenario (resolved)", "targets", "priors"};
    run.input_texts = {base.resolved_yaml, file_text(options.targets_file),
                       file_text(options.priors_file)};
    // What the generations depend on: a file with the same fingerprint can be continued.
    std::ostringstream fingerprint;
    fingerprint << "method: abc_smc\nseed: " << options.abc.seed
                << "\npopulation: " << options.abc.population
                << "\nquantile: " << json_number(options.abc.quantile) << "\n";
    for (std::size_t i = 0; i < run.input_texts.size(); ++i)
      fingerprint << run.input_names[i] << ": " << ensemble::fnv1a64(run.input_texts[i]) << "\n";
    run.fingerprint = fingerprint.str();
    run.command_line = options.command_line;
    run.version = build_info::version;
    run.git_commit = build_info::git_commit;
    // Rank 0 alone reads and writes the output, and checks it before any rank starts work.
    if (!worker) {
      const std::vector<std::filesystem::path> inputs = {options.scenario_file,
                                                         options.targets_file, options.priors_file};
      h5::refuse_overwriting_inputs(options.out, inputs);
      if (!options.write_scenario.empty()) {
        // Checked now, not after the calibration: the scenario written must not replace an
        // input or the calibration file.
        auto taken = inputs;
        taken.emplace_back(options.out);
        h5::refuse_overwriting_inputs(options.write_scenario, taken);
        const h5::AtomicOutput scenario_probe(options.write_scenario);
      }
      const h5::AtomicOutput probe(options.out);  // the output's folder exists
      std::error_code missing;
      if (std::filesystem::exists(options.out, missing)) {
        const bool ours =
            calibration::is_calibration_file(options.out) &&
            calibration::read_calibration_file(options.out).run.fingerprint == run.fingerprint;
        if (ours) {
          done = calibration::read_calibration_file(options.out).result.generations;
        } else if (!options.overwrite) {
          throw ConfigError(options.out +
                            ": holds another file or another calibration (scenario, targets, "
                            "priors, seed, population or quantile differ); add --overwrite to "
                            "replace it");
        }
      }
    }
    loaded = true;
  } catch (...) {
    if (distributed) (void)mpi::all_ok(false);  // the others must not wait for this rank
    throw;
  }
  if (distributed && !mpi::all_ok(loaded))
    throw IoError("another rank could not read the calibration's inputs (see its error)");

  // A candidate's distance: its run's fit to the targets; a run that fails is rejected.
  const auto distance = [&](const calibration::Candidate& c) {
    std::vector<std::string> sets = options.sets;
    for (std::size_t j = 0; j < priors.parameters.size(); ++j)
      sets.push_back(priors.parameters[j].path + "=" + json_number(c.parameters[j]));
    const model::LoadedScenario scenario = model::load_scenario(options.scenario_file, sets);
    // Isolated: a thread waiting inside this run's parallel loops must not take up another
    // candidate's whole run.
    const analysis::Summary summary =
        tbb::this_task_arena::isolate([&] { return run_and_summarize(scenario, c.seed, 0); });
    return weighted_distance(analysis::fit_targets(summary, targets), priors.weights);
  };
  CalibrateReport report;
  if (worker) {  // under mpirun: compute what rank 0 hands out, until it stops
    mpi::serve_jobs([&](const std::string& job) {
      const calibration::Candidate c = decode_candidate(job);
      double d = std::numeric_limits<double>::infinity();
      try {
        d = distance(c);
      } catch (const std::exception&) {
      }
      return std::string(reinterpret_cast<const char*>(&d), sizeof d);
    });
    report.worker = true;
    return report;
  }

  report.resumed_generations = done.size();

  // Over MPI the workers run the candidates, rank 0 only samples and writes; otherwise
  // this process's threads run them.
  std::optional<mpi::JobPool> pool;
  if (distributed) pool.emplace();
  const calibration::BatchEvaluator evaluate =
      distributed ? calibration::BatchEvaluator([&](const std::vector<calibration::Candidate>& b) {
        std::vector<std::string> jobs;
        for (const auto& c : b) jobs.push_back(encode_candidate(c));
        std::vector<double> out;
        for (const std::string& reply : pool->run(jobs)) {
          double d = std::numeric_limits<double>::infinity();
          if (reply.size() == sizeof d) std::memcpy(&d, reply.data(), sizeof d);
          out.push_back(d);
        }
        return out;
      })
                  : calibration::parallel_evaluator(distance);

  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(tbb::info::default_concurrency());
  tbb::task_arena arena(threads);
  std::vector<calibration::Prior> prior_list;
  for (const auto& p : run.parameters) prior_list.push_back(p.prior);
  calibration::AbcResult so_far;
  so_far.generations = done;
  calibration::AbcOptions abc = options.abc;
  // Candidates run at once: enough to keep every thread busy, few enough that little is
  // wasted past a generation's last acceptance. The result does not depend on it.
  const std::size_t lanes =
      distributed ? static_cast<std::size_t>(mpi::size() - 1) : static_cast<std::size_t>(threads);
  if (abc.batch == 0) abc.batch = std::max<std::size_t>(abc.population / 4, 4 * lanes);
  arena.execute([&] {
    report.result = calibration::run_abc_smc(
        prior_list, evaluate, abc, done, [&](const calibration::AbcGeneration& g) {
          so_far.generations.push_back(g);
          // Saved after every generation: a calibration killed now resumes from here.
          calibration::write_calibration_file(options.out, run, so_far, false);
          if (on_generation) on_generation(g);
        });
  });
  calibration::write_calibration_file(options.out, run, report.result, true);
  if (!options.write_scenario.empty())
    write_calibrated_scenario(options, base.resolved_yaml, run, report.result);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace tipsim::experiments
