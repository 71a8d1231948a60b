#pragma once
/// Interventions as scenario data: what is done, where, to whom, when, how hard and at what
/// cost. Read by scenario/interventions.cpp, acted out by interventions/phase.cpp; every type
/// works through the model's own mechanisms (docs/INTERVENTIONS.md).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/date.hpp"

namespace tipsim::model {

enum class InterventionType : std::uint8_t {
  awareness_campaign,
  economic_empowerment,
  vigilance_committees,
  demand_reduction,
  border_screening,
  training,
  site_raids,
  network_disruption,
  shelter_care,
  repatriation,
  cross_border_cooperation,
  count_
};
inline constexpr std::size_t kInterventionTypeCount =
    static_cast<std::size_t>(InterventionType::count_);
inline constexpr std::array<std::string_view, kInterventionTypeCount> kInterventionTypeNames = {
    "awareness_campaign", "economic_empowerment",    "vigilance_committees",
    "demand_reduction",   "border_screening",        "training",
    "site_raids",         "network_disruption",      "shelter_care",
    "repatriation",       "cross_border_cooperation"};

/// A route edge named by its end places (either direction of a two-way route).
struct EdgeRef {
  std::string from;
  std::string to;
};

/// Where and to whom an intervention applies. A dimension left out means "all"; a list
/// given empty means "none" (the intervention then does nothing).
struct TargetSpec {
  bool all_origins = true;
  std::vector<std::string> origins;  ///< origin place names
  bool all_sites = true;
  std::vector<std::string> sites;        ///< site place names
  std::vector<std::string> departments;  ///< adds every site of these departments
  bool all_edges = true;
  std::vector<EdgeRef> edges;
  // Agent filters, for types that act on women.
  bool all_nationalities = true;
  std::vector<std::string> nationalities;  ///< ISO codes
  double age_min = 0;
  double age_max = 0;
  std::string history;  ///< "any", "returnees" (trafficked before) or "never_trafficked"
};

/// Switches an intervention on when an observed daily total crosses a threshold.
struct TriggerSpec {
  bool enabled = false;
  std::string indicator;  ///< a name of /timeseries (a stock, or a flow summed over the check)
  bool above = true;      ///< fires when the value is above (else below) the threshold
  double threshold = 0;
  std::int32_t check_every_days = 0;
  std::int32_t duration_days = 0;  ///< active this long once fired; 0 = until `end`
  bool repeat = false;             ///< may fire again once a spell is over
};

struct CostSpec {
  std::int64_t fixed_per_year_fcfa = 0;   ///< accrues daily while active
  std::int64_t per_unit_fcfa = 0;         ///< the unit depends on the type
  std::int64_t budget_per_year_fcfa = 0;  ///< calendar-year cap on spend; 0 = none
};

/// One declared intervention. Only the parameters of its type are read; the rest stay zero.
struct InterventionSpec {
  std::string name;
  InterventionType type = InterventionType::count_;
  Date start;
  Date end;
  TriggerSpec trigger;
  TargetSpec target;
  CostSpec cost;

  // awareness_campaign
  double reach_per_year = 0;             ///< women reached directly
  double awareness_days = 0;             ///< mean time a woman stays aware
  double word_of_mouth_probability = 0;  ///< chance an aware woman tells each of her ties
  // awareness_campaign, economic_empowerment, shelter_care, repatriation
  double acceptance_odds_ratio = 1;  ///< on accepting offers: deceptive ones when aware,
                                     ///< any offer after empowerment, care or reintegration
  // economic_empowerment
  double enrolled_per_year = 0;
  double poverty_exit_probability = 0;
  // vigilance_committees
  double committees = 0;
  double identification_rate_per_year = 0;  ///< per committee, per victim at its site
  double escape_support_rate_per_year = 0;  ///< per committee, per victim at its site
  // vigilance_committees, demand_reduction, training: linear build-up from `start`
  double ramp_days = 0;
  // demand_reduction
  double demand_reduction = 0;  ///< share of client demand removed at full strength
  // border_screening
  double screening_probability = 0;  ///< chance a group on a targeted edge is screened
  // border_screening, cross_border_cooperation
  double bribe_resistance = 0;  ///< share of bribes refused by the screeners
  // training
  double officers = 0;
  double identification_gain_per_officer = 0;
  double conviction_odds_ratio = 1;
  double turnover_per_year = 0;
  // site_raids
  double raids_per_year = 0;  ///< per targeted site
  double search_share = 0;    ///< chance a raid finds each victim at the site
  double max_identified_per_raid = 0;
  double madam_arrest_probability = 0;
  double displacement_probability = 0;
  double leak_probability = 0;
  // network_disruption, cross_border_cooperation
  double operations_per_year = 0;
  double arrest_probability = 0;
  // network_disruption
  std::string targeting;  ///< "betweenness", "degree" or "random"
  double intelligence_accuracy = 0;
  // shelter_care
  double beds = 0;
  double care_days = 0;
  double testimony_odds_ratio = 1;
  // repatriation
  std::vector<Date> dates;
  double interval_days = 0;
  double batch_max = 0;
  double reintegration_share = 0;
  std::int64_t reintegration_cost_fcfa = 0;
  // cross_border_cooperation
  double origin_interception_probability = 0;
  double transit_interception_probability = 0;
};

}  // namespace tipsim::model
