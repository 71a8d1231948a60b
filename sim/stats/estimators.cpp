#include "sim/stats/estimators.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "sim/error.hpp"

namespace tipsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool has_trait(std::uint8_t value) {
  return value != 0;
}

}  // namespace

void validate(const RdsSample& s) {
  const std::size_t n = s.trait.size();
  if (s.recruiter.size() != n || s.degree.size() != n) {
    throw InvariantError("RDS sample: " + std::to_string(n) + " traits but " +
                         std::to_string(s.recruiter.size()) + " recruiters and " +
                         std::to_string(s.degree.size()) + " degrees");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t recruiter = s.recruiter[i];
    if (recruiter < -1 || (recruiter >= 0 && static_cast<std::size_t>(recruiter) >= i)) {
      throw InvariantError("RDS sample: respondent " + std::to_string(i) + " has recruiter " +
                           std::to_string(recruiter) +
                           "; a recruiter must come before her recruits");
    }
    if (!std::isfinite(s.degree[i])) {
      throw InvariantError("RDS sample: respondent " + std::to_string(i) +
                           " has a non-finite degree");
    }
  }
}

double sample_proportion(const std::vector<std::uint8_t>& trait) {
  if (trait.empty()) return kNaN;
  std::size_t with_trait = 0;
  for (const std::uint8_t value : trait) with_trait += has_trait(value) ? 1 : 0;
  return static_cast<double>(with_trait) / static_cast<double>(trait.size());
}

double weighted_proportion(const std::vector<std::uint8_t>& trait,
                           const std::vector<double>& weight) {
  if (weight.size() != trait.size()) {
    throw InvariantError("weighted proportion: " + std::to_string(trait.size()) + " traits but " +
                         std::to_string(weight.size()) + " weights");
  }
  double weighted_with_trait = 0.0;
  double total_weight = 0.0;
  for (std::size_t i = 0; i < trait.size(); ++i) {
    if (!std::isfinite(weight[i]) || weight[i] < 0.0) {
      throw InvariantError("weighted proportion: weight " + std::to_string(i) +
                           " is negative or not finite");
    }
    total_weight += weight[i];
    if (has_trait(trait[i])) weighted_with_trait += weight[i];
  }
  if (total_weight <= 0.0) return kNaN;
  return weighted_with_trait / total_weight;
}

double rds_ii(const RdsSample& s) {
  validate(s);
  double weighted_with_trait = 0.0;
  double total_weight = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double weight = 1.0 / effective_degree(s.degree[i]);
    total_weight += weight;
    if (has_trait(s.trait[i])) weighted_with_trait += weight;
  }
  if (total_weight <= 0.0) return kNaN;
  return weighted_with_trait / total_weight;
}

RdsIDetail rds_i_detail(const RdsSample& s) {
  validate(s);
  RdsIDetail detail{kNaN, RdsIRule::empty, kNaN, kNaN, kNaN, kNaN};
  if (s.size() == 0) return detail;

  // Group sizes and sums of inverse degrees give the harmonic mean degrees.
  double count_a = 0.0, count_b = 0.0, inverse_degrees_a = 0.0, inverse_degrees_b = 0.0;
  // Recruitments by each group, and those that cross to the other group.
  double recruited_by_a = 0.0, recruited_by_b = 0.0, a_to_b = 0.0, b_to_a = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool in_a = has_trait(s.trait[i]);
    (in_a ? count_a : count_b) += 1.0;
    (in_a ? inverse_degrees_a : inverse_degrees_b) += 1.0 / effective_degree(s.degree[i]);
    const std::int32_t recruiter = s.recruiter[i];
    if (recruiter < 0) continue;
    const bool recruiter_in_a = has_trait(s.trait[static_cast<std::size_t>(recruiter)]);
    if (recruiter_in_a) {
      recruited_by_a += 1.0;
      if (!in_a) a_to_b += 1.0;
    } else {
      recruited_by_b += 1.0;
      if (in_a) b_to_a += 1.0;
    }
  }
  if (count_a > 0.0) detail.d_a = count_a / inverse_degrees_a;
  if (count_b > 0.0) detail.d_b = count_b / inverse_degrees_b;
  if (recruited_by_a > 0.0) detail.s_ab = a_to_b / recruited_by_a;
  if (recruited_by_b > 0.0) detail.s_ba = b_to_a / recruited_by_b;

  if (count_a == 0.0 || count_b == 0.0) {
    detail.rule = RdsIRule::one_group;
    detail.value = count_a > 0.0 ? 1.0 : 0.0;
    return detail;
  }
  const bool transitions_identified =
      recruited_by_a > 0.0 && recruited_by_b > 0.0 && (a_to_b > 0.0 || b_to_a > 0.0);
  if (!transitions_identified) {
    detail.rule = RdsIRule::rds_ii_fallback;
    detail.value = rds_ii(s);
    return detail;
  }
  detail.rule = RdsIRule::equilibrium;
  const double flow_into_a = detail.s_ba * detail.d_b;
  detail.value = flow_into_a / (detail.s_ab * detail.d_a + flow_into_a);
  return detail;
}

double rds_i(const RdsSample& s) {
  return rds_i_detail(s).value;
}

}  // namespace tipsim::stats
