#include "experiments/design_points.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>

#include "models/scenario/scenario.hpp"
#include "sim/config/reader.hpp"
#include "sim/json.hpp"

namespace tipsim::experiments {
namespace {

using config::Range;
using config::Reader;
using ensemble::DesignMethod;

constexpr std::uint32_t kMaxPoints = 1'000'000;

/// A value strictly inside a parameter's range, away from round numbers.
double scale_inside(const ensemble::DesignParameter& p) {
  return ensemble::scale_unit(p, 0.377);
}

/// The `parameters` list of a design, read for spec.method, each path and range checked
/// against the scenario.
void read_parameters(Reader& r, ensemble::DesignSpec& spec, const std::string& scenario_file,
                     const std::vector<std::string>& sets) {
  r.list(
      "parameters", {"parameters varied, each named by its key path", "", ""},
      [&](Reader& p, std::size_t) {
        const std::size_t errors_before = p.error_count();
        ensemble::DesignParameter par;
        par.path = p.text("path", std::nullopt,
                          {"key path as --set takes it, list items by name or position", "", ""});
        // Which keys a parameter takes depends on the method; in schema mode all are
        // optional (the reader checks the combinations).
        const bool schema = r.schema_mode();
        const bool grid = spec.method == DesignMethod::grid;
        const bool by_range = spec.method != DesignMethod::points;
        const bool has_values = p.has("values");
        std::optional<double> min, max, levels;
        if (by_range || schema) {
          min = p.optional_number("min", {}, {"lowest value (not for points)", "", ""});
          max = p.optional_number("max", {}, {"highest value (not for points)", "", ""});
        }
        par.log = p.text("scale", "linear", {"scale on which points are spread", "", ""},
                         {"linear", "log"}) == "log";
        if (grid || schema)
          levels = p.optional_number(
              "levels", {1, kMaxPoints},
              {"grid: values from min to max, ends included (or give values)", "", ""});
        if (grid || !by_range || schema)
          par.values = p.numbers("values",
                                 by_range || schema
                                     ? std::optional<std::vector<double>>(std::vector<double>{})
                                     : std::nullopt,
                                 {}, {"points: this parameter's column; grid: its levels", "", ""});
        if (!schema && by_range && !(grid && has_values)) {
          if (!min) p.error("min", "missing required key");
          if (!max) p.error("max", "missing required key");
          if (grid && !levels) p.error("levels", "missing required key (or give values)");
          if (levels && *levels != std::floor(*levels))
            p.error("levels", "expected a whole number, got " + json_number(*levels));
        }
        par.min = min.value_or(0);
        par.max = max.value_or(0);
        par.levels = static_cast<std::uint32_t>(levels.value_or(0));
        par.integer = p.boolean("integer", false, {"round every value to an integer", "", ""});
        if (r.schema_mode() || p.error_count() > errors_before) {
          spec.parameters.push_back(std::move(par));
          return;
        }
        if (by_range && !has_values) {
          if (!(par.min < par.max)) p.error("max", "max must be greater than min");
          if (par.log && par.min <= 0) p.error("min", "a log scale needs min > 0");
        }
        if (spec.method == DesignMethod::points && !spec.parameters.empty() &&
            par.values.size() != spec.parameters.front().values.size())
          p.error("values", "expected " + std::to_string(spec.parameters.front().values.size()) +
                                " values, as many as the first parameter has, got " +
                                std::to_string(par.values.size()));
        // Check the path and the range against the scenario: the ends, or every value.
        const std::vector<double> probes =
            !par.values.empty() ? par.values : std::vector<double>{par.min, par.max};
        const std::string key = !par.values.empty() ? "values" : "min";
        for (std::size_t k = 0; k < probes.size(); ++k) {
          const double v = par.integer ? std::round(probes[k]) : probes[k];
          const std::string refusal = scenario_refusal(scenario_file, sets, par.path, v);
          if (refusal.empty()) continue;
          const std::string which = par.values.empty() ? (k == 0 ? "min" : "max") : key;
          p.error(which,
                  par.path + " = " + json_number(v) + " is refused by the scenario: " + refusal);
          break;
        }
        // Points fall inside the range too: a value between the ends must be accepted (a
        // whole-number parameter refuses fractions unless the design rounds them).
        if (par.values.empty() && !par.integer && p.error_count() == errors_before) {
          const double inside = scale_inside(par);
          const std::string refusal = scenario_refusal(scenario_file, sets, par.path, inside);
          if (!refusal.empty())
            p.error("path", par.path + " = " + json_number(inside) +
                                " (inside the range) is refused by the scenario: " + refusal +
                                "; add integer: true for a parameter that takes whole numbers");
        }
        for (const auto& other : spec.parameters)
          if (other.path == par.path)
            p.error("path", "parameter '" + par.path + "' is listed twice");
        spec.parameters.push_back(std::move(par));
      },
      /*required=*/true, /*min_items=*/1);
}

void read_design(Reader& r, ensemble::DesignSpec& spec, const std::string& scenario_file,
                 const std::vector<std::string>& sets) {
  const std::string method = r.text("method", std::nullopt, {"how points are chosen", "", ""},
                                    {"grid", "latin_hypercube", "sobol", "points"});
  if (method == "grid") spec.method = DesignMethod::grid;
  if (method == "latin_hypercube") spec.method = DesignMethod::latin_hypercube;
  if (method == "sobol") spec.method = DesignMethod::sobol;
  if (method == "points") spec.method = DesignMethod::points;
  const bool sampled =
      spec.method == DesignMethod::latin_hypercube || spec.method == DesignMethod::sobol;
  if (sampled || r.has("points") || r.schema_mode()) {
    spec.points = static_cast<std::uint32_t>(
        r.integer("points", sampled ? std::nullopt : std::optional<std::int64_t>(0),
                  {1, kMaxPoints}, {"number of points (latin_hypercube and sobol)", "points", ""}));
    if (!sampled && !r.schema_mode())
      r.error("points", "only latin_hypercube and sobol take 'points'");
  }
  spec.seed = static_cast<std::uint64_t>(
      r.integer("seed", 1, {0, 9.007199254740992e15},
                {"latin_hypercube: seed of the stratum pairing (not of the runs)", "", ""}));
  read_parameters(r, spec, scenario_file, sets);
  if (r.schema_mode() || r.error_count() > 0 || spec.parameters.empty()) return;
  // How many points the design makes, before making them.
  double points = 1;
  switch (spec.method) {
    case DesignMethod::grid:
      for (const auto& par : spec.parameters)
        points *= par.values.empty() ? par.levels : static_cast<double>(par.values.size());
      break;
    case DesignMethod::points:
      points = static_cast<double>(spec.parameters.front().values.size());
      break;
    default:
      points = spec.points;
  }
  if (points < 1)
    r.error("parameters", "the design has no point: give every parameter at least one value");
  if (points > kMaxPoints)
    r.error("parameters", "the design has " + json_number(points) + " points, more than " +
                              std::to_string(kMaxPoints) + "; use fewer levels");
}

SweepDesign finish(const config::Document& doc, const std::string& scenario_file,
                   const std::vector<std::string>& sets) {
  SweepDesign d;
  try {
    (void)config::read(doc, [&](Reader& r) { read_design(r, d.spec, scenario_file, sets); });
  } catch (const config::ScenarioError& e) {
    throw config::ScenarioError(e.diagnostics(), "the design file");
  }
  d.table = ensemble::sample_design(d.spec);
  return d;
}

void read_sensitivity(Reader& r, SensitivityDesign& d, bool morris,
                      const std::string& scenario_file, const std::vector<std::string>& sets) {
  // A sweep's design file serves too: its method is not needed here and is left unread.
  (void)r.optional_text("method", {"ignored: the analysis chooses the points", "", ""});
  if (morris || r.schema_mode()) {
    d.morris.trajectories = static_cast<std::size_t>(
        r.integer("trajectories", 10, {2, 100000}, {"Morris: trajectories", "", ""}));
    d.morris.levels = static_cast<std::uint32_t>(
        r.integer("levels", 4, {2, 100}, {"Morris: grid levels per parameter (even)", "", ""}));
    if (!r.schema_mode() && d.morris.levels % 2 != 0)
      r.error("levels",
              "expected an even number of levels, got " + std::to_string(d.morris.levels));
  }
  if (!morris || r.schema_mode())
    d.sobol_points = static_cast<std::size_t>(
        r.integer("points", morris ? std::optional<std::int64_t>(0) : std::nullopt, {2, 1000000},
                  {"Sobol: base sample; runs = points x (parameters + 2)", "points", ""}));
  d.seed = static_cast<std::uint64_t>(
      r.integer("seed", 1, {0, 9.007199254740992e15},
                {"Morris: seed of the trajectories (not of the runs)", "", ""}));
  d.morris.seed = d.seed;
  d.spec.method = DesignMethod::latin_hypercube;  // parameters by range
  read_parameters(r, d.spec, scenario_file, sets);
}

}  // namespace

SensitivityDesign load_sensitivity_design(const std::string& design_file,
                                          const std::string& scenario_file,
                                          const std::vector<std::string>& sets, bool morris) {
  SensitivityDesign d;
  try {
    (void)config::read(config::Document::load_file(design_file),
                       [&](Reader& r) { read_sensitivity(r, d, morris, scenario_file, sets); });
  } catch (const config::ScenarioError& e) {
    throw config::ScenarioError(e.diagnostics(), "the design file");
  }
  return d;
}

std::string scenario_refusal(const std::string& scenario_file, std::vector<std::string> sets,
                             const std::string& path, double value) {
  sets.push_back(path + "=" + json_number(value));
  try {
    (void)model::load_scenario(scenario_file, sets);
    return "";
  } catch (const config::ScenarioError& e) {
    // Only what concerns the value: the problems located at the added override.
    std::string message;
    for (const auto& d : e.diagnostics()) {
      if (d.where.file == "--set" && d.where.line == static_cast<int>(sets.size())) {
        message = d.message;
        break;
      }
      if (message.empty()) message = (d.key_path.empty() ? "" : d.key_path + ": ") + d.message;
    }
    return message;
  }
}

SweepDesign load_design(const std::string& design_file, const std::string& scenario_file,
                        const std::vector<std::string>& sets) {
  return finish(config::Document::load_file(design_file), scenario_file, sets);
}

SweepDesign load_design_text(const std::string& text, const std::string& name,
                             const std::string& scenario_file,
                             const std::vector<std::string>& sets) {
  return finish(config::Document::load_string(text, name), scenario_file, sets);
}

std::string sensitivity_design_json_schema() {
  SensitivityDesign d;
  return config::json_schema([&](Reader& r) { read_sensitivity(r, d, true, "", {}); },
                             "tipsim sensitivity design");
}

std::string design_json_schema() {
  ensemble::DesignSpec spec;
  return config::json_schema([&](Reader& r) { read_design(r, spec, "", {}); },
                             "tipsim design of experiments");
}

std::vector<std::string> with_point_overrides(std::vector<std::string> sets,
                                              const SweepDesign& design, std::size_t point) {
  for (const auto& [path, value] : design.table.point(point))
    sets.push_back(path + "=" + json_number(value));
  return sets;
}

std::string point_name(std::size_t point) {
  char name[32];
  std::snprintf(name, sizeof name, "point_%04zu", point);
  return name;
}

}  // namespace tipsim::experiments
