#pragma once
/// The state of one run: places and routes, the population, the organisation and the
/// social network. Built from an immutable ScenarioSpec; owned by one Simulation.
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/scenario/parameters.hpp"
#include "models/world/at_risk.hpp"
#include "models/world/population.hpp"
#include "sim/random.hpp"

namespace tipsim::model {

struct Place {
  std::string name;
  PlaceKind kind;
  std::uint8_t country;     ///< index into World::countries
  std::int32_t department;  ///< index into World::departments, -1 off the sites
  std::int32_t site;        ///< index into World::sites, -1 if not a site
  std::int32_t origin;      ///< index into World::origins, -1 if not an origin
};

struct Edge {
  std::uint16_t from, to;
  double days_mean, days_cv;
  std::int64_t cost_fcfa, bribe_fcfa;
  double screening_probability, bribe_effect;
  /// Index of the scenario route it comes from: both edges of a two-way route share it, so
  /// that what travels either way is reported for the route (/routes of the run file).
  std::uint32_t route;
};

/// A route: edges from an origin to a site, by shortest expected days or cost.
struct Path {
  std::vector<std::uint32_t> edges;
  double expected_days = 0;
  std::int64_t cost_fcfa = 0;
};

struct Site {
  std::uint16_t place;
  std::int32_t department;
  double miners_reference, voluntary_arrivals_per_year;
  double police_rate_per_year, ngo_rate_per_year;
  double log_gold_luck = 0;
  double demand_clients_per_day = 0;  ///< this step's client demand
  double clients_per_woman = 0;       ///< this step's expected clients per woman
  double demand_pressure = 0;         ///< clients per woman over the profitable number
  std::int32_t women = 0;             ///< exploited + free women at the site now
};

struct Origin {
  std::uint16_t place;
  /// The origin's at-risk women are the indices [first_woman, first_woman + women)
  /// (models/world/at_risk.hpp), not person ids: a woman has a row only once an event
  /// reached her.
  AtRiskIndex first_woman = 0;
  std::uint32_t women = 0;
};

struct House {
  std::uint16_t site = 0;
  std::int32_t capacity = 0;
  PersonId madam = kNoPerson;  ///< kNoPerson while vacant
  std::uint8_t nationality = 0;
  std::int32_t workers = 0;   ///< exploited women controlled now
  std::int32_t incoming = 0;  ///< ordered, not yet arrived
  std::int32_t next_review_day = 0;
  bool closing = false;    ///< the madam retired: no more orders; closes when empty
  bool testimony = false;  ///< a woman of this house testified: her case is stronger
  bool closed = false;
  std::vector<std::uint32_t> recruiters;  ///< organisation ties: who supplies this house
};

struct Order {
  std::uint32_t house;
  std::int32_t remaining;
};

struct Recruiter {
  std::uint16_t origin = 0;  ///< index into World::origins
  PersonId holder = kNoPerson;
  std::vector<AtRiskIndex> contacts;  ///< women of her origin she knows directly
  /// The ties of contact k are contact_ties[contact_ties_begin[k] .. [k + 1]): she reaches
  /// friends of friends through them every day, so they are listed once.
  std::vector<std::uint32_t> contact_ties_begin;
  std::vector<AtRiskIndex> contact_ties;
  std::vector<std::uint32_t> transporters;
  std::deque<Order> orders;
  std::vector<PersonId> group;  ///< recruits waiting to leave
  std::int32_t group_started_day = 0;
};

struct Transporter {
  std::uint16_t origin;
  PersonId holder = kNoPerson;
  bool cost_minimising = false;
};

/// A group of recruits moving along a path together.
struct Group {
  std::vector<PersonId> members;
  std::uint32_t house;
  std::uint32_t transporter;
  const Path* path = nullptr;
  std::uint32_t leg = 0;
  bool done = false;
};

struct World {
  std::vector<std::string> countries;
  std::vector<std::string> departments;
  /// Country of the sites: survivors of another nationality wait for repatriation.
  std::uint8_t host_country = 0;
  std::vector<Place> places;
  std::vector<Edge> edges;
  std::vector<Site> sites;
  std::vector<Origin> origins;
  /// paths[(origin * sites + site) * 2 + (0 shortest time, 1 cheapest)]
  std::vector<Path> paths;
  std::vector<House> houses;
  std::vector<Recruiter> recruiters;
  std::vector<Transporter> transporters;
  std::vector<Group> groups;
  Population people;
  /// At-risk women at the origins, all origins together (indices, not rows).
  std::uint32_t at_risk_women = 0;
  AtRiskTraits at_risk;

  [[nodiscard]] const Path& path(std::size_t origin, std::size_t site, bool cheapest) const {
    return paths[(origin * sites.size() + site) * 2 + (cheapest ? 1 : 0)];
  }
  [[nodiscard]] std::uint8_t country_index(const std::string& code) const;
};

/// Builds places, routes (Boost.Graph shortest paths), the at-risk population and its
/// small-world network, the organisation, houses and the initial women at the sites.
World build_world(const ScenarioSpec& spec, const RandomKey& key);

/// The country at quantile `u` in [0, 1) of `shares` (which sum to 1); `fallback` if none.
std::uint8_t share_at(double u, const std::vector<NationalityShare>& shares, const World& w,
                      std::uint8_t fallback);
/// A country drawn from `shares` (which sum to 1); `fallback` when there are none.
std::uint8_t draw_share(Draws& d, const std::vector<NationalityShare>& shares, const World& w,
                        std::uint8_t fallback);

/// An amount of money uniform in [lo, hi], rounded to the franc.
inline std::int64_t draw_fcfa(Draws& d, std::int64_t lo, std::int64_t hi) {
  return static_cast<std::int64_t>(
      std::llround(d.uniform(static_cast<double>(lo), static_cast<double>(hi))));
}

/// Opens a house at `site` run by `madam`, tied to recruiters whose origin reaches the
/// site (same country as the madam with probability organisation.tie_same_country).
std::uint32_t open_house(const ScenarioSpec& spec, World& w, std::uint16_t site, PersonId madam,
                         Draws& d);

}  // namespace tipsim::model
