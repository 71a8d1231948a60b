// Observation: the day's series, observation dates and snapshots. Reads the state only.
#include <algorithm>

#include "models/simulation.hpp"

namespace tipsim::model {

void Simulation::observe() {
  auto& people = world_.people;
  const std::size_t sites = world_.sites.size();
  const auto& obs = spec_.observation;
  // Women at the sites after this step's exits. Every quantity below is an integer count,
  // the same in any order, so the two lists are simply walked one after the other.
  keep_with_status(free_at_sites_, people.status, Status::free_wecs);
  at_sites_.clear();
  for (PersonId p : exploited_)
    if (people.status[p] == Status::exploited) at_sites_.push_back(p);
  at_sites_.insert(at_sites_.end(), free_at_sites_.begin(), free_at_sites_.end());

  std::array<std::int64_t, kTotalCount> row = flows_;
  auto set = [&](Total t, std::int64_t v) { row[static_cast<std::size_t>(t)] = v; };
  std::vector<std::int64_t>& site_row = site_flows_;  // flows so far; stocks are added now
  auto site_add = [&](BySite s, std::size_t site, std::int64_t v) {
    site_row[static_cast<std::size_t>(s) * sites + site] += v;
  };
  std::int64_t wecs_18_30 = 0, trafficked_18_30 = 0, debt = 0, trafficked = 0;
  for (PersonId p : at_sites_) {
    const auto site = static_cast<std::size_t>(counted_site_[p]);
    const bool in_band = in_survey_band(p);
    const bool is_trafficked = people.status[p] == Status::exploited;
    site_add(BySite::wecs, site, 1);
    if (in_band) {
      ++wecs_18_30;
      site_add(BySite::wecs_18_30, site, 1);
    }
    if (!is_trafficked) continue;
    ++trafficked;
    debt += people.debt_fcfa[p];
    site_add(BySite::trafficked, site, 1);
    site_add(BySite::debt_outstanding_fcfa, site, people.debt_fcfa[p]);
    if (in_band) {
      ++trafficked_18_30;
      site_add(BySite::trafficked_18_30, site, 1);
    }
  }
  set(Total::wecs, static_cast<std::int64_t>(at_sites_.size()));
  set(Total::wecs_18_30, wecs_18_30);
  set(Total::trafficked_at_sites, trafficked);
  set(Total::trafficked_18_30, trafficked_18_30);
  set(Total::free_wecs, status_count(Status::free_wecs));
  set(Total::recruited_waiting, status_count(Status::recruited));
  set(Total::in_transit, status_count(Status::in_transit));
  set(Total::awaiting_shelter, status_count(Status::awaiting_shelter));
  set(Total::shelter_occupancy, status_count(Status::in_shelter));
  set(Total::awaiting_repatriation, status_count(Status::awaiting_repatriation));
  set(Total::houses_open, std::count_if(world_.houses.begin(), world_.houses.end(),
                                        [](const House& h) { return !h.closed; }));
  set(Total::madams_active,
      std::count_if(world_.houses.begin(), world_.houses.end(), [](const House& h) {
        return !h.closed && !h.closing && h.madam != kNoPerson;
      }));
  set(Total::members_held, status_count(Status::held));
  set(Total::members_in_prison, status_count(Status::in_prison));
  set(Total::debt_outstanding_fcfa, debt);

  record_.days.push_back(day());
  record_.totals.insert(record_.totals.end(), row.begin(), row.end());
  if (record_.by_site.empty())
    record_.by_site.reserve(static_cast<std::size_t>(steps_) * site_row.size());
  record_.by_site.insert(record_.by_site.end(), site_row.begin(), site_row.end());
  for (const Site& s : world_.sites) {
    record_.site_demand.push_back(s.demand_clients_per_day);
    record_.site_gold_luck.push_back(std::exp(s.log_gold_luck));
  }
  if (next_observation_ < obs.dates.size() && obs.dates[next_observation_] == today()) {
    record_observation();
    ++next_observation_;
  }
  if (next_snapshot_ < obs.snapshot_dates.size() && obs.snapshot_dates[next_snapshot_] == today()) {
    snapshot();
    ++next_snapshot_;
  }
}

bool Simulation::in_survey_band(PersonId p) const {
  const double age = world_.people.age_years(p, day());
  // Ages are in completed years, as a survey asks them: 30 includes 30 years and 364 days.
  return age >= spec_.observation.wecs_age_min && age < spec_.observation.wecs_age_max + 1.0;
}

/// The counts `tipsim summary` reports for an observation date (ground truth).
void Simulation::record_observation() {
  const auto& people = world_.people;
  Observation o{today(), std::vector<std::int64_t>(world_.departments.size()),
                std::vector<std::int64_t>(world_.departments.size()),
                std::vector<std::int64_t>(world_.countries.size())};
  for (PersonId p : at_sites_) {
    const auto site = static_cast<std::size_t>(counted_site_[p]);
    const auto dept = static_cast<std::size_t>(world_.sites[site].department);
    const bool is_trafficked = people.status[p] == Status::exploited;
    if (in_survey_band(p)) {
      ++o.wecs_18_30[dept];
      if (is_trafficked) ++o.trafficked_18_30[dept];
    }
    if (!is_trafficked) continue;
    ++o.victims_by_country[people.nationality[p]];
    const double age = people.age_years(p, day());
    const std::size_t band = age < 18 ? 0 : age < 25 ? 1 : age < 31 ? 2 : 3;
    ++o.victims_by_age[band];
  }
  record_.observations.push_back(std::move(o));
}

/// Everybody who is not an idle woman at her origin (those are described by the scenario).
void Simulation::snapshot() {
  const auto& people = world_.people;
  Snapshot s;
  s.date = today();
  for (PersonId p = 0; p < people.size(); ++p) {
    const bool idle = people.role[p] == Role::woman && people.status[p] == Status::at_origin &&
                      !people.has(p, kEverTrafficked);
    if (idle) continue;
    s.person.push_back(p);
    s.role.push_back(static_cast<std::uint8_t>(people.role[p]));
    s.status.push_back(static_cast<std::uint8_t>(people.status[p]));
    s.nationality.push_back(people.nationality[p]);
    s.place.push_back(static_cast<std::int16_t>(people.place[p]));
    s.home.push_back(static_cast<std::int16_t>(people.home[p]));
    s.age_years.push_back(static_cast<float>(people.age_years(p, day())));
    s.house.push_back(people.house[p]);
    s.debt_fcfa.push_back(people.debt_fcfa[p]);
  }
  record_.snapshots.push_back(std::move(s));
}

const char* to_string(Status s) {
  static constexpr const char* names[] = {"at_origin",   "recruited",
                                          "in_transit",  "exploited",
                                          "free_wecs",   "awaiting_shelter",
                                          "in_shelter",  "awaiting_repatriation",
                                          "left_region", "dead",
                                          "aged_out",    "active",
                                          "held",        "in_prison",
                                          "inactive"};
  return names[static_cast<std::size_t>(s)];
}

}  // namespace tipsim::model
