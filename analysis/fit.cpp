// Reading targets files and scoring a run against them. Rendering lives in fit_format.cpp.
#include "analysis/fit.hpp"

#include <math.h>  // lgamma_r

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/document.hpp"
#include "sim/config/reader.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

using config::Range;
using config::Reader;

struct QuantityInfo {
  Quantity quantity;
  std::string_view name;
  bool proportion;
};
constexpr std::array<QuantityInfo, 5> kQuantities = {{
    {Quantity::prevalence, "prevalence", true},
    {Quantity::nationality_share, "nationality_share", true},
    {Quantity::sample_size, "sample_size", false},
    {Quantity::wecs_18_30, "wecs_18_30", false},
    {Quantity::trafficked_18_30, "trafficked_18_30", false},
}};

const QuantityInfo& info(Quantity q) {
  for (const QuantityInfo& i : kQuantities)
    if (i.quantity == q) return i;
  throw InvariantError("quantity without a name");
}

template <std::size_t N>
std::vector<std::string> choices(const std::array<std::string_view, N>& keys) {
  return {keys.begin(), keys.end()};
}

/// Keys a message may point at, when the target gives them.
constexpr std::array<std::string_view, 10> kLocatedKeys = {
    "name",    "quantity", "survey", "department", "estimator",
    "country", "date",     "value",  "n",          "relative_sd"};

constexpr Range kShare{0.0, 1.0};
constexpr Range kCount{0.0, 1e15};

/// Reads the keys of one quantity into `t`.
void read_quantity(Reader& q, Quantity quantity, Target& t) {
  const bool survey_quantity = quantity == Quantity::prevalence ||
                               quantity == Quantity::nationality_share ||
                               quantity == Quantity::sample_size;
  if (survey_quantity) {
    t.survey = q.text("survey", std::nullopt, {"survey name, as the scenario declares it", "", ""});
  } else {
    t.date = q.date("date", std::nullopt, {"observation date of the run", "date", ""});
  }
  if (quantity == Quantity::prevalence) {
    t.estimator = q.text("estimator", std::nullopt, {"estimator of the prevalence", "", ""},
                         choices(kEstimatorKeys));
  }
  if (quantity == Quantity::nationality_share) {
    t.country = q.text("country", std::nullopt,
                       {"nationality: NG, SN, ML, or other for every other country", "", ""},
                       choices(kNationalityKeys));
  } else {
    t.department = q.optional_text("department", {"one department; absent: all", "", ""});
  }
  if (info(quantity).proportion) {
    t.value = q.number("value", std::nullopt, kShare, {"the reported share", "1", ""});
  } else {
    t.value = q.number("value", std::nullopt, kCount, {"the reported count", "persons", ""});
    // The normal term divides by relative_sd * value.
    if (q.has("value") && t.value == 0) q.error("value", "expected a positive count, got 0");
    // Bounded away from 0: the term divides by it squared, and 1e-300 made it infinite.
    t.relative_sd = q.number("relative_sd", kDefaultRelativeSd, {1e-4, 1e3},
                             {"standard deviation relative to the value", "1", ""});
  }
  if (quantity == Quantity::prevalence) {
    t.n = q.optional_number("n", {1.0, 1e9}, {"respondents the value rests on", "persons", ""});
  }
  if (quantity == Quantity::nationality_share) {
    t.n = q.optional_number(
        "n", {1.0, 1e9}, {"respondents classified trafficked the value rests on", "persons", ""});
  }
}

std::vector<Target> read_document(const config::Document& doc) {
  std::vector<Target> targets;
  std::set<std::string> names;
  std::vector<std::string> quantity_names;
  for (const QuantityInfo& i : kQuantities) quantity_names.emplace_back(i.name);
  config::read(doc, [&](Reader& r) {
    r.list(
        "targets", {"calibration targets", "", ""},
        [&](Reader& e, std::size_t) {
          Target t;
          t.path = e.path();
          t.location = e.where({});
          t.name = e.text("name", std::nullopt, {"unique target name", "", ""});
          if (!t.name.empty() && !names.insert(t.name).second)
            e.error("name", "target name '" + t.name + "' is used twice");
          e.variant("quantity", {"what the target measures", "", ""}, quantity_names,
                    [&](Reader& q, const std::string& chosen) {
                      for (const QuantityInfo& i : kQuantities)
                        if (i.name == chosen) t.quantity = i.quantity;
                      read_quantity(q, t.quantity, t);
                    });
          t.source = e.optional_text("source", {"where the value comes from", "", ""});
          for (const std::string_view key : kLocatedKeys)
            if (e.has(key)) t.key_locations.emplace(std::string(key), e.where(key));
          targets.push_back(std::move(t));
        },
        /*required=*/true, /*min_items=*/1);
  });
  return targets;
}

