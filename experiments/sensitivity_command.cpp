#include "experiments/sensitivity_command.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/ensemble_table.hpp"
#include "experiments/design_points.hpp"
#include "experiments/experiment_command.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/error.hpp"
#include "tipsim/build_info.hpp"

namespace tipsim::experiments {

std::string runs_file_of(const std::string& out) {
  return out + ".runs.h5";
}

SensitivityPlan plan_sensitivity(const SensitivityOptions& o) {
  const bool morris = o.method == "morris";
  if (!morris && o.method != "sobol")
    throw ConfigError("--method: expected morris or sobol, got '" + o.method + "'");
  const SensitivityDesign design =
      load_sensitivity_design(o.design_file, o.scenario_file, o.sets, morris);
  const std::size_t k = design.spec.parameters.size();

  SensitivityPlan plan;
  sensitivity::SensitivityResult& r = plan.result;
  r.method = o.method;
  r.replicates = o.replicates;
  r.plan = morris ? sensitivity::morris_plan(k, design.morris)
                  : sensitivity::sobol_plan(k, design.sobol_points);
  r.sobol_base = morris ? 0 : design.sobol_points;
  r.morris_levels = morris ? design.morris.levels : 0;
  plan.sobol_points = design.sobol_points;
  ensemble::DesignTable table;
  table.method = o.method;
  for (const auto& p : design.spec.parameters) {
    table.paths.push_back(p.path);
    table.scales.emplace_back(p.log ? "log" : "linear");
    r.parameters.push_back({p.path, p.min, p.max, p.log});
  }
  for (std::size_t n = 0; n < r.plan.size(); ++n)
    for (std::size_t j = 0; j < k; ++j)
      table.values.push_back(
          ensemble::scale_unit(design.spec.parameters[j], r.plan.points[n * k + j]));
  r.values = table.values;

  // The points run as a sweep: the same replicates (keys) at every point.
  ExperimentOptions& e = plan.sweep;
  e.scenario_files = {o.scenario_file};
  e.design_table = table;
  e.replicates = o.replicates;
  e.out = runs_file_of(o.out);
  e.seed = o.seed;
  e.threads = o.threads;
  e.sets = o.sets;
  e.windows = o.windows;
  e.keep_series = false;  // the indices need the indicators only; daily series of every
                          // point would make the runs file hundreds of megabytes
  e.overwrite = o.overwrite;
  e.command_line = o.command_line;
  plan.outputs = o.outputs.empty() ? std::vector<std::string>{"totals.victims_removed",
                                                              "totals.victim_days_exploited"}
                                   : o.outputs;
  return plan;
}

sensitivity::SensitivityResult finish_sensitivity(const SensitivityOptions& o,
                                                  SensitivityPlan plan) {
  sensitivity::SensitivityResult r = std::move(plan.result);
  const bool morris = r.method == "morris";
  const std::size_t k = r.parameters.size();
  const ExperimentOptions& e = plan.sweep;
  const analysis::EnsembleTable t = analysis::read_ensemble_table(e.out);
  r.seed = t.seed;
  r.runs_file = e.out;
  r.command_line = o.command_line;
  r.version = build_info::version;
  r.scenario_text = t.scenario_texts.empty() ? "" : t.scenario_texts.front();
  const std::size_t points = r.plan.size();
  for (const std::string& name : plan.outputs) {
    const auto column = std::find(t.names.begin(), t.names.end(), name);
    if (column == t.names.end())
      throw ConfigError("--outputs: no indicator '" + name +
                        "' in the runs (a window's totals need --window and the @FROM:TO "
                        "suffix; `tipsim summary " +
                        e.out + " --all` lists them)");
    const auto k_col = static_cast<std::size_t>(column - t.names.begin());
    sensitivity::OutputIndices out;
    out.name = name;
    double within = 0, all_sum = 0, all_sq = 0, all_n = 0;
    for (std::size_t c = 0; c < points; ++c) {
      const std::vector<double> ys = t.by_replicate(c, k_col);
      double sum = 0, sq = 0, n = 0;
      for (const double y : ys) {
        if (std::isnan(y)) continue;
        sum += y;
        sq += y * y;
        ++n;
      }
      // Common random numbers compare the same keys at every point: a point missing one
      // would average other replicates than its neighbours.
      if (n != static_cast<double>(o.replicates))
        throw ConfigError("output '" + name + "' has no value in " +
                          std::to_string(o.replicates - static_cast<std::uint32_t>(n)) +
                          " replicate(s) at point " + point_name(c) +
                          "; choose an output every run reports");
      out.point_means.push_back(sum / n);
      within += sq - sum * sum / n;  // sum of squares about the point's mean
      all_sum += sum;
      all_sq += sq;
      all_n += n;
    }
    // The within-point share of the runs' sum of squares (one-way analysis of variance):
    // near 1, chance swamps the parameters and the indices need more replicates.
    const double total = all_sq - all_sum * all_sum / all_n;
    out.chance_share = o.replicates > 1 && total > 0 ? std::clamp(within / total, 0.0, 1.0)
                                                     : std::numeric_limits<double>::quiet_NaN();
    if (morris) {
      out.morris = sensitivity::morris_indices(r.plan, out.point_means, 1000, r.seed);
    } else {
      out.sobol = sensitivity::sobol_indices(k, plan.sobol_points, out.point_means, 1000, r.seed);
    }
    r.outputs.push_back(std::move(out));
  }
  sensitivity::write_sensitivity_file(o.out, r);
  return r;
}

sensitivity::SensitivityResult run_sensitivity(
    const SensitivityOptions& o, const std::function<void(const ensemble::Progress&)>& progress) {
  SensitivityPlan plan = plan_sensitivity(o);
  const PreparedExperiment prepared = prepare_experiment(plan.sweep);
  const ExperimentReport report = run_experiment(prepared, plan.sweep, progress);
  if (!report.written)
    throw ConfigError("runs failed (" + report.first_failure + "); they are kept in " +
                      journal_path(plan.sweep.out) + ": rerun the same command to go on");
  return finish_sensitivity(o, std::move(plan));
}

}  // namespace tipsim::experiments
