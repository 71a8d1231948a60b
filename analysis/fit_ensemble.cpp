// Fitting an ensemble: each run's surveys and observations rebuilt from its indicators, fitted
// as one run is, and the runs of a cell combined. Rendering lives in fit_format.cpp.
#include "analysis/fit_ensemble.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

#include "analysis/ensemble_table.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/error.hpp"
#include "sim/stats/quantile.hpp"

namespace tipsim::analysis {
namespace {

/// `name` split at its dots.
std::vector<std::string_view> parts_of(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

template <std::size_t N>
std::optional<std::size_t> index_of(const std::array<std::string_view, N>& keys,
                                    std::string_view key) {
  const auto it = std::find(keys.begin(), keys.end(), key);
  if (it == keys.end()) return std::nullopt;
  return static_cast<std::size_t>(it - keys.begin());
}

std::optional<double> value_of(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

/// One estimator's field (`value`, `design_effect`, `ci_low`, `ci_high`) into `scope`.
void set_estimate(ScopeEstimates& scope, std::string_view estimator, std::string_view field,
                  double v) {
  const auto k = index_of(kEstimatorKeys, estimator);
  if (!k) return;
  auto& e = scope.by_estimator[*k];
  if (!e) e = EstimateInterval{};
  if (field == "value") e->value = value_of(v);
  if (field == "design_effect") e->design_effect = value_of(v);
  if (field == "ci_low") e->ci_low = value_of(v);
  if (field == "ci_high") e->ci_high = value_of(v);
}

template <class T>
T& named(std::vector<T>& list, std::string_view name) {
  for (T& x : list)
    if (x.name == name) return x;
  list.push_back(T{});
  list.back().name = std::string(name);
  return list.back();
}

ObservationSummary& dated(std::vector<ObservationSummary>& list, Date date) {
  for (ObservationSummary& o : list)
    if (o.date == date) return o;
  list.push_back(ObservationSummary{});
  list.back().date = date;
  return list.back();
}

bool has_count(std::span<const std::string> names, const std::string& survey) {
  const std::string key = "surveys." + survey + ".among_classified_trafficked.count";
  return std::find(names.begin(), names.end(), key) != names.end();
}

}  // namespace

Summary summary_from_indicators(std::span<const std::string> names,
                                std::span<const double> values) {
  Summary s;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    const std::string_view name = names[i];
    if (name.find('@') != std::string_view::npos) continue;  // a window's totals
    const auto p = parts_of(name);
    const double v = values[i];
    if (p.size() >= 3 && p[0] == "surveys") {
      SurveySummary& survey = named(s.surveys, p[1]);
      if (p.size() == 3 && p[2] == "n") survey.n = std::isnan(v) ? 0 : std::llround(v);
      if (p.size() == 3 && p[2] == "population_size" && !std::isnan(v))
        survey.population_size = std::llround(v);
      if (p.size() == 5 && p[2] == "estimates") set_estimate(survey.estimates, p[3], p[4], v);
      if (p.size() == 4 && p[2] == "n_by_department")
        named(survey.by_department, p[3]).n = std::isnan(v) ? 0 : std::llround(v);
      if (p.size() == 6 && p[2] == "by_department")
        set_estimate(named(survey.by_department, p[3]).estimates, p[4], p[5], v);
      if (p.size() == 4 && p[2] == "among_classified_trafficked" && p[3] == "count")
        survey.among_classified_trafficked.count = std::isnan(v) ? 0 : std::llround(v);
      if (p.size() == 5 && p[2] == "among_classified_trafficked" && p[3] == "nationality") {
        if (const auto k = index_of(kNationalityKeys, p[4]))
          survey.among_classified_trafficked.nationality_share[*k] = value_of(v);
      }
    } else if (p.size() >= 3 && p[0] == "observations") {
      const auto date = Date::parse(std::string(p[1]));
      if (!date || std::isnan(v)) continue;
      ObservationSummary& o = dated(s.observations, *date);
      if (p.size() == 3 && p[2] == "wecs_18_30") o.wecs_18_30 = std::llround(v);
      if (p.size() == 3 && p[2] == "trafficked_18_30") o.trafficked_18_30 = std::llround(v);
      if (p.size() == 5 && p[2] == "by_department") {
        DepartmentCount& d = named(o.by_department, p[3]);
        if (p[4] == "wecs_18_30") d.wecs_18_30 = std::llround(v);
        if (p[4] == "trafficked_18_30") d.trafficked_18_30 = std::llround(v);
      }
    }
  }
  for (SurveySummary& survey : s.surveys) {
    // A survey reports estimates only once its fieldwork ended.
    survey.complete =
        std::any_of(survey.estimates.by_estimator.begin(), survey.estimates.by_estimator.end(),
                    [](const auto& e) { return e && e->value; });
    // Files written before the count was reported: the sample proportion is the share
    // classified among the respondents, exactly.
    const EstimateInterval* sample = survey.estimates.find("sample");
    if (!has_count(names, survey.name) && sample != nullptr && sample->value)
      survey.among_classified_trafficked.count =
          std::llround(*sample->value * static_cast<double>(survey.n));
  }
  return s;
}

double averaged_deviance(std::span<const double> terms) {
  if (terms.empty()) return std::numeric_limits<double>::quiet_NaN();
  // -2 ln((1/R) sum exp(-t/2)), shifted by the smallest term so no exponent overflows.
  const double least = *std::min_element(terms.begin(), terms.end());
  double sum = 0;
  for (const double t : terms) sum += std::exp(-(t - least) / 2);
  return least - 2 * std::log(sum / static_cast<double>(terms.size()));
}

EnsembleFit fit_ensemble(const std::filesystem::path& ensemble_file,
                         const std::filesystem::path& targets_file) {
  const std::vector<Target> targets = read_targets(targets_file);
  const EnsembleTable table = read_ensemble_table(ensemble_file);
  EnsembleFit out;
  out.file = ensemble_file.string();
  out.targets_file = targets_file.string();
  const std::size_t columns = table.names.size();
  for (std::size_t c = 0; c < table.cells.size(); ++c) {
    EnsembleCellFit cell;
    cell.cell = table.cells[c].name;
    std::vector<Fit> fits;
    for (std::size_t r = 0; r < table.run.size(); ++r) {
      if (table.cell[r] != c || table.status[r] != 0) continue;
      const Summary run = summary_from_indicators(
          table.names, std::span<const double>(table.values).subspan(r * columns, columns));
      try {
        fits.push_back(fit_targets(run, targets, out.file, out.targets_file));
      } catch (const config::ScenarioError& e) {
        // The same targets fail the same way in every run of a cell: report the first,
        // saying which run of which cell it was.
        std::vector<config::Diagnostic> problems = e.diagnostics();
        for (auto& d : problems)
          d.message += " (cell '" + cell.cell + "', run " + std::to_string(table.run[r]) + ")";
        throw config::ScenarioError(std::move(problems), e.subject());
      }
    }
    if (fits.empty()) continue;
    cell.runs = fits.size();
    std::vector<double> totals;
    for (const Fit& f : fits) totals.push_back(f.total);
    cell.total = averaged_deviance(totals);
    cell.mean_total = 0;
    for (const double t : totals) cell.mean_total += t / static_cast<double>(totals.size());
    for (std::size_t k = 0; k < targets.size(); ++k) {
      EnsembleTargetFit t;
      t.target = targets[k];
      std::vector<double> terms, simulated;
      for (const Fit& f : fits) {
        terms.push_back(f.targets[k].term);
        simulated.push_back(f.targets[k].simulated.value_or(std::nan("")));
      }
      t.term = averaged_deviance(terms);
      for (const double x : terms) t.mean_term += x / static_cast<double>(terms.size());
      constexpr std::array<double, 3> kQs = {0.05, 0.5, 0.95};
      const auto q = stats::quantiles(simulated, kQs);
      t.simulated_low = value_of(q[0]);
      t.simulated_median = value_of(q[1]);
      t.simulated_high = value_of(q[2]);
      double below = 0, counted = 0;
      for (const double x : simulated) {
        if (std::isnan(x)) continue;
        ++counted;
        below += x < t.target.value ? 1.0 : x == t.target.value ? 0.5 : 0.0;
      }
      if (counted > 0) t.observed_quantile = below / counted;
      cell.targets.push_back(std::move(t));
    }
    out.cells.push_back(std::move(cell));
  }
  return out;
}

}  // namespace tipsim::analysis
