#include "experiments/priors_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "experiments/design_points.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/config/document.hpp"
#include "sim/config/reader.hpp"
#include "sim/json.hpp"

namespace tipsim::experiments {
namespace {

using calibration::Prior;
using calibration::PriorKind;
using config::Reader;
constexpr double kInf = std::numeric_limits<double>::infinity();
/// How far out a prior without bounds is probed: its centre plus or minus this many of its
/// standard deviations (a normal prior's mass beyond is below 1e-15).
constexpr double kProbeSds = 8;
constexpr int kBisections = 48;

struct Probe {
  const std::string& scenario;
  const std::vector<std::string>& sets;
  const std::string& path;
  [[nodiscard]] std::string refusal(double v) const {
    return scenario_refusal(scenario, sets, path, v);
  }
  /// The last value from `inside` (accepted) towards `outside` that the scenario accepts:
  /// `outside` itself when it is accepted, else a bisection of the boundary.
  [[nodiscard]] double bound(double inside, double outside) const {
    if (refusal(outside).empty()) return outside;
    for (int i = 0; i < kBisections; ++i) {
      const double mid = 0.5 * (inside + outside);
      if (mid == inside || mid == outside) break;
      (refusal(mid).empty() ? inside : outside) = mid;
    }
    return inside;
  }
};

void read_parameter(Reader& p, std::vector<calibration::CalibratedParameter>& out,
                    const std::string& scenario_file, const std::vector<std::string>& sets) {
  const std::size_t errors_before = p.error_count();
  const std::string path = p.text(
      "path", std::nullopt, {"key path as --set takes it, list items by name or position", "", ""});
  std::optional<Prior> prior;
  std::optional<double> lower, upper;
  p.variant(
      "prior", {"the prior distribution", "", ""},
      {"uniform", "log_uniform", "normal", "log_normal", "beta"},
      [&](Reader& q, const std::string& kind) {
        const auto bound = [&](const char* key, const char* what) {
          return q.optional_number(key, {}, {what, "", ""});
        };
        if (kind == "uniform" || kind == "log_uniform") {
          const double min = q.number("min", std::nullopt, {}, {"lowest value", "", ""});
          const double max = q.number("max", std::nullopt, {}, {"highest value", "", ""});
          if (q.schema_mode() || q.error_count() > errors_before) return;
          if (!(min < max)) return q.error("max", "max must be greater than min");
          if (kind == "log_uniform" && min <= 0)
            return q.error("min", "a log-uniform prior needs min > 0");
          prior = kind == "uniform" ? Prior::uniform(min, max) : Prior::log_uniform(min, max);
          return;
        }
        if (kind == "normal") {
          const double mean = q.number("mean", std::nullopt, {}, {"the mean", "", ""});
          const double sd = q.number("sd", std::nullopt, {0, kInf}, {"standard deviation", "", ""});
          lower = bound("min", "truncate below (optional)");
          upper = bound("max", "truncate above (optional)");
          if (q.schema_mode() || q.error_count() > errors_before) return;
          if (sd <= 0) return q.error("sd", "expected a positive standard deviation");
          prior = Prior::normal(mean, sd);
        } else if (kind == "log_normal") {
          const double median =
              q.number("median", std::nullopt, {0, kInf}, {"the median, e^mu", "", ""});
          const double sigma =
              q.number("sigma", std::nullopt, {0, kInf}, {"sd of the logarithm", "", ""});
          lower = bound("min", "truncate below (optional)");
          upper = bound("max", "truncate above (optional)");
          if (q.schema_mode() || q.error_count() > errors_before) return;
          if (median <= 0) return q.error("median", "expected a positive median");
          if (sigma <= 0) return q.error("sigma", "expected a positive sigma");
          prior = Prior::log_normal(std::log(median), sigma);
        } else {
          const double a = q.number("a", std::nullopt, {0, kInf}, {"first shape", "", ""});
          const double b = q.number("b", std::nullopt, {0, kInf}, {"second shape", "", ""});
          lower = bound("min", "truncate below (optional)");
          upper = bound("max", "truncate above (optional)");
          if (q.schema_mode() || q.error_count() > errors_before) return;
          if (a <= 0 || b <= 0) return q.error(a <= 0 ? "a" : "b", "expected a positive shape");
          prior = Prior::beta(a, b);
        }
      });
  const std::string source =
      p.text("source", "", {"why this prior: the evidence or the assumption", "", ""});
  if (p.schema_mode() || !prior || p.error_count() > errors_before) return;
  for (const auto& other : out)
    if (other.path == path) return p.error("path", "parameter '" + path + "' is listed twice");

  const Probe probe{scenario_file, sets, path};
  const auto refused = [&](const char* key, double v) {
    const std::string why = probe.refusal(v);
    if (!why.empty())
      p.error(key, path + " = " + json_number(v) + " is refused by the scenario: " + why);
    return !why.empty();
  };
  if (prior->kind() == PriorKind::uniform || prior->kind() == PriorKind::log_uniform) {
    // The user's range: its ends and a point inside must all be accepted.
    if (refused("min", prior->lower()) || refused("max", prior->upper())) return;
    const double inside = prior->from_working(prior->quantile(0.377));
    if (refused("path", inside)) return;
    out.push_back({path, *prior, source});
    return;
  }
  // The others are truncated to what the scenario accepts: found from the prior's centre.
  const double centre = prior->from_working(prior->quantile(0.5));
  if (refused("path", centre)) return;
  if (lower && refused("min", *lower)) return;
  if (upper && refused("max", *upper)) return;
  double lo = lower.value_or(-kInf), hi = upper.value_or(kInf);
  if (!lower) {
    const double far = prior->kind() == PriorKind::beta ? 1e-12
                       : prior->kind() == PriorKind::normal
                           ? prior->a() - kProbeSds * prior->b()
                           : std::exp(prior->a() - kProbeSds * prior->b());
    if (!probe.refusal(far).empty()) lo = probe.bound(centre, far);
  }
  if (!upper) {
    const double far = prior->kind() == PriorKind::beta ? 1 - 1e-12
                       : prior->kind() == PriorKind::normal
                           ? prior->a() + kProbeSds * prior->b()
                           : std::exp(prior->a() + kProbeSds * prior->b());
    if (!probe.refusal(far).empty()) hi = probe.bound(centre, far);
  }
  try {
    const Prior kept = prior->truncated(lo, hi);
    // A value inside, away from round numbers, must be accepted too (a whole-number key
    // refuses it, and every run of such a prior would fail).
    if (refused("path", kept.from_working(kept.quantile(0.377)))) return;
    out.push_back({path, kept, source});
  } catch (const std::invalid_argument&) {
    p.error("prior", "nothing of the prior is left between " + json_number(lo) + " and " +
                         json_number(hi) + ", the values the scenario accepts");
  }
}

void read_priors(Reader& r, PriorsFile& f, const std::string& scenario_file,
                 const std::vector<std::string>& sets,
                 const std::vector<std::string>& target_names) {
  r.list(
      "parameters", {"the scenario values to calibrate, each with its prior", "", ""},
      [&](Reader& p, std::size_t) { read_parameter(p, f.parameters, scenario_file, sets); },
      /*required=*/true, /*min_items=*/1);
  r.list(
      "weights", {"weights of targets' terms in the distance (others weigh 1)", "", ""},
      [&](Reader& w, std::size_t) {
        TargetWeight tw;
        tw.target = w.text("target", std::nullopt, {"a target's name", "", ""});
        tw.weight = w.number("weight", std::nullopt, {0, 1e6},
                             {"its term's weight; 0 leaves it out", "1", ""});
        if (w.schema_mode()) return;
        if (std::find(target_names.begin(), target_names.end(), tw.target) == target_names.end()) {
          std::string names;
          for (const auto& n : target_names) names += (names.empty() ? "" : ", ") + n;
          return w.error("target", "no target '" + tw.target +
                                       "' in the targets file (its "
                                       "targets: " +
                                       names + ")");
        }
        for (const auto& other : f.weights)
          if (other.target == tw.target)
            return w.error("target", "target '" + tw.target + "' is weighed twice");
        f.weights.push_back(tw);
      });
}

PriorsFile finish(const config::Document& doc, const std::string& scenario_file,
                  const std::vector<std::string>& sets,
                  const std::vector<std::string>& target_names) {
  PriorsFile f;
  try {
    (void)config::read(doc,
                       [&](Reader& r) { read_priors(r, f, scenario_file, sets, target_names); });
  } catch (const config::ScenarioError& e) {
    throw config::ScenarioError(e.diagnostics(), "the priors file");
  }
  return f;
}

}  // namespace

PriorsFile load_priors(const std::string& priors_file, const std::string& scenario_file,
                       const std::vector<std::string>& sets,
                       const std::vector<std::string>& target_names) {
  return finish(config::Document::load_file(priors_file), scenario_file, sets, target_names);
}

PriorsFile load_priors_text(const std::string& text, const std::string& name,
                            const std::string& scenario_file, const std::vector<std::string>& sets,
                            const std::vector<std::string>& target_names) {
  return finish(config::Document::load_string(text, name), scenario_file, sets, target_names);
}

std::string priors_json_schema() {
  PriorsFile f;
  return config::json_schema([&](Reader& r) { read_priors(r, f, "", {}, {}); },
                             "tipsim calibration priors");
}

}  // namespace tipsim::experiments
