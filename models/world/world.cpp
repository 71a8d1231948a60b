#include "models/world/world.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "sim/error.hpp"

namespace tipsim::model {

std::uint8_t World::country_index(const std::string& code) const {
  const auto it = std::find(countries.begin(), countries.end(), code);
  if (it == countries.end()) throw InvariantError("unknown country code " + code);
  return static_cast<std::uint8_t>(it - countries.begin());
}

namespace {

using LocationGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_index_t, std::uint32_t>>;

std::uint8_t intern(std::vector<std::string>& table, const std::string& value) {
  auto it = std::find(table.begin(), table.end(), value);
  if (it == table.end()) {
    table.push_back(value);
    return static_cast<std::uint8_t>(table.size() - 1);
  }
  return static_cast<std::uint8_t>(it - table.begin());
}

void build_places(const ScenarioSpec& spec, World& w) {
  std::map<std::string, std::uint16_t> index;
  for (const auto& p : spec.places) {
    Place place{p.name, p.kind, intern(w.countries, p.country), -1, -1, -1};
    const auto id = static_cast<std::uint16_t>(w.places.size());
    if (p.kind == PlaceKind::site) {
      if (w.sites.empty()) w.host_country = place.country;
      place.department = intern(w.departments, p.department);
      place.site = static_cast<std::int32_t>(w.sites.size());
      w.sites.push_back(Site{id, place.department, p.miners, p.voluntary_arrivals_per_year,
                             p.police_identification_rate_per_year,
                             p.ngo_identification_rate_per_year});
    }
    if (p.kind == PlaceKind::origin) {
      place.origin = static_cast<std::int32_t>(w.origins.size());
      w.origins.push_back(Origin{id});
    }
    index[p.name] = id;
    w.places.push_back(std::move(place));
  }
  for (const auto& share : spec.population.voluntary_nationality)
    intern(w.countries, share.country);
  for (const auto& share : spec.organisation.madam_nationality) intern(w.countries, share.country);
  for (std::uint32_t route = 0; route < spec.routes.size(); ++route) {
    const RouteSpec& r = spec.routes[route];
    Edge e{index.at(r.from), index.at(r.to),          r.days_mean,    r.days_cv, r.cost_fcfa,
           r.bribe_fcfa,     r.screening_probability, r.bribe_effect, route};
    w.edges.push_back(e);
    if (r.two_way) {
      std::swap(e.from, e.to);
      w.edges.push_back(e);
    }
  }
}

/// Shortest paths by expected days and by cost from every origin to every site.
void build_paths(World& w) {
  LocationGraph graph(w.places.size());
  for (std::uint32_t i = 0; i < w.edges.size(); ++i)
    boost::add_edge(w.edges[i].from, w.edges[i].to, i, graph);
  const auto edge_id = boost::get(boost::edge_index, graph);
  w.paths.assign(w.origins.size() * w.sites.size() * 2, Path{});
  for (int cheapest = 0; cheapest < 2; ++cheapest) {
    std::vector<double> weight(w.edges.size());
    for (std::size_t i = 0; i < w.edges.size(); ++i)
      // Cost ties are broken by time so equal-cost routes resolve the same way every run.
      weight[i] = cheapest ? static_cast<double>(w.edges[i].cost_fcfa + w.edges[i].bribe_fcfa) +
                                 1e-3 * w.edges[i].days_mean
                           : w.edges[i].days_mean;
    for (std::size_t o = 0; o < w.origins.size(); ++o) {
      const auto n = boost::num_vertices(graph);
      const auto vertex_id = boost::get(boost::vertex_index, graph);
      // The edge each vertex was last reached by: parallel edges resolve to the lighter one.
      std::vector<LocationGraph::edge_descriptor> reached_by(n);
      std::vector<double> dist(n);
      boost::dijkstra_shortest_paths(
          graph, w.origins[o].place,
          boost::weight_map(boost::make_function_property_map<LocationGraph::edge_descriptor>(
                                [&](const auto& e) { return weight[edge_id[e]]; }))
              .distance_map(boost::make_iterator_property_map(dist.begin(), vertex_id))
              .visitor(boost::make_dijkstra_visitor(boost::record_edge_predecessors(
                  boost::make_iterator_property_map(reached_by.begin(), vertex_id),
                  boost::on_edge_relaxed()))));
      for (std::size_t s = 0; s < w.sites.size(); ++s) {
        Path& path = w.paths[(o * w.sites.size() + s) * 2 + static_cast<std::size_t>(cheapest)];
        auto at = static_cast<std::size_t>(w.sites[s].place);
        if (dist[at] == std::numeric_limits<double>::max() || at == w.origins[o].place) continue;
        while (at != w.origins[o].place) {
          const auto edge = reached_by[at];
          path.edges.push_back(edge_id[edge]);
          at = boost::source(edge, graph);
        }
        std::reverse(path.edges.begin(), path.edges.end());
        for (auto e : path.edges) {
          path.expected_days += w.edges[e].days_mean;
          path.cost_fcfa += w.edges[e].cost_fcfa;
        }
      }
    }
  }
}

/// At-risk women whose recruitable years overlap the horizon: counts per origin and what
/// their draws need (models/world/at_risk.hpp). No woman gets a row here.
void count_origin_women(const ScenarioSpec& spec, World& w) {
  const auto& pop = spec.population;
  const double band_years = pop.recruitable_age_max - pop.recruitable_age_min;
  const double horizon_years = spec.simulation.end.years_since(spec.simulation.start);
  AtRiskTraits& t = w.at_risk;
  t.poverty_share = pop.poverty_share;
  t.childhood_sexual_violence_share = pop.childhood_sexual_violence_share;
  t.partner_violence_share = pop.partner_violence_share;
  // Birth dates spread so that `at_risk_women` are in the band on any day of the horizon.
  t.born_first = spec.simulation.start.days - pop.recruitable_age_max * 365.25;
  t.born_last = spec.simulation.end.days - pop.recruitable_age_min * 365.25;
  t.ring_neighbours = static_cast<std::uint32_t>(std::max<std::int64_t>(1, pop.social_ties / 2));
  t.rewiring = pop.social_rewiring;
  std::uint64_t total = 0;
  for (Origin& origin : w.origins) {
    const PlaceSpec& place = spec.places[origin.place];
    const auto count = static_cast<std::uint64_t>(std::llround(
        static_cast<double>(place.at_risk_women) * (horizon_years + band_years) / band_years));
    if (total + count >= kNotAtRisk)
      throw ConfigError("the origins hold " + std::to_string(total + count) +
                        " at-risk women over the horizon; at most 4,294,967,294 can be indexed");
    origin.first_woman = static_cast<AtRiskIndex>(total);
    origin.women = static_cast<std::uint32_t>(count);
    total += count;
  }
  w.at_risk_women = static_cast<std::uint32_t>(total);
  w.people.first_created_key = w.at_risk_women;
}

std::int32_t draw_birth(Draws& d, Date today, double age_min, double age_max) {
  return today.days - static_cast<std::int32_t>(d.uniform(age_min, age_max) * 365.25);
}

void build_organisation(const ScenarioSpec& spec, const RandomKey& key, World& w) {
  const auto& org = spec.organisation;
  const Date start = spec.simulation.start;
  for (std::size_t o = 0; o < w.origins.size(); ++o) {
    const PlaceSpec& place = spec.places[w.origins[o].place];
    const auto origin_place = w.origins[o].place;
    const auto country = w.places[origin_place].country;
    for (std::int64_t t = 0; t < place.transporters; ++t) {
      Draws d(key, Stream::organisation, 1, static_cast<std::uint32_t>(w.transporters.size()));
      const PersonId p = w.people.add(Role::transporter, Status::active, origin_place, origin_place,
                                      country, draw_birth(d, start, 25, 55), 0);
      w.people.org_node[p] = static_cast<std::int32_t>(w.transporters.size());
      w.transporters.push_back(Transporter{static_cast<std::uint16_t>(o), p,
                                           d.bernoulli(spec.transit.cost_minimising_share)});
    }
  }
  for (std::size_t o = 0; o < w.origins.size(); ++o) {
    const PlaceSpec& place = spec.places[w.origins[o].place];
    const auto origin_place = w.origins[o].place;
    std::vector<std::uint32_t> local;
    for (std::uint32_t t = 0; t < w.transporters.size(); ++t)
      if (w.transporters[t].origin == o) local.push_back(t);
    for (std::int64_t r = 0; r < place.recruiters; ++r) {
      const auto index = static_cast<std::uint32_t>(w.recruiters.size());
      Draws d(key, Stream::organisation, 2, index);
      const PersonId p =
          w.people.add(Role::recruiter, Status::active, origin_place, origin_place,
                       w.places[origin_place].country, draw_birth(d, start, 20, 50), 0);
      w.people.org_node[p] = static_cast<std::int32_t>(index);
      Recruiter rec;
      rec.origin = static_cast<std::uint16_t>(o);
      rec.holder = p;
      for (std::int64_t c = 0; c < org.recruiter_contacts && w.origins[o].women > 0; ++c)
        rec.contacts.push_back(w.origins[o].first_woman + d.below(w.origins[o].women));
      std::vector<AtRiskIndex> ties;
      rec.contact_ties_begin.push_back(0);
      for (const AtRiskIndex contact : rec.contacts) {
        at_risk_ties(w, key, contact, ties);
        rec.contact_ties.insert(rec.contact_ties.end(), ties.begin(), ties.end());
        rec.contact_ties_begin.push_back(static_cast<std::uint32_t>(rec.contact_ties.size()));
      }
      const auto& pool = local.empty() ? std::vector<std::uint32_t>{} : local;
      for (std::int64_t t = 0; t < org.transporters_per_recruiter; ++t) {
        if (!pool.empty()) {
          rec.transporters.push_back(pool[d.below(static_cast<std::uint32_t>(pool.size()))]);
        } else if (!w.transporters.empty()) {
          rec.transporters.push_back(d.below(static_cast<std::uint32_t>(w.transporters.size())));
        }
      }
      w.recruiters.push_back(std::move(rec));
    }
  }
}

}  // namespace

std::uint8_t draw_share(Draws& d, const std::vector<NationalityShare>& shares, const World& w,
                        std::uint8_t fallback) {
  return share_at(d.uniform(), shares, w, fallback);
}

std::uint8_t share_at(double u, const std::vector<NationalityShare>& shares, const World& w,
                      std::uint8_t fallback) {
  if (shares.empty()) return fallback;
  for (const auto& s : shares) {
    if (u < s.share) return w.country_index(s.country);
    u -= s.share;
  }
  return w.country_index(shares.back().country);
}

/// Opens a house at `site` for madam `madam` with ties to recruiters who can reach it.
std::uint32_t open_house(const ScenarioSpec& spec, World& w, std::uint16_t site, PersonId madam,
                         Draws& d) {
  const auto& org = spec.organisation;
  House house;
  house.site = site;
  house.capacity = static_cast<std::int32_t>(
      org.house_capacity_min +
      d.below(static_cast<std::uint32_t>(org.house_capacity_max - org.house_capacity_min + 1)));
  house.madam = madam;
  house.nationality = w.people.nationality[madam];
  std::vector<std::uint32_t> same, any;
  for (std::uint32_t r = 0; r < w.recruiters.size(); ++r) {
    if (w.path(w.recruiters[r].origin, site, false).edges.empty()) continue;
    any.push_back(r);
    if (w.places[w.origins[w.recruiters[r].origin].place].country == house.nationality)
      same.push_back(r);
  }
  for (std::int64_t t = 0; t < org.recruiters_per_madam && !any.empty(); ++t) {
    const auto& pool = (!same.empty() && d.bernoulli(org.tie_same_country)) ? same : any;
    const auto pick = pool[d.below(static_cast<std::uint32_t>(pool.size()))];
    if (std::find(house.recruiters.begin(), house.recruiters.end(), pick) == house.recruiters.end())
      house.recruiters.push_back(pick);
  }
  const auto id = static_cast<std::uint32_t>(w.houses.size());
  w.people.org_node[madam] = static_cast<std::int32_t>(id);
  w.houses.push_back(std::move(house));
  return id;
}

World build_world(const ScenarioSpec& spec, const RandomKey& key) {
  World w;
  build_places(spec, w);
  build_paths(w);
  count_origin_women(spec, w);
  build_organisation(spec, key, w);
  const Date start = spec.simulation.start;
  for (std::size_t s = 0; s < w.sites.size(); ++s) {
    const PlaceSpec& place = spec.places[w.sites[s].place];
    for (std::int64_t h = 0; h < place.houses; ++h) {
      const auto index = static_cast<std::uint32_t>(w.houses.size());
      Draws d(key, Stream::organisation, 3, index);
      // The initial madams' nationalities follow the declared shares closely (a golden-ratio
      // sequence of quantiles spreads them over the sites) rather than by independent
      // draws: with a few dozen houses, draws alone would swing the victims' nationality mix
      // by ten points from seed to seed.
      const double quantile = std::fmod(0.5 + index * 0.6180339887498949, 1.0);
      const auto nation = share_at(quantile, spec.organisation.madam_nationality, w,
                                   w.places[w.sites[s].place].country);
      const PersonId madam =
          w.people.add(Role::madam, Status::active, w.sites[s].place, w.sites[s].place, nation,
                       draw_birth(d, start, 25, 50), 0);
      open_house(spec, w, static_cast<std::uint16_t>(s), madam, d);
    }
  }
  return w;
}

}  // namespace tipsim::model
