#include "models/step/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "sim/error.hpp"

namespace tipsim::model {

Simulation::Simulation(const ScenarioSpec& spec, std::uint64_t seed)
    : spec_(spec),
      key_(seed, spec.simulation.replicate),
      dt_(spec.simulation.step_days),
      steps_(static_cast<std::uint32_t>((spec.simulation.end - spec.simulation.start) / dt_ + 1)),
      record_reserve_rows_(steps_),
      world_(build_world(spec, key_)),
      calendar_(steps_) {
  band_days_ = survey_band_days(spec_.observation.wecs_age_min, spec_.observation.wecs_age_max);
  for (std::size_t p = 0; p < world_.people.size(); ++p)
    ++status_counts_[static_cast<std::size_t>(world_.people.status[p])];
  // The at-risk women are at their origins until an event reaches them; a row made for one
  // of them does not change the count.
  status_counts_[static_cast<std::size_t>(Status::at_origin)] += world_.at_risk_women;
  site_flows_.assign(kBySiteCount * world_.sites.size(), 0);
  route_flows_.assign(spec_.routes.size(), RouteFlow{});
  counted_site_.assign(world_.people.size(), -1);
  for (const auto& i : spec_.interventions)
    if (i.trigger.enabled)  // a flow is summed over the steps covering the check period
      trigger_rows_ = std::max<std::uint32_t>(
          trigger_rows_, static_cast<std::uint32_t>((i.trigger.check_every_days + dt_ - 1) / dt_));
  prepare_interventions();
  if (!spec_.surveys.empty()) {
    acquaintances_.enable(world_.people.size(), world_.sites.size());
    for (std::uint32_t i = 0; i < spec_.surveys.size(); ++i)
      surveys_.emplace_back(spec_.surveys[i], i, world_);
  }
  initialise();
}

/// The day's agenda. Each phase reads the state left by the one before it; phases that
/// update many agents do it in parallel and apply the results in id order.
bool Simulation::step() {
  if (step_ >= steps_) return false;
  update_interventions();  // which interventions act today; their build-up and fixed costs
  update_demand();         // miners, gold luck -> client demand and pressure per site
  review_houses();         // madams short of workers order recruits from their recruiters
  recruit();               // recruiters with open orders approach women
  depart_groups();         // full (or long-waiting) groups leave with a transporter
  run_calendar();          // due transitions: route legs, departures, discharges, cases, releases
  intervene();             // outreach at origins, raids, operations against the organisation
  exploit();               // clients, earnings and debt; repayment, escape, identification
  arrive_voluntary();      // women who come to the sites for commercial sex, not trafficked
  admit_to_shelters();     // identified women take free beds, in order of identification
  repatriate_all();        // foreign survivors leave in batches (status quo, then programmes)
  hold_trials();           // cases heard within court capacity
  observe();               // series, observations, snapshots
  // Flows restart after they are recorded, so what initialise() counted lands in step 0.
  flows_.fill(0);
  std::fill(site_flows_.begin(), site_flows_.end(), 0);
  ++step_;
  return step_ < steps_;
}

RunRecord Simulation::take_recorded(std::uint32_t next_rows) {
  RunRecord taken;
  const std::size_t rows = record_.days.size();
  const std::size_t from = record_.written_rows;
  taken.days.assign(record_.days.begin() + static_cast<std::ptrdiff_t>(from), record_.days.end());
  taken.totals.assign(record_.totals.begin() + static_cast<std::ptrdiff_t>(from * kTotalCount),
                      record_.totals.end());
  taken.by_site = std::move(record_.by_site);
  taken.site_demand = std::move(record_.site_demand);
  taken.site_gold_luck = std::move(record_.site_gold_luck);
  taken.interventions = std::move(record_.interventions);
  taken.events = std::move(record_.events);
  taken.snapshots = std::move(record_.snapshots);
  // A moved-from vector is valid but unspecified: make each one plainly empty.
  for (auto* v : {&record_.by_site, &record_.interventions}) v->clear();
  record_.site_demand.clear();
  record_.site_gold_luck.clear();
  record_.events.clear();
  record_.snapshots.clear();
  // Keep the last rows the triggers read, in fresh arrays sized for the next hand-over.
  const std::size_t keep = std::min<std::size_t>(rows, trigger_rows_);
  std::vector<std::int32_t> days;
  std::vector<std::int64_t> totals;
  days.reserve(keep + next_rows);
  totals.reserve((keep + next_rows) * kTotalCount);
  days.assign(record_.days.end() - static_cast<std::ptrdiff_t>(keep), record_.days.end());
  totals.assign(record_.totals.end() - static_cast<std::ptrdiff_t>(keep * kTotalCount),
                record_.totals.end());
  record_.days = std::move(days);
  record_.totals = std::move(totals);
  record_.written_rows = keep;
  record_reserve_rows_ = std::max<std::uint32_t>(1, next_rows);
  return taken;
}

std::uint32_t Simulation::steps_for(double days) const {
  return static_cast<std::uint32_t>(std::max(1.0, std::round(days / dt_)));
}

bool Simulation::schedule_in_days(double days, Scheduled::Kind kind, std::uint32_t id) {
  const std::uint32_t generation = Scheduled::about_person(kind) ? world_.people.generation[id] : 0;
  return calendar_.schedule(step_ + steps_for(days), Scheduled{kind, id, generation});
}

std::size_t Simulation::active_persons() const {
  std::size_t n = 0;
  for (std::size_t s = 0; s < kStatusCount; ++s) {
    const auto status = static_cast<Status>(s);
    if (status == Status::at_origin || status == Status::left_region || status == Status::dead ||
        status == Status::aged_out || status == Status::inactive)
      continue;
    n += static_cast<std::size_t>(status_counts_[s]);
  }
  return n;
}

void Simulation::set_status(PersonId p, Status s) {
  auto& people = world_.people;
  const Status old = people.status[p];
  const std::int16_t old_site = counted_site_[p];
  // Women at the sites are counted at the site they were counted in, wherever `place` says
  // now: callers may move a woman before changing her status.
  if (counted_site_[p] >= 0) --world_.sites[static_cast<std::size_t>(counted_site_[p])].women;
  counted_site_[p] = -1;
  --status_counts_[static_cast<std::size_t>(old)];
  ++status_counts_[static_cast<std::size_t>(s)];
  people.status[p] = s;
  ++people.generation[p];
  people.status_since_day[p] = day();
  if (s == Status::exploited || s == Status::free_wecs) {
    const auto site = world_.places[people.place[p]].site;
    if (site < 0) throw InvariantError("a woman at the sites is not at a site place");
    counted_site_[p] = static_cast<std::int16_t>(site);
    ++world_.sites[static_cast<std::size_t>(site)].women;
  }
  if (s == Status::exploited) exploited_.push_back(p);
  if (s == Status::free_wecs) free_at_sites_.push_back(p);
  if (!acquaintances_.enabled()) return;
  const std::int16_t new_site = counted_site_[p];
  if (old_site < 0 && new_site >= 0) {
    Draws d(key_, Stream::acquaintance, step_, agent(p));
    acquaintances_.arrive(p, static_cast<std::uint16_t>(new_site), s == Status::exploited,
                          people.house[p], people.house, spec_.acquaintance, d);
  } else if (old_site >= 0 && new_site < 0) {
    acquaintances_.leave(p, static_cast<std::uint16_t>(old_site));
  } else if (old_site >= 0 && new_site != old_site) {
    acquaintances_.move(p, static_cast<std::uint16_t>(old_site),
                        static_cast<std::uint16_t>(new_site));
  }
}

void Simulation::emit(EventType type, PersonId person, std::int32_t place, std::int32_t other,
                      std::int64_t value) {
  if (!spec_.observation.write_events) return;
  record_.events.push_back(
      Event{day(), static_cast<std::uint8_t>(type), person_id(person), place, other, value});
}

void Simulation::count_site(BySite series, std::size_t site, std::int64_t n) {
  site_flows_[static_cast<std::size_t>(series) * world_.sites.size() + site] += n;
}

/// Fills houses to `initial_fill` with women taken from their recruiters' origins and
/// puts the initial non-trafficked women at the sites, so the run starts near a steady state.
void Simulation::initialise() {
  const auto& ex = spec_.exploitation;
  const auto& pop = spec_.population;
  auto& people = world_.people;
  for (std::uint32_t h = 0; h < world_.houses.size(); ++h) {
    House& house = world_.houses[h];
    if (house.recruiters.empty()) continue;
    Draws d(key_, Stream::world_build, 1, h);
    const auto fill = static_cast<std::int32_t>(std::lround(house.capacity * ex.initial_fill));
    for (std::int32_t i = 0; i < fill; ++i) {
      const auto& rec = world_.recruiters[house.recruiters[d.below(
          static_cast<std::uint32_t>(house.recruiters.size()))]];
      const Origin& origin = world_.origins[rec.origin];
      // Take a woman of that origin in the recruitable band (a few tries, then give up).
      for (int attempt = 0; attempt < 20 && origin.women > 0; ++attempt) {
        const AtRiskIndex v = origin.first_woman + d.below(origin.women);
        const AtHome woman = at_home(v);
        const double age = woman.age_years(day());
        if (woman.status != Status::at_origin || age < pop.recruitable_age_min ||
            age > pop.recruitable_age_max)
          continue;
        const PersonId p = materialize(v);
        people.flags[p] |= kEverTrafficked | kDeceptiveOffer;
        people.price_per_client_fcfa[p] = static_cast<std::int32_t>(
            draw_fcfa(d, ex.price_per_client_min_fcfa, ex.price_per_client_max_fcfa));
        // Part of the debt already repaid: a house in steady state holds women at all stages.
        const auto debt = static_cast<std::int64_t>(
            std::llround(d.uniform(0.05, 1.0) *
                         static_cast<double>(draw_fcfa(d, ex.debt_min_fcfa, ex.debt_max_fcfa))));
        people.arrival_day[p] = day() - static_cast<std::int32_t>(d.below(300));
        place_at_site(p, house.site, static_cast<std::int32_t>(h), debt);
        count(Total::debt_imposed_fcfa, debt);
        break;
      }
    }
  }
  for (std::size_t s = 0; s < world_.sites.size(); ++s) {
    const PlaceSpec& place = spec_.places[world_.sites[s].place];
    for (std::int64_t i = 0; i < place.initial_free_wecs; ++i) {
      Draws d(key_, Stream::world_build, 2, people.next_created_key());
      add_free_woman(static_cast<std::uint16_t>(s), d);
    }
  }
  next_repatriation_day_ =
      day() + static_cast<std::int32_t>(spec_.protection.repatriation_interval_days);
  for (std::uint32_t h = 0; h < world_.houses.size(); ++h)
    world_.houses[h].next_review_day =
        day() + static_cast<std::int32_t>(h % static_cast<std::uint32_t>(
                                                  std::max(1.0, spec_.demand.order_interval_days)));
}

PersonId Simulation::create_person(Role role, Status status, std::uint16_t place,
                                   std::uint16_t home, std::uint8_t nationality, std::int32_t born,
                                   AtRiskIndex at_risk_index) {
  const PersonId p =
      world_.people.add(role, status, place, home, nationality, born, 0, at_risk_index);
  counted_site_.push_back(-1);
  acquaintances_.grow(world_.people.size());
  ++status_counts_[static_cast<std::size_t>(status)];
  world_.people.status_since_day[p] = day();
  return p;
}

PersonId Simulation::row_of(std::uint32_t person_id) const {
  const auto& people = world_.people;
  if (person_id >= people.first_created_key) {
    const std::size_t k = person_id - people.first_created_key;
    if (k >= people.created_row.size()) throw InvariantError("unknown person id");
    return people.created_row[k];
  }
  const auto row = at_risk_rows_.find(person_id);
  return row ? *row : kNoPerson;
}

Simulation::AtHome Simulation::at_home(AtRiskIndex v) const {
  AtHome woman;
  const auto row = at_risk_rows_.find(v);
  if (!row) {
    const AtRiskWoman drawn = draw_at_risk_woman(world_, key_, v);
    woman.nationality = world_.places[world_.origins[drawn.origin].place].country;
    woman.birth_day = drawn.birth_day;
    woman.flags = drawn.flags;
    return woman;
  }
  const auto& people = world_.people;
  const PersonId p = *row;
  woman.row = p;
  woman.status = people.status[p];
  woman.nationality = people.nationality[p];
  woman.birth_day = people.birth_day[p];
  woman.flags = people.flags[p];
  woman.acceptance_odds = people.acceptance_odds[p];
  woman.aware_until_day = people.aware_until_day[p];
  woman.aware_by = people.aware_by[p];
  return woman;
}

PersonId Simulation::materialize(AtRiskIndex v) {
  if (const auto row = at_risk_rows_.find(v)) return *row;
  const AtRiskWoman drawn = draw_at_risk_woman(world_, key_, v);
  const auto place = world_.origins[drawn.origin].place;
  const PersonId p = create_person(Role::woman, Status::at_origin, place, place,
                                   world_.places[place].country, drawn.birth_day, v);
  // She was counted at her origin already.
  --status_counts_[static_cast<std::size_t>(Status::at_origin)];
  world_.people.flags[p] = drawn.flags;
  world_.people.status_since_day[p] = spec_.simulation.start.days;
  at_risk_rows_.insert(v, p);
  return p;
}

void Simulation::place_at_site(PersonId p, std::uint16_t site, std::int32_t house,
                               std::int64_t debt) {
  auto& people = world_.people;
  people.place[p] = world_.sites[site].place;
  people.house[p] = house;
  people.debt_fcfa[p] = debt;
  ++world_.houses[static_cast<std::size_t>(house)].workers;
  set_status(p, Status::exploited);
}

}  // namespace tipsim::model
