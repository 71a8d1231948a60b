// Text and JSON renderings of the surveys of a Summary.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/indicators.hpp"
#include "analysis/summary.hpp"
#include "analysis/survey_reading.hpp"

namespace tipsim::analysis::detail {
namespace {

constexpr std::size_t kScopeWidth = 18;     // characters of the scope column
constexpr std::size_t kCountWidth = 6;      // characters of the respondents column
constexpr std::size_t kShareWidth = 8;      // characters of a share column
constexpr std::size_t kEstimateWidth = 20;  // characters of an estimate with its interval

/// "19.6% (10.3-29.5)": the estimate and its interval in percent; "-" when undefined.
std::string estimate_text(const EstimateInterval& e) {
  if (!e.value) return "-";
  std::string text = percent(e.value);
  if (e.ci_low && e.ci_high) {
    std::string low = percent(e.ci_low), high = percent(e.ci_high);
    low.pop_back();  // one percent sign for the interval
    high.pop_back();
    text.append(" (").append(low).append("-").append(high).append(")");
  }
  return text;
}

void scope_row(std::string& out, std::string_view label, std::int64_t n,
               const ScopeEstimates& scope) {
  out.append("  ")
      .append(pad_right(label, kScopeWidth))
      .append(pad_left(std::to_string(n), kCountWidth))
      .append(pad_left(percent(scope.truth), kShareWidth))
      .append("  ");
  for (const auto& e : scope.by_estimator)
    if (e) out.append(pad_right(estimate_text(*e), kEstimateWidth));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out.append("\n");
}

void classified_rows(std::string& out, const ClassifiedProfile& p) {
  std::string head = "  " + pad_right("classified trafficked: " + std::to_string(p.count),
                                      kScopeWidth + kCountWidth + kShareWidth);
  std::string shares = "  " + pad_right("  share", kScopeWidth + kCountWidth + kShareWidth);
  const auto column = [&](std::string_view key, std::optional<double> share, std::size_t width) {
    head += pad_left(key, width);
    shares += pad_left(percent(share), width);
  };
  for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
    column(kNationalityKeys[k], p.nationality_share[k], kShareWidth);
  for (std::size_t b = 0; b < kRespondentAgeBandKeys.size(); ++b)
    column(kRespondentAgeBandKeys[b], p.age_share[b], kShareWidth);
  column("false job offer", p.false_job_offer, 17);
  column("debt bondage", p.debt_bondage, 14);
  out += head + "\n" + shares + "\n";
}

/// `{"sample": {...}, ...}` members of one scope: null for an estimator the design does not
/// use.
void estimator_members(JsonWriter& j, const ScopeEstimates& scope) {
  for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k) {
    j.key(kEstimatorKeys[k]);
    const auto& e = scope.by_estimator[k];
    if (!e) {
      j.null();
      continue;
    }
    j.begin_object();
    j.key("value").number(e->value);
    j.key("ci").begin_array().number(e->ci_low).number(e->ci_high).end_array();
    j.key("design_effect").number(e->design_effect);
    j.end_object();
  }
}

}  // namespace

void survey_block(std::string& out, const SurveySummary& s) {
  out.append("Survey ")
      .append(s.name)
      .append("   ")
      .append(s.design)
      .append("   fieldwork ")
      .append(s.start.iso())
      .append(" .. ")
      .append(s.end.iso())
      .append("   ")
      .append(std::to_string(s.population_size))
      .append(" women eligible\n");
  if (!s.complete) out.append("  not complete: no estimates\n");
  std::string head = "  " + pad_right("department", kScopeWidth) + pad_left("n", kCountWidth) +
                     pad_left("truth", kShareWidth) + "  ";
  for (std::size_t k = 0; k < kEstimatorKeys.size(); ++k)
    if (s.estimates.by_estimator[k]) head += pad_right(kEstimatorKeys[k], kEstimateWidth);
  while (head.back() == ' ') head.pop_back();
  out += head + "\n";
  for (const SurveyDepartment& d : s.by_department) scope_row(out, d.name, d.n, d.estimates);
  scope_row(out, "all departments", s.n, s.estimates);
  classified_rows(out, s.among_classified_trafficked);
  out += "\n";
}

void survey_json(JsonWriter& j, const SurveySummary& s) {
  j.begin_object();
  j.key("name").string(s.name);
  j.key("design").string(s.design);
  j.key("start").string(s.start.iso());
  j.key("end").string(s.end.iso());
  j.key("n").integer(s.n);
  j.key("n_by_department").begin_object();
  for (const SurveyDepartment& d : s.by_department) j.key(d.name).integer(d.n);
  j.end_object();
  j.key("population_size").integer(s.population_size);
  j.key("estimates").begin_object();
  estimator_members(j, s.estimates);
  j.end_object();
  j.key("truth").number(s.estimates.truth);
  j.key("by_department").begin_object();
  for (const SurveyDepartment& d : s.by_department) {
    j.key(d.name).begin_object();
    estimator_members(j, d.estimates);
    j.key("truth").number(d.estimates.truth);
    j.end_object();
  }
  j.end_object();

  const ClassifiedProfile& p = s.among_classified_trafficked;
  j.key("among_classified_trafficked").begin_object();
  j.key("count").integer(p.count);
  j.key("nationality").begin_object();
  for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
    j.key(kNationalityKeys[k]).number(p.nationality_share[k]);
  j.end_object();
  j.key("age_band").begin_object();
  for (std::size_t b = 0; b < kRespondentAgeBandKeys.size(); ++b)
    j.key(kRespondentAgeBandKeys[b]).number(p.age_share[b]);
  j.end_object();
  j.key("false_job_offer").number(p.false_job_offer);
  j.key("debt_bondage").number(p.debt_bondage);
  j.end_object();
  j.end_object();
}

}  // namespace tipsim::analysis::detail
