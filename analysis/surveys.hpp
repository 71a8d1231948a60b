#pragma once
/// What the virtual surveys of a run saw (`/surveys` of the output schema): sample sizes, the
/// estimates of the share trafficked beside the truth, and who the instrument classified as
/// trafficked. Part of a Summary; the fit of a run to calibration targets reads it too.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/date.hpp"

namespace tipsim::analysis {

/// Estimators of `/surveys/<name>/estimates`, in the order reports list them.
inline constexpr std::array<std::string_view, 4> kEstimatorKeys = {"sample", "rds_i", "rds_ii",
                                                                   "ss"};
/// Age bands of respondents classified trafficked, in completed years at the interview.
inline constexpr std::array<std::string_view, 2> kRespondentAgeBandKeys = {"18-24", "25-30"};

/// One estimator in one scope; a member is empty where the file holds NaN (undefined).
struct EstimateInterval {
  std::optional<double> value;  ///< share trafficked (1)
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  /// Bootstrap variance over that of a simple random sample of the same size (1).
  std::optional<double> design_effect;
};

/// The estimates of one scope (the whole survey population or one department).
struct ScopeEstimates {
  /// In kEstimatorKeys order; empty for an estimator the design does not use. An estimator
  /// it uses but that has no value here (nobody sampled in the scope, or the survey not
  /// complete) holds an EstimateInterval with every member empty.
  std::array<std::optional<EstimateInterval>, kEstimatorKeys.size()> by_estimator;
  /// True share trafficked in the scope's survey population, mean over fieldwork days;
  /// empty when nobody was eligible or the survey is not complete.
  std::optional<double> truth;

  /// The estimator named `key`: nullptr when `key` is not in kEstimatorKeys or the design
  /// does not use it.
  [[nodiscard]] const EstimateInterval* find(std::string_view key) const;
};

/// One department of the run (`/departments`), whether or not anyone there was sampled.
struct SurveyDepartment {
  std::string name;
  std::int64_t n = 0;  ///< respondents, persons
  ScopeEstimates estimates;
};

/// Respondents the instrument classified as trafficked, and what they were like.
struct ClassifiedProfile {
  std::int64_t count = 0;  ///< persons
  /// Shares by nationality, in kNationalityKeys order (summary.hpp); empty when count is 0.
  std::array<std::optional<double>, 4> nationality_share{};
  /// Shares by age band, in kRespondentAgeBandKeys order; empty when count is 0.
  std::array<std::optional<double>, kRespondentAgeBandKeys.size()> age_share{};
  /// Share who reported the `deceptive_recruitment` indicator; empty when count is 0.
  std::optional<double> false_job_offer;
  /// Share who reported the `debt_bondage` indicator; empty when count is 0.
  std::optional<double> debt_bondage;
};

/// One survey of the run.
struct SurveySummary {
  std::string name;
  std::string design;  ///< `rds`, `venue` or `random`
  Date start;          ///< first day of fieldwork
  Date end;            ///< last day of fieldwork
  /// Fieldwork ended and the estimates were made; otherwise every estimate and truth is empty.
  bool complete = false;
  std::int64_t population_size = 0;             ///< eligible women on the first day of fieldwork
  std::int64_t n = 0;                           ///< respondents, persons
  ScopeEstimates estimates;                     ///< the whole survey population
  std::vector<SurveyDepartment> by_department;  ///< every department, in `/departments` order
  ClassifiedProfile among_classified_trafficked;

  /// The department named `department_name`, or nullptr when the run has none of that name.
  [[nodiscard]] const SurveyDepartment* department(std::string_view department_name) const;
};

}  // namespace tipsim::analysis
