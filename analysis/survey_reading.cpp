// Reading `/surveys` of a run file. Rendering lives in survey_format.cpp.
#include "analysis/survey_reading.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/summary.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {

const EstimateInterval* ScopeEstimates::find(std::string_view key) const {
  for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k)
    if (kEstimatorKeys[k] == key && by_estimator[k]) return &*by_estimator[k];
  return nullptr;
}

const SurveyDepartment* SurveySummary::department(std::string_view department_name) const {
  for (const SurveyDepartment& d : by_department)
    if (d.name == department_name) return &d;
  return nullptr;
}

namespace detail {
namespace {

/// A value of the file, empty where it holds NaN (undefined).
std::optional<double> defined(double value) {
  if (std::isnan(value)) return std::nullopt;
  return value;
}

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

/// What the whole file tells about every survey: its departments, countries and the
/// instrument's indicator columns.
struct SurveyContext {
  std::vector<std::string> departments;
  /// kNationalityKeys slot of each country of `/countries`.
  std::vector<std::size_t> nationality_slot;
  std::size_t indicator_count = 0;
  std::size_t deceptive_recruitment = 0;  ///< column of the indicator
  std::size_t debt_bondage = 0;           ///< column of the indicator
};

SurveyContext read_context(const RunReader& run) {
  SurveyContext c;
  c.departments = run.read_strings("departments");
  const std::vector<std::string> countries = run.read_strings("countries");
  c.nationality_slot.assign(countries.size(), kNationalityKeys.size() - 1);
  for (std::size_t i = 0; i < countries.size(); ++i) {
    for (std::size_t k = 0; k + 1 < kNationalityKeys.size(); ++k)
      if (countries[i] == kNationalityKeys[k]) c.nationality_slot[i] = k;
  }
  const std::vector<std::string> indicators = run.read_strings("surveys/indicator_names");
  c.indicator_count = indicators.size();
  const auto column = [&](const std::string& name) {
    const auto at = std::find(indicators.begin(), indicators.end(), name);
    if (at == indicators.end()) {
      throw IoError(run.name() + ": /surveys/indicator_names has no '" + name + "'");
    }
    return static_cast<std::size_t>(at - indicators.begin());
  };
  c.deceptive_recruitment = column("deceptive_recruitment");
  c.debt_bondage = column("debt_bondage");
  return c;
}

/// Every department of the run, nobody sampled yet, and the estimators the design uses.
void prepare_scopes(const SurveyContext& c, const std::vector<std::string>& estimators_in_file,
                    SurveySummary& s) {
  std::array<bool, kEstimatorKeys.size()> used{};
  for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k) {
    // RDS always yields all four; other designs the sample proportion, and whatever the file
    // holds besides.
    used[k] = s.design == "rds" || kEstimatorKeys[k] == "sample" ||
              std::find(estimators_in_file.begin(), estimators_in_file.end(), kEstimatorKeys[k]) !=
                  estimators_in_file.end();
  }
  const auto prepare = [&](ScopeEstimates& scope) {
    for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k)
      if (used[k]) scope.by_estimator[k] = EstimateInterval{};
  };
  prepare(s.estimates);
  for (const std::string& name : c.departments) {
    SurveyDepartment d;
    d.name = name;
    prepare(d.estimates);
    s.by_department.push_back(std::move(d));
  }
}

void read_estimates(const RunReader& run, const std::string& group, SurveySummary& s) {
  const std::vector<std::string> estimator = run.read_strings(group + "/estimator");
  const std::uint64_t rows = estimator.size();
  const std::vector<std::string> department = run.read_strings(group + "/department", rows);
  const auto value = run.read<double>(group + "/value", rows);
  const auto lo = run.read<double>(group + "/ci_low", rows);
  const auto hi = run.read<double>(group + "/ci_high", rows);
  const auto deff = run.read<double>(group + "/design_effect", rows);
  for (std::size_t r = 0; r < rows; ++r) {
    ScopeEstimates* scope = &s.estimates;
    if (!department[r].empty()) {
      const auto at =
          std::find_if(s.by_department.begin(), s.by_department.end(),
                       [&](const SurveyDepartment& d) { return d.name == department[r]; });
      if (at == s.by_department.end()) {
        throw IoError(run.name() + ": /" + group + "/department names '" + department[r] +
                      "', which is not in /departments");
      }
      scope = &at->estimates;
    }
    for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k) {
      // An estimator this reader does not know is left out rather than refused.
      if (kEstimatorKeys[k] != estimator[r]) continue;
      scope->by_estimator[k] =
          EstimateInterval{defined(value[r]), defined(lo[r]), defined(hi[r]), defined(deff[r])};
    }
  }
}

