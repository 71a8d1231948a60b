// Observation: the day's series, observation dates and snapshots. Reads the state only.
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>

#include "models/step/simulation.hpp"

namespace tipsim::model {

void Simulation::observe() {
  auto& people = world_.people;
  const std::size_t sites = world_.sites.size();
  const auto& obs = spec_.observation;
  // Women at the sites after this step's exits. Every quantity below is an integer count,
  // the same in any order, so the two lists are simply put one after the other.
  free_at_sites_.tidy([&](PersonId p) { return people.status[p] == Status::free_wecs; });
  // Surveys in the field interview women as this step leaves them.
  for (auto& survey : surveys_)
    survey.field(day(), dt_, step_, world_, acquaintances_, spec_.coercion, key_);

  std::array<std::int64_t, kTotalCount> row = flows_;
  auto set = [&](Total t, std::int64_t v) { row[static_cast<std::size_t>(t)] = v; };
  // Stocks per site, reduced in parallel: integer sums are exact in any order, so the
  // result does not depend on how the women are split between threads.
  using Tally = std::vector<std::int64_t>;  // kFirstSiteFlow stock series x sites
  auto at = [sites](BySite s, std::size_t site) {
    return static_cast<std::size_t>(s) * sites + site;
  };
  // The women at the sites: the exploited list (some of whom left today, skipped) and then
  // the free women, read in place as one range.
  const std::size_t exploited_count = exploited_.size();
  const std::size_t at_sites = exploited_count + free_at_sites_.size();
  const auto tally_women = [&](std::size_t begin, std::size_t end, Tally& tally) {
    for (std::size_t i = begin; i != end; ++i) {
      const PersonId p = i < exploited_count ? exploited_[i] : free_at_sites_[i - exploited_count];
      if (i < exploited_count && people.status[p] != Status::exploited) continue;
      const auto site = static_cast<std::size_t>(counted_site_[p]);
      const bool in_band = in_survey_band(p);
      ++tally[at(BySite::wecs, site)];
      if (in_band) ++tally[at(BySite::wecs_18_30, site)];
      if (people.status[p] != Status::exploited) continue;
      ++tally[at(BySite::trafficked, site)];
      tally[at(BySite::debt_outstanding_fcfa, site)] += people.debt_fcfa[p];
      if (in_band) ++tally[at(BySite::trafficked_18_30, site)];
    }
  };
  Tally& stocks = stock_tally_;
  stocks.assign(kFirstSiteFlow * sites, 0);
  // A few thousand women take microseconds: splitting them between threads would cost more
  // than it saves, so the parallel reduction is kept for large worlds.
  constexpr std::size_t kParallelFrom = 32768;
  if (at_sites < kParallelFrom) {
    tally_women(0, at_sites, stocks);
  } else {
    stocks = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, at_sites, 2048), std::move(stocks),
        [&](const tbb::blocked_range<std::size_t>& range, Tally tally) {
          tally_women(range.begin(), range.end(), tally);
          return tally;
        },
        [](Tally a, const Tally& b) {
          for (std::size_t k = 0; k < a.size(); ++k) a[k] += b[k];
          return a;
        });
  }
  // Flows were counted during the step; the stocks join them in the same row.
  std::copy(stocks.begin(), stocks.end(), site_flows_.begin());
  auto all_sites = [&](BySite s) {
    std::int64_t sum = 0;
    for (std::size_t site = 0; site < sites; ++site) sum += stocks[at(s, site)];
    return sum;
  };
  set(Total::wecs, all_sites(BySite::wecs));
  set(Total::wecs_18_30, all_sites(BySite::wecs_18_30));
  set(Total::trafficked_at_sites, all_sites(BySite::trafficked));
  set(Total::trafficked_18_30, all_sites(BySite::trafficked_18_30));
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
  set(Total::debt_outstanding_fcfa, all_sites(BySite::debt_outstanding_fcfa));

  if (record_.days.size() == record_.written_rows) {  // the start, or a stream took the rest
    const std::size_t rows = record_reserve_rows_;
    record_.days.reserve(record_.written_rows + rows);
    record_.totals.reserve((record_.written_rows + rows) * kTotalCount);
    record_.by_site.reserve(rows * site_flows_.size());
    record_.interventions.reserve(rows * kInterventionSeriesCount * programme_.size());
    record_.site_demand.reserve(rows * world_.sites.size());
    record_.site_gold_luck.reserve(rows * world_.sites.size());
  }
  record_.days.push_back(day());
  record_.totals.insert(record_.totals.end(), row.begin(), row.end());
  record_.by_site.insert(record_.by_site.end(), site_flows_.begin(), site_flows_.end());
  // Per intervention, series-major within the step: [series][intervention].
  for (std::size_t k = 0; k < kInterventionSeriesCount; ++k)
    for (auto& st : programme_) record_.interventions.push_back(st.today[k]);
  for (auto& st : programme_) st.today.fill(0);
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
  // Ages are in completed years, as a survey asks them: 30 includes 30 years and 364 days.
  // The band's bounds in days of age were found once (band_days_), with the same floating
  // comparison this would make.
  const std::int32_t days_old = day() - world_.people.birth_day[p];
  return days_old >= band_days_.first && days_old <= band_days_.second;
}

std::pair<std::int32_t, std::int32_t> survey_band_days(double age_min, double age_max) {
  const auto age = [](std::int32_t days) { return static_cast<double>(days) / 365.25; };
  auto first = static_cast<std::int32_t>(std::floor(age_min * 365.25)) - 2;
  while (!(age(first) >= age_min)) ++first;
  auto last = static_cast<std::int32_t>(std::ceil((age_max + 1.0) * 365.25)) + 2;
  while (!(age(last) < age_max + 1.0)) --last;
  return {first, last};
}

/// The counts `tipsim summary` reports for an observation date (ground truth).
void Simulation::record_observation() {
  const auto& people = world_.people;
  Observation o{today(), std::vector<std::int64_t>(world_.departments.size()),
                std::vector<std::int64_t>(world_.departments.size()),
                std::vector<std::int64_t>(world_.countries.size())};
  const auto& people_status = world_.people.status;
  at_sites_.clear();
  for (PersonId p : exploited_)
    if (people_status[p] == Status::exploited) at_sites_.push_back(p);
  at_sites_.insert(at_sites_.end(), free_at_sites_.begin(), free_at_sites_.end());
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
    s.person.push_back(person_id(p));
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
