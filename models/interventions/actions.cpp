// Interventions that act on many agents at once: reaching women at origin (awareness and
// its word of mouth, economic empowerment), raids on sites, operations against the
// organisation. Each draws only from its own stream.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/step/simulation.hpp"
#include "models/world/organisation_graph.hpp"

namespace tipsim::model {

using Type = InterventionType;

void Simulation::intervene() {
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (!st.active) continue;
    Draws d(key_, st.stream, step_, 0xFFFFFFFFu);
    switch (s.type) {
      case Type::awareness_campaign:
      case Type::economic_empowerment:
        reach_women(i, d);
        break;
      case Type::site_raids:
        for (const auto site : st.sites) {
          Draws at_site(key_, st.stream, step_, 0xFFFF0000u + site);
          if (at_site.poisson(s.raids_per_year * dt_ / 365.25) == 0) continue;
          if (affordable(i, 1, s.cost.per_unit_fcfa) < 1) continue;
          buy(i, 1);
          raid(i, site, at_site);
        }
        break;
      case Type::network_disruption:
        disrupt(i, d);
        break;
      case Type::cross_border_cooperation:
        operate_against_recruiters(i, d);
        break;
      default:
        break;
    }
  }
}

/// Awareness (direct reach) and empowerment (enrolment): women drawn at the targeted
/// origins, in proportion to their at-risk populations.
void Simulation::reach_women(std::size_t i, Draws& d) {
  const InterventionSpec& s = spec_.interventions[i];
  InterventionState& st = programme_[i];
  if (st.origins.empty() || st.origin_women_cumulative.back() <= 0) return;
  const bool awareness = s.type == Type::awareness_campaign;
  const double per_year = awareness ? s.reach_per_year : s.enrolled_per_year;
  const auto wanted = static_cast<std::int64_t>(d.poisson(per_year * dt_ / 365.25));
  const std::int64_t n = affordable(i, wanted, s.cost.per_unit_fcfa);
  auto& people = world_.people;
  for (std::int64_t k = 0; k < n; ++k) {
    const double u = d.uniform() * st.origin_women_cumulative.back();
    const auto at = static_cast<std::size_t>(
        std::upper_bound(st.origin_women_cumulative.begin(), st.origin_women_cumulative.end(), u) -
        st.origin_women_cumulative.begin());
    const Origin& origin = world_.origins[st.origins[std::min(at, st.origins.size() - 1)]];
    const AtRiskIndex v = origin.first_woman + d.below(origin.women);
    // Programmes work with women at home; a draw that finds her gone or outside the
    // target reaches nobody, and costs nothing.
    const AtHome woman = at_home(v);
    if (woman.status != Status::at_origin || !woman_targeted(st, s, woman)) continue;
    // Enrolment happens once in a life; awareness can be renewed.
    if (!awareness && woman.has(kEnrolled)) continue;
    const PersonId p = materialize(v);
    buy(i, 1);
    st.credit(InterventionSeries::reached);
    Draws own(key_, st.stream, step_, agent(p));
    if (awareness) {
      make_aware(p, i, own);
      continue;
    }
    people.flags[p] |= kEnrolled;
    if (people.has(p, kPoverty) && own.bernoulli(s.poverty_exit_probability))
      people.flags[p] &= static_cast<std::uint8_t>(~kPoverty);
    people.acceptance_odds[p] *= static_cast<float>(s.acceptance_odds_ratio);
  }
}

/// She stays aware for an exponential time, and tells each of her ties with the campaign's
/// word-of-mouth probability at a uniform moment while aware (a calendar item each).
void Simulation::make_aware(PersonId p, std::size_t i, Draws& d) {
  const InterventionSpec& s = spec_.interventions[i];
  auto& people = world_.people;
  const auto days = static_cast<std::int32_t>(std::ceil(d.exponential(1.0 / s.awareness_days)));
  const std::int32_t until = day() + std::max(1, days);
  if (people.aware_until_day[p] >= until) return;
  people.aware_until_day[p] = until;
  people.aware_by[p] = static_cast<std::int16_t>(i);
  if (!people.is_at_risk(p) || s.word_of_mouth_probability <= 0) return;
  const AtRiskIndex v = people.draw_key[p];
  // The calendar item names the tie by her at-risk index: she gets a row only if the
  // word reaches her while she is still at home and in the target.
  at_risk_ties(world_, key_, v, ties_);
  for (const AtRiskIndex tie : ties_) {
    if (!d.bernoulli(s.word_of_mouth_probability)) continue;
    const auto when = step_ + steps_for(d.uniform(1.0, static_cast<double>(until - day())));
    calendar_.schedule(when, Scheduled{Scheduled::inform, tie, static_cast<std::uint32_t>(i)});
  }
}

