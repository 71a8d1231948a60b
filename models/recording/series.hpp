#pragma once
/// The recorded quantities: daily series (totals and by site) and typed events. Names here
/// are the dataset names of the output file, documented in docs/OUTPUT.md.
#include <array>
#include <cstdint>
#include <string_view>

namespace tipsim::model {

/// Daily totals. Stocks are counted at the end of the step; flows over the step.
enum class Total : std::uint8_t {
  // Stocks (persons unless noted).
  wecs,
  wecs_18_30,
  trafficked_at_sites,
  trafficked_18_30,
  free_wecs,
  recruited_waiting,
  in_transit,
  awaiting_shelter,
  shelter_occupancy,
  awaiting_repatriation,
  houses_open,
  madams_active,
  members_held,
  members_in_prison,
  debt_outstanding_fcfa,
  // Flows.
  recruited,
  departed,
  arrived_at_sites,
  voluntary_arrivals,
  exit_repaid,
  exit_escaped,
  exit_identified,
  exit_intercepted_in_transit,
  exit_aged_out,
  exit_died,
  sheltered,
  repatriated,
  reintegrated,
  arrests,
  convictions,
  acquittals,
  releases,
  became_madam,
  replacements,
  victim_days_exploited,
  clients_served,
  debt_imposed_fcfa,
  debt_paid_fcfa,
  living_costs_charged_fcfa,
  interest_charged_fcfa,
  purchase_paid_fcfa,
  transit_cost_fcfa,
  bribes_paid_fcfa,
  debt_written_off_fcfa,
  exit_escaped_assisted,
  re_trafficked,
  count_
};
inline constexpr std::size_t kTotalCount = static_cast<std::size_t>(Total::count_);

inline constexpr std::array<std::string_view, kTotalCount> kTotalNames = {
    "wecs",
    "wecs_18_30",
    "trafficked_at_sites",
    "trafficked_18_30",
    "free_wecs",
    "recruited_waiting",
    "in_transit",
    "awaiting_shelter",
    "shelter_occupancy",
    "awaiting_repatriation",
    "houses_open",
    "madams_active",
    "members_held",
    "members_in_prison",
    "debt_outstanding_fcfa",
    "recruited",
    "departed",
    "arrived_at_sites",
    "voluntary_arrivals",
    "exit_repaid",
    "exit_escaped",
    "exit_identified",
    "exit_intercepted_in_transit",
    "exit_aged_out",
    "exit_died",
    "sheltered",
    "repatriated",
    "reintegrated",
    "arrests",
    "convictions",
    "acquittals",
    "releases",
    "became_madam",
    "replacements",
    "victim_days_exploited",
    "clients_served",
    "debt_imposed_fcfa",
    "debt_paid_fcfa",
    "living_costs_charged_fcfa",
    "interest_charged_fcfa",
    "purchase_paid_fcfa",
    "transit_cost_fcfa",
    "bribes_paid_fcfa",
    "debt_written_off_fcfa",
    "exit_escaped_assisted",
    "re_trafficked"};
inline constexpr std::size_t kFirstFlow = static_cast<std::size_t>(Total::recruited);

/// Daily series per site (columns are sites).
enum class BySite : std::uint8_t {
  wecs,
  wecs_18_30,
  trafficked,
  trafficked_18_30,
  debt_outstanding_fcfa,
  arrivals_trafficked,
  voluntary_arrivals,
  identified,
  escaped,
  repaid,
  count_
};
inline constexpr std::size_t kBySiteCount = static_cast<std::size_t>(BySite::count_);
inline constexpr std::array<std::string_view, kBySiteCount> kBySiteNames = {"wecs",
                                                                            "wecs_18_30",
                                                                            "trafficked",
                                                                            "trafficked_18_30",
                                                                            "debt_outstanding_fcfa",
                                                                            "arrivals_trafficked",
                                                                            "voluntary_arrivals",
                                                                            "identified",
                                                                            "escaped",
                                                                            "repaid"};
inline constexpr std::size_t kFirstSiteFlow = static_cast<std::size_t>(BySite::arrivals_trafficked);

/// Daily series per intervention (columns are interventions, in declaration order).
enum class InterventionSeries : std::uint8_t {
  active,             ///< 1 on days it may act, else 0
  reached,            ///< its own unit of reach (docs/INTERVENTIONS.md)
  secondary_reached,  ///< reached by word of mouth
  identified,         ///< victims identified or intercepted through it
  removed,            ///< victims taken out of exploitation or transit through it
  arrests,            ///< organisation members arrested through it
  units,              ///< units of cost bought (unit-days for per-year and per-bed-day units)
  spend_fcfa,
  count_
};
inline constexpr std::size_t kInterventionSeriesCount =
    static_cast<std::size_t>(InterventionSeries::count_);
inline constexpr std::array<std::string_view, kInterventionSeriesCount> kInterventionSeriesNames = {
    "active",  "reached", "secondary_reached", "identified", "removed",
    "arrests", "units",   "spend_fcfa"};

enum class EventType : std::uint8_t {
  recruited,
  departed,
  intercepted,
  arrived,
  debt_imposed,
  repaid,
  escaped,
  identified,
  sheltered,
  repatriated,
  arrested,
  convicted,
  released,
  became_madam,
  aged_out,
  died,
  acquitted,
  replaced,
  reintegrated,
  voluntary_arrival,
  left_sites,
  house_moved,
  count_
};
inline constexpr std::array<std::string_view, static_cast<std::size_t>(EventType::count_)>
    kEventNames = {"recruited",  "departed",   "intercepted", "arrived",      "debt_imposed",
                   "repaid",     "escaped",    "identified",  "sheltered",    "repatriated",
                   "arrested",   "convicted",  "released",    "became_madam", "aged_out",
                   "died",       "acquitted",  "replaced",    "reintegrated", "voluntary_arrival",
                   "left_sites", "house_moved"};

/// One row of the event ledger.
struct Event {
  std::int32_t day;   ///< days since 1970-01-01
  std::uint8_t type;  ///< EventType
  std::uint32_t person;
  std::int32_t place;       ///< place index, -1 if none
  std::int32_t other;       ///< house, group or counterpart person, -1 if none
  std::int64_t value_fcfa;  ///< money involved, 0 if none
};

}  // namespace tipsim::model