std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// Scores targets one at a time, collecting what the run cannot answer.
class Fitter {
 public:
  explicit Fitter(const Summary& run) : run_(run) {}

  TargetFit fit(const Target& t) {
    TargetFit r{t, std::nullopt, std::nullopt, std::nullopt, 0};
    switch (t.quantity) {
      case Quantity::prevalence:
        prevalence(t, r);
        break;
      case Quantity::nationality_share:
        nationality_share(t, r);
        break;
      case Quantity::sample_size:
        sample_size(t, r);
        break;
      case Quantity::wecs_18_30:
      case Quantity::trafficked_18_30:
        observed_count(t, r);
        break;
    }
    return r;
  }

  std::vector<config::Diagnostic> problems;

 private:
  void problem(const Target& t, std::string_view key, const std::string& message) {
    const auto at = t.key_locations.find(key);
    problems.push_back(config::Diagnostic{at != t.key_locations.end() ? at->second : t.location,
                                          t.path + "." + std::string(key),
                                          "target '" + t.name + "': " + message});
  }

  /// The target's survey, complete; nullptr (and a problem recorded) otherwise.
  const SurveySummary* survey(const Target& t) {
    std::vector<std::string> names;
    for (const SurveySummary& s : run_.surveys) {
      if (s.name != t.survey) {
        names.push_back(s.name);
        continue;
      }
      if (!s.complete) {
        // An ensemble's indicators do not carry the fieldwork dates.
        const bool dated = s.start.days != 0 || s.end.days != 0;
        problem(t, "survey",
                "survey '" + s.name + "' did not complete in this run" +
                    (dated ? " (fieldwork " + s.start.iso() + " .. " + s.end.iso() + ")" : "") +
                    ", so it has no results");
        return nullptr;
      }
      return &s;
    }
    problem(t, "survey",
            "the run has no survey '" + t.survey.value_or("") + "' (its surveys: " + joined(names) +
                ")");
    return nullptr;
  }

  /// The target's department of `s` (nullptr for the whole population); false (and a
  /// problem recorded) when the run has no such department.
  bool department(const Target& t, const SurveySummary& s, const SurveyDepartment*& found) {
    found = nullptr;
    if (!t.department) return true;
    found = s.department(*t.department);
    if (found != nullptr) return true;
    std::vector<std::string> names;
    for (const SurveyDepartment& d : s.by_department) names.push_back(d.name);
    problem(t, "department",
            "the run has no department '" + *t.department + "' (its departments: " + joined(names) +
                ")");
    return false;
  }

  void prevalence(const Target& t, TargetFit& r) {
    const SurveySummary* s = survey(t);
    const SurveyDepartment* d = nullptr;
    if (s == nullptr || !department(t, *s, d)) return;
    const ScopeEstimates& scope = d != nullptr ? d->estimates : s->estimates;
    const std::string estimator = t.estimator.value_or("");
    const EstimateInterval* e = scope.find(estimator);
    if (e == nullptr) {
      problem(t, "estimator",
              "survey '" + s->name + "' (" + s->design + " design) has no " + estimator +
                  " estimate: its design does not use that estimator");
      return;
    }
    const std::int64_t respondents = d != nullptr ? d->n : s->n;
    if (!e->value) {
      problem(t, "estimator",
              "survey '" + s->name + "' has no " + estimator + " estimate" +
                  (d != nullptr ? " in department " + d->name : std::string()) +
                  (respondents == 0 ? ": nobody was sampled there" : ": it is undefined"));
      return;
    }
    r.simulated = e->value;
    score_share(t, r, static_cast<double>(respondents), usable(e->design_effect));
  }

  void nationality_share(const Target& t, TargetFit& r) {
    const SurveySummary* s = survey(t);
    if (s == nullptr) return;
    const ClassifiedProfile& p = s->among_classified_trafficked;
    for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
      if (kNationalityKeys[k] == t.country) r.simulated = p.nationality_share[k];
    // The respondents classified are deflated by the design effect of the survey's sample
    // proportion, as every proportion is (a chain's clustering weighs on shares too).
    const EstimateInterval* e = s->estimates.find("sample");
    score_share(t, r, static_cast<double>(p.count),
                usable(e != nullptr ? e->design_effect : std::nullopt));
  }

  void sample_size(const Target& t, TargetFit& r) {
    const SurveySummary* s = survey(t);
    const SurveyDepartment* d = nullptr;
    if (s == nullptr || !department(t, *s, d)) return;
    r.simulated = static_cast<double>(d != nullptr ? d->n : s->n);
    r.term = normal_term(t.value, *r.simulated, t.relative_sd);
  }