/// A raid: victims found are identified and referred to care, madams of their houses may
/// be arrested, and houses may move to another site, before the raid when it leaked.
void Simulation::raid(std::size_t i, std::uint32_t site, Draws& d) {
  const InterventionSpec& s = spec_.interventions[i];
  InterventionState& st = programme_[i];
  auto& people = world_.people;
  const auto displace = [&] {
    if (world_.sites.size() < 2) return;
    for (std::uint32_t h = 0; h < world_.houses.size(); ++h)
      if (world_.houses[h].site == site && !world_.houses[h].closed &&
          d.bernoulli(s.displacement_probability))
        move_house(h, d);
  };
  const bool leaked = d.bernoulli(s.leak_probability);
  if (leaked) displace();
  // The women at the site, searched in order of draw key: each is found by the next draw,
  // so the order must not depend on rows, which a paired run can make in another order.
  std::vector<PersonId> at_site;
  for (std::size_t k = 0; k < exploited_.size(); ++k) {
    const PersonId p = exploited_[k];
    if (people.status[p] == Status::exploited &&
        world_.places[people.place[p]].site == static_cast<std::int32_t>(site))
      at_site.push_back(p);
  }
  std::sort(at_site.begin(), at_site.end(),
            [&](PersonId a, PersonId b) { return agent(a) < agent(b); });
  std::vector<PersonId> found;
  const auto searched = static_cast<std::int64_t>(at_site.size());
  for (const PersonId p : at_site)
    if (d.bernoulli(s.search_share)) found.push_back(p);
  // More found than the team can take into care: those taken are drawn among them.
  const auto cap = static_cast<std::size_t>(std::max(0.0, s.max_identified_per_raid));
  if (found.size() > cap) {
    for (std::size_t k = 0; k < cap; ++k)
      std::swap(found[k], found[k + d.below(static_cast<std::uint32_t>(found.size() - k))]);
    found.resize(cap);
  }
  std::sort(found.begin(), found.end(),
            [&](PersonId a, PersonId b) { return agent(a) < agent(b); });
  st.credit(InterventionSeries::reached, searched);
  acting_ = static_cast<std::int16_t>(i);
  std::vector<std::int32_t> houses;
  for (const PersonId p : found) {
    houses.push_back(people.house[p]);
    leave_exploitation(p, Total::exit_identified, EventType::identified, BySite::identified, false);
    st.credit(InterventionSeries::identified);
    st.credit(InterventionSeries::removed);
  }
  std::sort(houses.begin(), houses.end());
  houses.erase(std::unique(houses.begin(), houses.end()), houses.end());
  for (const auto h : houses) {
    const PersonId madam = world_.houses[static_cast<std::size_t>(h)].madam;
    if (madam != kNoPerson && d.bernoulli(s.madam_arrest_probability))
      arrest(madam, world_.sites[site].place);
  }
  acting_ = -1;
  if (!leaked) displace();
}

/// A house moves to another site with the women it holds.
void Simulation::move_house(std::uint32_t h, Draws& d) {
  House& house = world_.houses[h];
  const auto from = house.site;
  auto to =
      static_cast<std::uint16_t>(d.below(static_cast<std::uint32_t>(world_.sites.size() - 1)));
  if (to >= from) ++to;
  house.site = to;
  auto& people = world_.people;
  for (std::size_t k = 0; k < exploited_.size(); ++k) {
    const PersonId p = exploited_[k];
    if (people.status[p] != Status::exploited || people.house[p] != static_cast<std::int32_t>(h))
      continue;
    --world_.sites[from].women;
    ++world_.sites[to].women;
    counted_site_[p] = static_cast<std::int16_t>(to);
    if (acquaintances_.enabled()) acquaintances_.move(p, from, to);
    people.place[p] = world_.sites[to].place;
  }
  if (house.madam != kNoPerson) people.place[house.madam] = world_.sites[to].place;
  emit(EventType::house_moved, house.madam, world_.sites[to].place, static_cast<std::int32_t>(h));
}

