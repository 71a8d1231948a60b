#pragma once
/// Fielding a virtual survey day by day over its window: who is reached (by the design),
/// what she reports (through the instrument), and, once fieldwork ends, the estimates beside
/// the ground truth. A survey only reads the model's state; it never changes it.
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "models/scenario/survey_spec.hpp"
#include "models/surveys/acquaintance.hpp"
#include "models/world/world.hpp"

namespace tipsim::model {

struct Respondent {
  PersonId person = kNoPerson;
  std::int32_t day = 0;         ///< interview day, days since 1970-01-01
  std::int32_t wave = 0;        ///< 0 for seeds and non-RDS designs
  std::int32_t recruiter = -1;  ///< index of the respondent whose coupon she brought, -1
  std::int32_t cluster = -1;    ///< venue visit, -1 for other designs
  std::uint16_t site = 0;
  std::int32_t department = 0;
  float age_years = 0;
  std::uint8_t nationality = 0;
  std::int32_t true_degree = 0;      ///< women of the survey population she knows
  std::int32_t reported_degree = 0;  ///< what she says, with reporting error
  std::array<std::uint8_t, kIndicatorCount> truth{};
  std::array<std::uint8_t, kIndicatorCount> reported{};
  std::uint8_t classified = 0;  ///< the instrument says trafficked
  std::uint8_t trafficked = 0;  ///< ground truth: controlled by a madam now
};

/// One estimator's result for the whole survey population or one department.
struct SurveyEstimate {
  std::string estimator;         ///< "sample", "rds_i", "rds_ii" or "ss"
  std::int32_t department = -1;  ///< index into World::departments, -1 for all
  double value = 0, lo = 0, hi = 0, design_effect = 0;  ///< NaN when undefined
};

template <class Archive>
void transfer(Archive& ar, SurveyEstimate& e) {
  ar(e.estimator, e.department, e.value, e.lo, e.hi, e.design_effect);
}

struct SurveyResult {
  std::vector<Respondent> respondents;
  std::int64_t population_size = 0;  ///< eligible women on the first day of fieldwork
  std::vector<std::int64_t> population_by_department;  ///< the same, per department
  double truth = 0;  ///< true share trafficked, mean over fieldwork days
  std::vector<double> truth_by_department;
  std::vector<SurveyEstimate> estimates;
  bool done = false;
};

/// The fieldwork of one survey.
class SurveyFieldwork {
 public:
  SurveyFieldwork(const SurveySpec& spec, std::uint32_t index, const World& world);

  /// Fields the survey on the step starting on `day` and lasting `step_days` (a no-op
  /// outside its window); estimates on its last step.
  void field(std::int32_t day, std::int32_t step_days, std::uint32_t step, const World& world,
             const Acquaintances& network, const CoercionSpec& coercion, const RandomKey& key);

  [[nodiscard]] const SurveyResult& result() const { return result_; }
  [[nodiscard]] const SurveySpec& spec() const { return spec_; }

  /// Saves or restores the fieldwork so far (sim/state_archive.hpp); what comes from the
  /// survey's declaration is not saved.
  template <class Archive>
  void transfer(Archive& ar) {
    ar(quota_, taken_, reached_, coupons_, new_seeds_, first_day_, step_days_, truth_days_,
       truth_sum_, truth_sum_by_department_, truth_days_by_department_, result_.respondents,
       result_.population_size, result_.population_by_department, result_.truth,
       result_.truth_by_department, result_.estimates, result_.done);
  }

 private:
  struct Coupon {
    std::int32_t due_day;
    PersonId person;
    std::int32_t recruiter;  ///< respondent index
    std::int32_t wave;
  };
  [[nodiscard]] bool eligible(PersonId p, std::int32_t day, const World& w) const;
  [[nodiscard]] std::int32_t department_slot(const World& w, PersonId p) const;
  std::vector<PersonId> pool(std::int32_t day, const World& w, const Acquaintances& net,
                             std::int32_t slot, std::int32_t site = -1) const;
  void interview(PersonId p, std::int32_t day, std::uint32_t step, std::int32_t wave,
                 std::int32_t recruiter, std::int32_t cluster, const World& w,
                 const Acquaintances& net, const CoercionSpec& coercion, const RandomKey& key);
  void field_random(std::int32_t day, std::uint32_t step, const World& w, const Acquaintances& net,
                    const CoercionSpec& c, const RandomKey& key);
  void field_venue(std::int32_t day, std::uint32_t step, const World& w, const Acquaintances& net,
                   const CoercionSpec& c, const RandomKey& key);
  void field_rds(std::int32_t day, std::uint32_t step, const World& w, const Acquaintances& net,
                 const CoercionSpec& c, const RandomKey& key);
  void estimate(const World& w, const RandomKey& key);
  [[nodiscard]] std::int64_t due_by(std::size_t slot, std::int32_t day) const;

  SurveySpec spec_;
  std::uint32_t index_;
  std::vector<std::uint8_t> site_in_scope_;
  /// Quota slots: one per department with a quota, or a single one for the whole sample.
  std::vector<std::int32_t> slot_department_;  ///< department index, -1 for "all"
  std::vector<std::int64_t> quota_;
  std::vector<std::int64_t> taken_;
  std::unordered_set<PersonId> reached_;  ///< interviewed or holding a coupon
  std::deque<Coupon> coupons_;
  std::int64_t new_seeds_ = 0;
  std::int32_t first_day_ = -1;  ///< the first step of fieldwork (its start, with daily steps)
  std::int32_t step_days_ = 1;
  // Daily true shares, summed over fieldwork days.
  std::int64_t truth_days_ = 0;
  double truth_sum_ = 0;
  std::vector<double> truth_sum_by_department_;
  std::vector<std::int64_t> truth_days_by_department_;
  SurveyResult result_;
};

}  // namespace tipsim::model
