// The supply chain: demand at the sites, madams' orders, recruitment, departure, transit.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "models/step/simulation.hpp"

namespace tipsim::model {

namespace {
/// One of `ties` whose position has a holder, uniformly, without building a list;
/// nullopt when every one is vacant.
template <class Slots>
std::optional<std::uint32_t> pick_filled(Draws& d, const std::vector<std::uint32_t>& ties,
                                         const Slots& slots) {
  std::uint32_t filled = 0;
  for (auto t : ties) filled += slots[t].holder != kNoPerson ? 1 : 0;
  if (filled == 0) return std::nullopt;
  std::uint32_t k = d.below(filled);
  for (auto t : ties)
    if (slots[t].holder != kNoPerson && k-- == 0) return t;
  return std::nullopt;
}

double logit(double p) {
  return std::log(p / (1.0 - p));
}
}  // namespace

void Simulation::update_demand() {
  const auto& dem = spec_.demand;
  const double years = (day() - dem.reference_date.days) / 365.25;
  for (std::uint32_t s = 0; s < world_.sites.size(); ++s) {
    Site& site = world_.sites[s];
    Draws d(key_, Stream::gold_luck, step_, s);
    for (std::int32_t k = 0; k < dt_; ++k)
      site.log_gold_luck =
          dem.gold_luck_persistence * site.log_gold_luck + dem.gold_luck_volatility * d.normal();
    const double miners = site.miners_reference * std::exp(dem.miners_growth_per_year * years);
    site.demand_clients_per_day =
        miners * dem.visits_per_miner_per_week / 7.0 * std::exp(site.log_gold_luck);
    if (!programme_.empty()) site.demand_clients_per_day *= demand_factor(s);
    const double women = std::max<double>(site.women, 1.0);
    site.clients_per_woman = std::min(dem.max_clients_per_day, site.demand_clients_per_day / women);
    site.demand_pressure = site.demand_clients_per_day / (women * dem.profitable_clients_per_day);
  }
}

void Simulation::review_houses() {
  const auto interval = static_cast<std::int32_t>(std::max(1.0, spec_.demand.order_interval_days));
  for (std::uint32_t h = 0; h < world_.houses.size(); ++h) {
    House& house = world_.houses[h];
    if (house.closed) continue;
    if (house.closing) {
      if (house.workers == 0 && house.incoming == 0) house.closed = true;
      continue;
    }
    if (house.madam == kNoPerson || day() < house.next_review_day) continue;
    house.next_review_day = day() + interval;
    Draws d(key_, Stream::orders, step_, h);
    if (d.bernoulli(rate_to_probability(spec_.organisation.madam_retirement_rate_per_year,
                                        interval / 365.25))) {
      // She stops ordering; the house closes once its women have left it.
      house.closing = true;
      set_status(house.madam, Status::inactive);
      continue;
    }
    const Site& site = world_.sites[house.site];
    const auto desired = static_cast<std::int32_t>(
        std::lround(house.capacity * std::min(1.0, site.demand_pressure)));
    const std::int32_t short_by = desired - house.workers - house.incoming;
    if (short_by <= 0) continue;
    const auto r = pick_filled(d, house.recruiters, world_.recruiters);
    if (!r) continue;  // every recruiter of the house is held: no order until replaced
    world_.recruiters[*r].orders.push_back(Order{h, short_by});
    house.incoming += short_by;
  }
}

void Simulation::recruit() {
  const auto& rec = spec_.recruitment;
  const auto& pop = spec_.population;
  if (rec.approaches_per_day <= 0 || rec.base_acceptance <= 0) return;
  const double base = logit(std::min(rec.base_acceptance, 1.0 - 1e-12));
  auto& people = world_.people;
  // Propose: every recruiter with an open order draws approaches and answers in parallel,
  // reading the state left by the previous phase.
  auto& proposals = proposals_;
  proposals.resize(world_.recruiters.size());
  for (auto& list : proposals) list.clear();
  tbb::parallel_for(std::size_t{0}, world_.recruiters.size(), [&](std::size_t r) {
    const Recruiter& recruiter = world_.recruiters[r];
    if (recruiter.holder == kNoPerson || recruiter.orders.empty()) return;
    const Origin& origin = world_.origins[recruiter.origin];
    if (origin.women == 0) return;
    Draws d(key_, Stream::recruitment, step_, static_cast<std::uint32_t>(r));
    const auto approaches = d.poisson(rec.approaches_per_day * dt_);
    for (std::uint32_t a = 0; a < approaches; ++a) {
      AtRiskIndex target = origin.first_woman + d.below(origin.women);
      const double channel = d.uniform();
      if (channel >= rec.untied_channel_share && !recruiter.contacts.empty()) {
        const auto k = d.below(static_cast<std::uint32_t>(recruiter.contacts.size()));
        target = recruiter.contacts[k];
        if (d.bernoulli(rec.friend_of_friend_share)) {
          const std::uint32_t begin = recruiter.contact_ties_begin[k];
          const std::uint32_t degree = recruiter.contact_ties_begin[k + 1] - begin;
          if (degree > 0) target = recruiter.contact_ties[begin + d.below(degree)];
        }
      }
      const bool deceptive = d.bernoulli(rec.deceptive_offer_share);
      const bool complicit = d.bernoulli(rec.family_complicity_share);
      const double u = d.uniform();
      const AtHome woman = at_home(target);
      if (woman.status != Status::at_origin) continue;
      const double age = woman.age_years(day());
      if (age < pop.recruitable_age_min || age > pop.recruitable_age_max) continue;
      double x = base;
      if (woman.has(kPoverty)) x += std::log(rec.poverty_odds_ratio);
      if (woman.has(kChildhoodSexualViolence))
        x += std::log(rec.childhood_sexual_violence_odds_ratio);
      if (woman.has(kPartnerViolence)) x += std::log(rec.partner_violence_odds_ratio);
      if (!deceptive) x += std::log(rec.open_offer_acceptance_factor);
      if (complicit) x += std::log(rec.family_complicity_odds_ratio);
      if (woman.has(kEverTrafficked)) x += std::log(rec.retrafficking_odds_ratio);
      if (woman.acceptance_odds != 1.0f) x += std::log(static_cast<double>(woman.acceptance_odds));
      if (deceptive && woman.aware_until_day >= day())
        x += std::log(
            spec_.interventions[static_cast<std::size_t>(woman.aware_by)].acceptance_odds_ratio);
      if (u < 1.0 / (1.0 + std::exp(-x)))
        proposals[r].push_back(Proposal{target, deceptive, complicit});
    }
  });
  // Resolve in recruiter order: a woman two recruiters won on the same day goes to the first.
  for (std::size_t r = 0; r < world_.recruiters.size(); ++r) {
    Recruiter& recruiter = world_.recruiters[r];
    for (const Proposal& prop : proposals[r]) {
      if (recruiter.orders.empty()) break;
      Order& order = recruiter.orders.front();
      if (order.remaining <= 0) continue;
      // Won by an earlier recruiter today, or gone since (a row says so).
      const auto row = at_risk_rows_.find(prop.woman);
      if (row && people.status[*row] != Status::at_origin) continue;
      const PersonId p = materialize(prop.woman);
      // A group always serves the front order: that order is removed only when its group
      // leaves full, and a group that leaves early leaves the order at the front.
      if (recruiter.group.empty()) recruiter.group_started_day = day();
      if (people.has(p, kEverTrafficked)) count(Total::re_trafficked);
      people.flags[p] |= kEverTrafficked;
      if (prop.deceptive) people.flags[p] |= kDeceptiveOffer;
      if (prop.complicit) people.flags[p] |= kFamilyComplicit;
      people.debt_fcfa[p] = 0;
      set_status(p, Status::recruited);
      recruiter.group.push_back(p);
      --order.remaining;
      count(Total::recruited);
      emit(EventType::recruited, p, people.place[p], static_cast<std::int32_t>(order.house));
    }
  }
}

void Simulation::depart_groups() {
  auto& people = world_.people;
  for (std::uint32_t r = 0; r < world_.recruiters.size(); ++r) {
    Recruiter& recruiter = world_.recruiters[r];
    // A group waits while its recruiter's place is vacant (arrested, not yet replaced).
    if (recruiter.group.empty() || recruiter.holder == kNoPerson) continue;
    Order& order = recruiter.orders.front();
    const bool full = order.remaining <= 0;
    if (!full && day() - recruiter.group_started_day < spec_.recruitment.group_max_wait_days)
      continue;
    Draws d(key_, Stream::transit, step_, r);
    const auto picked = pick_filled(d, recruiter.transporters, world_.transporters);
    if (!picked) continue;  // nobody to move them: the group waits
    const auto t = *picked;
    const House& house = world_.houses[order.house];
    const bool cheapest =
        world_.transporters[t].cost_minimising || spec_.transit.route_choice == "cost";
    Group group{std::move(recruiter.group), order.house, t,
                &world_.path(recruiter.origin, house.site, cheapest)};
    recruiter.group.clear();
    if (full) recruiter.orders.pop_front();
    const auto id = static_cast<std::uint32_t>(world_.groups.size());
    for (PersonId p : group.members) {
      set_status(p, Status::in_transit);
      count(Total::departed);
      emit(EventType::departed, p, people.place[p], static_cast<std::int32_t>(id));
    }
    const Edge& first = world_.edges[group.path->edges.front()];
    world_.groups.push_back(std::move(group));
    if (!programme_.empty() && intercept_at_origin(id)) continue;
    schedule_in_days(d.lognormal_mean_cv(first.days_mean, first.days_cv), Scheduled::leg_end, id);
  }
}

/// A group reaches the end of a leg: pays, may be screened, then goes on or arrives.
void Simulation::finish_leg(std::uint32_t group_id) {
  Group& group = world_.groups[group_id];
  auto& people = world_.people;
  const std::uint32_t edge_id = group.path->edges[group.leg];
  const Edge& edge = world_.edges[edge_id];
  Draws d(key_, Stream::transit_legs, step_, group_id);
  const auto members = static_cast<std::int64_t>(group.members.size());
  for (PersonId p : group.members) {
    people.place[p] = edge.to;
    people.debt_fcfa[p] += edge.cost_fcfa + edge.bribe_fcfa;
  }
  // Counted here, in the serial calendar phase, whatever happens to the group next: the leg
  // was travelled even if the group is stopped at its end.
  route_flows_[edge.route].women_moved += members;
  count(Total::transit_cost_fcfa, edge.cost_fcfa * members);
  count(Total::bribes_paid_fcfa, edge.bribe_fcfa * members);
  const bool screened = d.bernoulli(edge.screening_probability);
  const bool bribed_through = edge.bribe_fcfa > 0 && d.bernoulli(edge.bribe_effect);
  if (screened && !bribed_through) {
    intercept(group_id, edge.to);
    const PersonId transporter = world_.transporters[group.transporter].holder;
    if (transporter != kNoPerson &&
        d.bernoulli(spec_.transit.transporter_arrest_given_interception))
      arrest(transporter, edge.to);
    return;
  }
  if (!programme_.empty() && screen_by_interventions(group_id, edge, edge_id)) return;
  if (++group.leg < group.path->edges.size()) {
    const Edge& next = world_.edges[group.path->edges[group.leg]];
    schedule_in_days(d.lognormal_mean_cv(next.days_mean, next.days_cv), Scheduled::leg_end,
                     group_id);
    return;
  }
  arrive_at_site(group);
  group.done = true;
  group.members.clear();
  group.members.shrink_to_fit();
}

void Simulation::arrive_at_site(const Group& group) {
  const auto& ex = spec_.exploitation;
  auto& people = world_.people;
  House& house = world_.houses[group.house];
  house.incoming -= static_cast<std::int32_t>(group.members.size());
  for (PersonId p : group.members) {
    Draws d(key_, Stream::arrival, step_, agent(p));
    const std::int64_t imposed = draw_fcfa(d, ex.debt_min_fcfa, ex.debt_max_fcfa);
    const std::int64_t purchase =
        draw_fcfa(d, ex.purchase_price_min_fcfa, ex.purchase_price_max_fcfa);
    people.price_per_client_fcfa[p] = static_cast<std::int32_t>(
        draw_fcfa(d, ex.price_per_client_min_fcfa, ex.price_per_client_max_fcfa));
    // The travel costs and bribes paid for her come on top of the debt the madam imposes.
    const std::int64_t debt = imposed + people.debt_fcfa[p];
    people.arrival_day[p] = day();
    place_at_site(p, house.site, static_cast<std::int32_t>(group.house), debt);
    count(Total::arrived_at_sites);
    count(Total::debt_imposed_fcfa, debt);
    count(Total::purchase_paid_fcfa, purchase);
    count_site(BySite::arrivals_trafficked, house.site);
    emit(EventType::arrived, p, people.place[p], static_cast<std::int32_t>(group.house));
    emit(EventType::debt_imposed, p, people.place[p], static_cast<std::int32_t>(group.house), debt);
  }
}

}  // namespace tipsim::model