/// Arrest operations aimed by centrality in the organisation network (or at random); with
/// probability 1 - intelligence_accuracy the member found is not the one aimed at.
void Simulation::disrupt(std::size_t i, Draws& d) {
  const InterventionSpec& s = spec_.interventions[i];
  InterventionState& st = programme_[i];
  const auto wanted = static_cast<std::int64_t>(d.poisson(s.operations_per_year * dt_ / 365.25));
  const std::int64_t n = affordable(i, wanted, s.cost.per_unit_fcfa);
  for (std::int64_t k = 0; k < n; ++k) {
    const OrganisationGraph graph = organisation_graph(world_);
    const auto houses = world_.houses.size();
    const auto recruiters = world_.recruiters.size();
    // Members in scope: houses at targeted sites, recruiters and transporters at targeted
    // origins.
    std::vector<std::uint32_t> scope;
    for (std::uint32_t v = 0; v < graph.vertices; ++v) {
      if (graph.holder[v] == kNoPerson) continue;
      const bool in =
          v < houses ? st.site_mask[world_.houses[v].site] != 0
          : v < houses + recruiters
              ? st.origin_mask[world_.recruiters[v - houses].origin] != 0
              : st.origin_mask[world_.transporters[v - houses - recruiters].origin] != 0;
      if (in) scope.push_back(v);
    }
    const bool aimed = s.targeting != "random";
    const double u_accuracy = d.uniform();
    const double u_pick = d.uniform();
    const double u_arrest = d.uniform();
    if (scope.empty()) break;
    buy(i, 1);
    std::uint32_t target =
        scope[static_cast<std::size_t>(u_pick * static_cast<double>(scope.size()))];
    if (aimed && u_accuracy < s.intelligence_accuracy) {
      const auto score =
          centrality(graph, s.targeting == "degree" ? Centrality::degree : Centrality::betweenness);
      // Highest score; the lowest vertex among equals.
      target = *std::max_element(scope.begin(), scope.end(), [&](auto a, auto b) {
        return score[a] < score[b] || (score[a] == score[b] && a > b);
      });
    }
    st.credit(InterventionSeries::reached);
    if (u_arrest >= s.arrest_probability) continue;
    acting_ = static_cast<std::int16_t>(i);
    arrest(graph.holder[target], world_.people.place[graph.holder[target]]);
    acting_ = -1;
  }
}

/// Joint operations against recruiters at the targeted origins.
void Simulation::operate_against_recruiters(std::size_t i, Draws& d) {
  const InterventionSpec& s = spec_.interventions[i];
  InterventionState& st = programme_[i];
  if (s.operations_per_year <= 0) return;
  const auto wanted = static_cast<std::int64_t>(d.poisson(s.operations_per_year * dt_ / 365.25));
  const std::int64_t n = affordable(i, wanted, s.cost.per_unit_fcfa);
  std::vector<std::uint32_t> scope;
  for (std::uint32_t r = 0; r < world_.recruiters.size(); ++r)
    if (st.origin_mask[world_.recruiters[r].origin]) scope.push_back(r);
  for (std::int64_t k = 0; k < n && !scope.empty(); ++k) {
    const Recruiter& rec =
        world_.recruiters[scope[d.below(static_cast<std::uint32_t>(scope.size()))]];
    const bool caught = d.bernoulli(s.arrest_probability);
    buy(i, 1);
    st.credit(InterventionSeries::reached);
    if (!caught || rec.holder == kNoPerson || world_.people.status[rec.holder] != Status::active)
      continue;
    acting_ = static_cast<std::int16_t>(i);
    arrest(rec.holder, world_.people.place[rec.holder]);
    acting_ = -1;
  }
}

}  // namespace tipsim::model
