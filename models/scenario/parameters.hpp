#pragma once
/// The scenario as a plain, immutable value: every parameter the model reads, with every
/// default filled in. Built once by `read_scenario`; no run mutates it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/intervention_spec.hpp"
#include "models/scenario/survey_spec.hpp"
#include "sim/date.hpp"

namespace tipsim::model {

enum class PlaceKind : std::uint8_t { origin, transit, border, site, destination };

/// A node of the location graph.
struct PlaceSpec {
  std::string name;
  PlaceKind kind = PlaceKind::transit;
  std::string country;     ///< ISO 3166 alpha-2 code, e.g. "NG".
  std::string department;  ///< sites only: "Kedougou" or "Saraya".
  // Origins.
  std::int64_t at_risk_women = 0;  ///< women in the recruitable age band at any time
  std::int64_t recruiters = 0;     ///< recruiters living at this origin
  std::int64_t transporters = 0;   ///< transporters based at this origin
  // Sites.
  double miners = 0;                       ///< miners at the site on the reference date
  std::int64_t houses = 0;                 ///< houses run by madams at the start
  double voluntary_arrivals_per_year = 0;  ///< women arriving for commercial sex, not trafficked
  std::int64_t initial_free_wecs = 0;      ///< non-trafficked women in commercial sex at the start
  double police_identification_rate_per_year = 0;  ///< per victim
  double ngo_identification_rate_per_year = 0;     ///< per victim
  // Where to draw the place on a map (WGS84 decimal degrees): both or neither. No part of
  // the model reads them.
  std::optional<double> latitude;
  std::optional<double> longitude;
};

/// A directed edge of the location graph (both directions are added when `two_way`).
struct RouteSpec {
  std::string from;
  std::string to;
  double days_mean = 0;              ///< expected travel time
  double days_cv = 0;                ///< coefficient of variation of travel time (log-normal)
  std::int64_t cost_fcfa = 0;        ///< fare and lodging per person, added to the victim's debt
  std::int64_t bribe_fcfa = 0;       ///< bribe per person at a checkpoint on this edge
  double screening_probability = 0;  ///< chance a group is screened on this edge
  double bribe_effect = 0;           ///< share of screenings a paid bribe neutralises
  bool two_way = true;
};

struct SimulationSpec {
  Date start;
  Date end;
  std::int32_t step_days = 0;
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
};

struct ObservationSpec {
  std::vector<Date> dates;           ///< observation dates reported by `summary`
  std::vector<Date> snapshot_dates;  ///< agent-state snapshots written to the output
  double wecs_age_min = 0;
  double wecs_age_max = 0;
  bool write_events = true;
};

/// A share per nationality (ISO code) that sums to 1.
struct NationalityShare {
  std::string country;
  double share = 0;
};

struct PopulationSpec {
  double recruitable_age_min = 0;
  double recruitable_age_max = 0;
  double poverty_share = 0;
  double childhood_sexual_violence_share = 0;
  double partner_violence_share = 0;
  std::int64_t social_ties = 0;  ///< mean degree of the small-world network
  double social_rewiring = 0;    ///< Watts-Strogatz rewiring probability
  double voluntary_age_min = 0;
  double voluntary_age_max = 0;
  std::vector<NationalityShare> voluntary_nationality;  ///< of non-trafficked arrivals
  double voluntary_stay_years = 0;  ///< mean stay of a non-trafficked woman at the sites
  double exit_age = 0;              ///< women leave commercial sex at this age (aged out)
  double death_rate_per_year = 0;
};

struct OrganisationSpec {
  std::int64_t recruiters_per_madam = 0;
  double tie_same_country = 0;
  std::vector<NationalityShare> madam_nationality;
  std::int64_t transporters_per_recruiter = 0;
  std::int64_t recruiter_contacts = 0;  ///< women a recruiter knows directly
  double replacement_delay_days = 0;    ///< mean delay before a removed member is replaced
  double madam_retirement_rate_per_year = 0;
  std::int64_t house_capacity_min = 0;
  std::int64_t house_capacity_max = 0;
};

struct DemandSpec {
  Date reference_date;  ///< date the site miner counts refer to
  double miners_growth_per_year = 0;
  double visits_per_miner_per_week = 0;
  double gold_luck_persistence = 0;       ///< daily AR(1) coefficient of log gold luck
  double gold_luck_volatility = 0;        ///< daily standard deviation of log gold luck
  double max_clients_per_day = 0;         ///< per woman
  double profitable_clients_per_day = 0;  ///< a madam fills her house when women get this many
  double order_interval_days = 0;         ///< a madam reviews her house this often
};

struct RecruitmentSpec {
  double approaches_per_day = 0;      ///< per recruiter with an open order
  double friend_of_friend_share = 0;  ///< approaches through a contact's tie
  double untied_channel_share = 0;    ///< approaches through online adverts and other channels
  double base_acceptance = 0;         ///< acceptance of a false job offer, no risk factor
  double poverty_odds_ratio = 0;
  double childhood_sexual_violence_odds_ratio = 0;
  double partner_violence_odds_ratio = 0;
  double deceptive_offer_share = 0;  ///< false job offers; the rest is sex work, conditions hidden
  double open_offer_acceptance_factor = 0;
  double family_complicity_share = 0;
  double family_complicity_odds_ratio = 0;
  double retrafficking_odds_ratio = 0;
  double group_max_wait_days = 0;  ///< a group leaves when full or after this wait
};

struct TransitSpec {
  std::string route_choice;          ///< "time" or "cost"
  double cost_minimising_share = 0;  ///< transporters that take the cheapest route
  double transporter_arrest_given_interception = 0;
};

struct ExploitationSpec {
  std::int64_t debt_min_fcfa = 0;
  std::int64_t debt_max_fcfa = 0;
  std::int64_t purchase_price_min_fcfa = 0;
  std::int64_t purchase_price_max_fcfa = 0;
  std::int64_t price_per_client_min_fcfa = 0;
  std::int64_t price_per_client_max_fcfa = 0;
  double victim_share = 0;  ///< of gross earnings left to the victim
  std::int64_t living_cost_per_day_fcfa = 0;
  double monthly_interest = 0;
  double escape_rate_per_year = 0;
  double initial_fill = 0;  ///< share of house places filled at the start
};

struct FreedSpec {  ///< what a woman does once her debt is repaid (shares sum to 1)
  double stay = 0;
  double move_site = 0;
  double leave_region = 0;
  double return_home = 0;
  double become_madam = 0;
};

struct ProtectionSpec {
  std::int64_t shelter_beds = 0;
  double care_days = 0;
  double max_wait_days = 0;  ///< identified women who wait longer go without care
  double repatriation_interval_days = 0;
  std::int64_t repatriation_batch_max = 0;
  double testimony_probability = 0;
  double care_testimony_odds_ratio = 0;
};

struct ProsecutionSpec {
  double madam_arrest_given_identification = 0;
  double investigation_days = 0;
  double court_cases_per_year = 0;
  double conviction_probability = 0;
  double conviction_with_testimony = 0;
  double sentence_years = 0;
  double reoffend_probability = 0;
};

/// Everything a run needs.
struct ScenarioSpec {
  std::string name;
  SimulationSpec simulation;
  ObservationSpec observation;
  std::vector<PlaceSpec> places;
  std::vector<RouteSpec> routes;
  PopulationSpec population;
  OrganisationSpec organisation;
  DemandSpec demand;
  RecruitmentSpec recruitment;
  TransitSpec transit;
  ExploitationSpec exploitation;
  FreedSpec freed;
  ProtectionSpec protection;
  ProsecutionSpec prosecution;
  std::vector<InterventionSpec> interventions;  ///< in declaration order
  AcquaintanceSpec acquaintance;
  CoercionSpec coercion;
  std::vector<SurveySpec> surveys;  ///< in declaration order
};

}  // namespace tipsim::model
