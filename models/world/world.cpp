#include "models/world/world.hpp"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

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
  for (const auto& r : spec.routes) {
    Edge e{index.at(r.from), index.at(r.to),          r.days_mean,   r.days_cv, r.cost_fcfa,
           r.bribe_fcfa,     r.screening_probability, r.bribe_effect};
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

/// At-risk women whose recruitable years overlap the horizon, and their small-world ties.
void build_origin_women(const ScenarioSpec& spec, const RandomKey& key, World& w) {
  const auto& pop = spec.population;
  const double band_years = pop.recruitable_age_max - pop.recruitable_age_min;
  const double horizon_years = spec.simulation.end.years_since(spec.simulation.start);
  // Birth dates spread so that `at_risk_women` are in the band on any day of the horizon.
  const double born_first = spec.simulation.start.days - pop.recruitable_age_max * 365.25;
  const double born_last = spec.simulation.end.days - pop.recruitable_age_min * 365.25;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  for (std::size_t o = 0; o < w.origins.size(); ++o) {
    const PlaceSpec& place = spec.places[w.origins[o].place];
    const auto count = static_cast<std::uint32_t>(std::llround(
        static_cast<double>(place.at_risk_women) * (horizon_years + band_years) / band_years));
    w.origins[o].first_woman = static_cast<PersonId>(w.people.size());
    w.origins[o].women = count;
    const auto first = w.origins[o].first_woman;
    const auto origin_place = w.origins[o].place;
    const auto country = w.places[origin_place].country;
    auto& people = w.people;
    people.resize(first + std::size_t{count});
    // Each woman's draws are keyed by her id, so filling in parallel changes nothing.
    tbb::parallel_for(std::uint32_t{0}, count, [&](std::uint32_t i) {
      const PersonId p = first + i;
      Draws d(key, Stream::world_build, 0, p);
      std::uint8_t flags = 0;
      if (d.bernoulli(pop.poverty_share)) flags |= kPoverty;
      if (d.bernoulli(pop.childhood_sexual_violence_share)) flags |= kChildhoodSexualViolence;
      if (d.bernoulli(pop.partner_violence_share)) flags |= kPartnerViolence;
      // Birth order follows id so neighbours on the ring (consecutive ids) are of similar age.
      const double born = born_first + (born_last - born_first) * (i + d.uniform()) / count;
      people.role[p] = Role::woman;
      people.status[p] = Status::at_origin;
      people.place[p] = people.home[p] = origin_place;
      people.nationality[p] = country;
      people.birth_day[p] = static_cast<std::int32_t>(born);
      people.flags[p] = flags;
    });
    // Watts-Strogatz ring per origin; each woman writes her own slots of the tie list.
    const auto half = static_cast<std::uint32_t>(std::max<std::int64_t>(1, pop.social_ties / 2));
    if (count < 2) continue;
    constexpr std::uint32_t kNoTie = 0xFFFFFFFFu;
    const std::size_t offset = ties.size();
    ties.resize(offset + 2 * std::size_t{count} * half, {kNoTie, kNoTie});
    tbb::parallel_for(std::uint32_t{0}, count, [&](std::uint32_t i) {
      Draws d(key, Stream::social_network, 0, first + i);
      for (std::uint32_t j = 1; j <= half && j < count; ++j) {
        std::uint32_t target = (i + j) % count;
        if (d.bernoulli(pop.social_rewiring)) target = d.below(count);
        if (target == i) continue;
        const std::size_t slot = offset + 2 * (std::size_t{i} * half + (j - 1));
        ties[slot] = {first + i, first + target};
        ties[slot + 1] = {first + target, first + i};
      }
    });
    std::erase_if(ties, [](const auto& tie) { return tie.first == kNoTie; });
  }
  w.origin_women_end = static_cast<PersonId>(w.people.size());
  // Sorting equal pairs cannot reorder anything visible, so a parallel sort is deterministic.
  tbb::parallel_sort(ties.begin(), ties.end());
  ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
  w.social = SocialGraph(boost::edges_are_sorted, ties.begin(), ties.end(), w.origin_women_end);
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
  build_origin_women(spec, key, w);
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