void read_respondents(const RunReader& run, const SurveyContext& c, const std::string& group,
                      SurveySummary& s) {
  const std::vector<std::int32_t> department = run.read_column<std::int32_t>(group + "/department");
  const std::uint64_t n = department.size();
  const auto age = run.read<float>(group + "/age_years", n);
  const auto nationality = run.read<std::int32_t>(group + "/nationality", n);
  const auto classified = run.read<std::uint8_t>(group + "/classified_trafficked", n);
  const auto reported =
      run.read<std::uint8_t>(group + "/reported_indicators", n, c.indicator_count);
  s.n = static_cast<std::int64_t>(n);
  ClassifiedProfile& p = s.among_classified_trafficked;
  std::array<std::int64_t, kNationalityKeys.size()> by_nationality{};
  std::array<std::int64_t, kRespondentAgeBandKeys.size()> by_age{};
  std::int64_t false_job_offer = 0, debt_bondage = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (department[i] < 0 || static_cast<std::size_t>(department[i]) >= c.departments.size()) {
      throw IoError(run.name() + ": /" + group + "/department holds " +
                    std::to_string(department[i]) + ", not an index into /departments");
    }
    ++s.by_department[static_cast<std::size_t>(department[i])].n;
    if (classified[i] == 0) continue;
    ++p.count;
    if (nationality[i] < 0 ||
        static_cast<std::size_t>(nationality[i]) >= c.nationality_slot.size()) {
      throw IoError(run.name() + ": /" + group + "/nationality holds " +
                    std::to_string(nationality[i]) + ", not an index into /countries");
    }
    ++by_nationality[c.nationality_slot[static_cast<std::size_t>(nationality[i])]];
    // Completed years, as a respondent states her age.
    const double years = std::floor(static_cast<double>(age[i]));
    if (years >= 18 && years <= 24) ++by_age[0];
    if (years >= 25 && years <= 30) ++by_age[1];
    const std::size_t row = i * c.indicator_count;
    false_job_offer += reported[row + c.deceptive_recruitment] != 0 ? 1 : 0;
    debt_bondage += reported[row + c.debt_bondage] != 0 ? 1 : 0;
  }
  for (std::size_t k = 0; k < by_nationality.size(); ++k)
    p.nationality_share[k] = share(by_nationality[k], p.count);
  for (std::size_t b = 0; b < by_age.size(); ++b) p.age_share[b] = share(by_age[b], p.count);
  p.false_job_offer = share(false_job_offer, p.count);
  p.debt_bondage = share(debt_bondage, p.count);
}

SurveySummary read_survey(const RunReader& run, const SurveyContext& c, const std::string& name) {
  const std::string group = "surveys/" + name;
  run.require(group);
  const h5::Group g = run.root().open_group(group);
  for (const char* attribute :
       {"design", "start_date", "end_date", "population_size", "truth", "complete"}) {
    if (!g.has_attribute(attribute)) {
      throw IoError(run.name() + ": /" + group + " has no attribute '" + attribute + "'");
    }
  }
  SurveySummary s;
  s.name = name;
  s.design = g.string_attribute("design");
  const auto date = [&](const char* attribute) {
    const std::string text = g.string_attribute(attribute);
    const auto d = Date::parse(text);
    if (!d) {
      throw IoError(run.name() + ": /" + group + "@" + attribute + " is '" + text +
                    "', not a YYYY-MM-DD date");
    }
    return *d;
  };
  s.start = date("start_date");
  s.end = date("end_date");
  s.complete = g.int_attribute("complete") != 0;
  s.population_size = g.int_attribute("population_size");

  const auto estimators = run.read_strings(group + "/estimates/estimator");
  prepare_scopes(c, estimators, s);
  // No respondents group: the survey reached nobody.
  if (run.root().exists(group + "/respondents"))
    read_respondents(run, c, group + "/respondents", s);
  // Estimates and truth are final only once fieldwork has ended; before that the file's
  // values are partial (or placeholders), so they are reported as unknown.
  if (!s.complete) return s;
  read_estimates(run, group + "/estimates", s);
  s.estimates.truth = defined(g.double_attribute("truth"));
  const auto truth = run.read<double>(group + "/truth_by_department", c.departments.size());
  for (std::size_t d = 0; d < c.departments.size(); ++d)
    s.by_department[d].estimates.truth = defined(truth[d]);
  return s;
}

}  // namespace

std::vector<SurveySummary> read_surveys(const RunReader& run) {
  if (!run.root().exists("surveys")) return {};
  const SurveyContext context = read_context(run);
  std::vector<SurveySummary> surveys;
  for (const std::string& name : run.read_strings("surveys/names"))
    surveys.push_back(read_survey(run, context, name));
  return surveys;
}

}  // namespace detail
}  // namespace tipsim::analysis