  void observed_count(const Target& t, TargetFit& r) {
    const auto o = std::find_if(run_.observations.begin(), run_.observations.end(),
                                [&](const ObservationSummary& x) { return x.date == t.date; });
    if (o == run_.observations.end()) {
      std::vector<std::string> dates;
      for (const ObservationSummary& x : run_.observations) dates.push_back(x.date.iso());
      problem(t, "date",
              "the run has no observation on " + (t.date ? t.date->iso() : "?") +
                  " (its observation dates: " + joined(dates) + ")");
      return;
    }
    const bool women = t.quantity == Quantity::wecs_18_30;
    std::int64_t count = women ? o->wecs_18_30 : o->trafficked_18_30;
    if (t.department) {
      const auto d = std::find_if(o->by_department.begin(), o->by_department.end(),
                                  [&](const DepartmentCount& x) { return x.name == t.department; });
      if (d == o->by_department.end()) {
        std::vector<std::string> names;
        for (const DepartmentCount& x : o->by_department) names.push_back(x.name);
        problem(t, "department",
                "the run has no department '" + *t.department +
                    "' (its departments: " + joined(names) + ")");
        return;
      }
      count = women ? d->wecs_18_30 : d->trafficked_18_30;
    }
    r.simulated = static_cast<double>(count);
    r.term = normal_term(t.value, *r.simulated, t.relative_sd);
  }

  /// A design effect the bootstrap could not give (undefined, or a sample without
  /// variance) leaves sample sizes as they are.
  static double usable(std::optional<double> design_effect) {
    return design_effect && std::isfinite(*design_effect) && *design_effect > 0 ? *design_effect
                                                                                : 1.0;
  }

  /// The term of a share: the reported respondents (the simulated ones when the target
  /// gives none) and the simulated ones, both over the simulated design effect.
  static void score_share(const Target& t, TargetFit& r, double simulated_respondents,
                          double design_effect) {
    r.n_effective = t.n.value_or(simulated_respondents) / design_effect;
    r.simulated_n_effective = simulated_respondents / design_effect;
    r.term = beta_binomial_deviance(t.value, *r.n_effective, r.simulated, *r.simulated_n_effective);
  }

  const Summary& run_;
};

}  // namespace

std::string_view quantity_name(Quantity q) {
  return info(q).name;
}

bool is_proportion(Quantity q) {
  return info(q).proportion;
}

std::vector<Target> read_targets(const std::filesystem::path& file) {
  return read_document(config::Document::load_file(file));
}

std::vector<Target> read_targets_text(std::string_view text, const std::string& name) {
  return read_document(config::Document::load_string(text, name));
}

namespace {

double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);  // lgamma itself writes a global: not for parallel fits
}

double log_beta(double a, double b) {
  return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
}

}  // namespace

double beta_binomial_deviance(double target, double n_observed, std::optional<double> simulated,
                              double n_simulated) {
  const double n = n_observed;
  const double k = target * n;
  const double s = simulated.value_or(0.5);
  const double m = simulated ? n_simulated : 0.0;
  const double a = s * m + 0.5;
  const double b = (1.0 - s) * m + 0.5;
  // x ln p, with its limit 0 at x = 0 (then p may be 0 too).
  const auto part = [](double x, double p) { return x == 0 ? 0.0 : x * std::log(p); };
  const double saturated = part(k, target) + part(n - k, 1.0 - target);
  return 2.0 * (saturated - log_beta(k + a, n - k + b) + log_beta(a, b));
}

double normal_term(double target, double simulated, double relative_sd) {
  const double z = (simulated - target) / (relative_sd * target);
  return z * z;
}

Fit fit_targets(const Summary& run, const std::vector<Target>& targets, const std::string& run_file,
                const std::string& targets_file) {
  Fit f;
  f.file = run_file;
  f.targets_file = targets_file;
  Fitter fitter(run);
  for (const Target& t : targets) {
    f.targets.push_back(fitter.fit(t));
    f.total += f.targets.back().term;
  }
  if (!fitter.problems.empty()) throw config::ScenarioError(std::move(fitter.problems));
  return f;
}

Fit fit_run(const std::filesystem::path& run_file, const std::filesystem::path& targets_file) {
  // The targets first: reading them is cheap, and their mistakes are the likelier ones.
  const std::vector<Target> targets = read_targets(targets_file);
  return fit_targets(summarize(run_file), targets, run_file.string(), targets_file.string());
}

}  // namespace tipsim::analysis
