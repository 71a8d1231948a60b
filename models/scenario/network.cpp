#include "models/scenario/network.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/reading.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/config/reader.hpp"

namespace tipsim::model {
namespace {

using config::Reader;

using reading::kAssumption;
using reading::kMoney;
using reading::kNonNegative;
using reading::kPositive;
using reading::kShare;

const std::vector<std::string> kPlaceKinds = {"origin", "transit", "border", "site", "destination"};

PlaceKind place_kind_from(const std::string& text) {
  for (std::size_t i = 0; i < kPlaceKinds.size(); ++i)
    if (kPlaceKinds[i] == text) return static_cast<PlaceKind>(i);
  return PlaceKind::transit;
}

void read_places(Reader& r, std::vector<PlaceSpec>& places) {
  std::set<std::string> names;
  r.list(
      "places", {"nodes of the location graph", "", ""},
      [&](Reader& e, std::size_t) {
        PlaceSpec p;
        p.name = e.text("name", std::nullopt, {"unique place name", "", ""});
        if (!e.schema_mode() && !names.insert(p.name).second)
          e.error("name", "place name '" + p.name + "' is used twice");
        p.kind = place_kind_from(
            e.text("kind", std::nullopt, {"role of the place", "", ""}, kPlaceKinds));
        p.country = e.text("country", std::nullopt, {"ISO 3166 alpha-2 code", "", ""});
        p.department = e.text("department", std::string{}, {"department (sites)", "", ""});
        // Coordinates only place the town on a map; the model never reads them.
        const config::FieldDoc latitude_doc{
            "latitude, WGS84 decimal degrees; only for drawing maps, the model does not use it",
            "degrees", ""};
        const config::FieldDoc longitude_doc{
            "longitude, WGS84 decimal degrees; only for drawing maps, the model does not use it",
            "degrees", ""};
        p.latitude = e.optional_number("latitude", {-90, 90}, latitude_doc);
        p.longitude = e.optional_number("longitude", {-180, 180}, longitude_doc);
        if (!e.schema_mode() && e.has("latitude") != e.has("longitude")) {
          const char* absent = e.has("latitude") ? "longitude" : "latitude";
          const char* given = e.has("latitude") ? "latitude" : "longitude";
          e.error(absent, std::string("missing: a place with a ") + given + " needs a " + absent +
                              " too (give both or neither)");
        }
        const bool origin = p.kind == PlaceKind::origin;
        const bool site = p.kind == PlaceKind::site;
        // Zero is every such key's default, so a resolved scenario (which writes every key)
        // reads back; only a non-zero value on the wrong kind of place is a mistake.
        auto only = [&](bool allowed, std::string_view key, const char* kind, bool nonzero) {
          if (!e.schema_mode() && !allowed && e.has(key) && nonzero)
            e.error(key, std::string("only allowed on places of kind ") + kind);
        };
        p.at_risk_women =
            e.integer("at_risk_women", 0, kNonNegative,
                      {"women in the recruitable age band at any time (origins)", "persons", ""});
        only(origin, "at_risk_women", "origin", p.at_risk_women != 0);
        p.recruiters =
            e.integer("recruiters", 0, kNonNegative, {"recruiters at the origin", "persons", ""});
        only(origin, "recruiters", "origin", p.recruiters != 0);
        p.transporters = e.integer("transporters", 0, kNonNegative,
                                   {"transporters based at the origin", "persons", ""});
        only(origin, "transporters", "origin", p.transporters != 0);
        p.miners = e.number("miners", 0.0, kNonNegative,
                            {"miners at the site on demand.reference_date", "persons", ""});
        only(site, "miners", "site", p.miners != 0);
        p.houses = e.integer("houses", 0, kNonNegative,
                             {"houses run by madams at the start", "houses", ""});
        only(site, "houses", "site", p.houses != 0);
        p.voluntary_arrivals_per_year = e.number(
            "voluntary_arrivals_per_year", 0.0, kNonNegative,
            {"arrivals of women in commercial sex who were not trafficked", "persons/year", ""});
        only(site, "voluntary_arrivals_per_year", "site", p.voluntary_arrivals_per_year != 0);
        p.initial_free_wecs =
            e.integer("initial_free_wecs", 0, kNonNegative,
                      {"non-trafficked women in commercial sex at the start", "persons", ""});
        only(site, "initial_free_wecs", "site", p.initial_free_wecs != 0);
        p.police_identification_rate_per_year = e.number(
            "police_identification_rate_per_year", 0.0, kNonNegative,
            {"status-quo identification of a victim by police or gendarmerie", "1/year", ""});
        only(site, "police_identification_rate_per_year", "site",
             p.police_identification_rate_per_year != 0);
        p.ngo_identification_rate_per_year =
            e.number("ngo_identification_rate_per_year", 0.0, kNonNegative,
                     {"status-quo identification of a victim by NGO outreach", "1/year", ""});
        only(site, "ngo_identification_rate_per_year", "site",
             p.ngo_identification_rate_per_year != 0);
        if (!e.schema_mode() && site && p.department.empty())
          e.error("department", "a site needs a department");
        places.push_back(std::move(p));
      },
      true, 2);
  if (r.schema_mode()) return;
  auto count = [&](PlaceKind k) {
    return std::count_if(places.begin(), places.end(), [k](const auto& p) { return p.kind == k; });
  };
  if (count(PlaceKind::origin) == 0)
    r.error("places", "at least one place of kind origin is needed");
  if (count(PlaceKind::site) == 0) r.error("places", "at least one place of kind site is needed");
  std::set<std::string> site_countries;
  for (const auto& p : places)
    if (p.kind == PlaceKind::site) site_countries.insert(p.country);
  if (site_countries.size() > 1)
    r.error("places",
            "all sites must be in one country (survivors of any other nationality "
            "wait for repatriation); they are in " +
                std::to_string(site_countries.size()));
}

void read_routes(Reader& r, const std::vector<PlaceSpec>& places, std::vector<RouteSpec>& routes) {
  std::set<std::string> names;
  for (const auto& p : places) names.insert(p.name);
  std::map<std::pair<std::string, std::string>, std::size_t> edges;     // directed edge -> route
  std::map<std::size_t, std::pair<std::string, std::string>> declared;  // route -> its ends
  r.list(
      "routes", {"edges of the location graph", "", ""},
      [&](Reader& e, std::size_t index) {
        RouteSpec s;
        s.from = e.text("from", std::nullopt, {"place name", "", ""});
        s.to = e.text("to", std::nullopt, {"place name", "", ""});
        for (const char* end : {"from", "to"}) {
          const std::string& name = end[0] == 'f' ? s.from : s.to;
          if (!e.schema_mode() && !names.count(name))
            e.error(end, "unknown place '" + name + "'; places are declared under places:");
        }
        s.days_mean =
            e.number("days_mean", std::nullopt, kPositive, {"expected travel time", "days", ""});
        s.days_cv = e.number("days_cv", 0.3, {0, 5},
                             {"coefficient of variation of travel time", "1", kAssumption});
        s.cost_fcfa =
            e.integer("cost_fcfa", 0, kMoney,
                      {"fare and lodging per person, added to the victim's debt", "FCFA", ""});
        s.bribe_fcfa = e.integer("bribe_fcfa", 0, kMoney,
                                 {"bribe per person at a checkpoint", "FCFA",
                                  "press investigation: 1,000-2,000 FCFA per crossing"});
        s.screening_probability = e.number("screening_probability", 0.0, kShare,
                                           {"chance a group is screened on this edge", "1", ""});
        s.bribe_effect =
            e.number("bribe_effect", 0.0, kShare,
                     {"share of screenings a paid bribe neutralises", "1", kAssumption});
        s.two_way = e.boolean("two_way", true, {"add the reverse edge too", "", ""});
        // Two routes over one edge would leave transporters a choice nobody meant, such as a
        // copy without fare or bribe.
        std::vector<std::pair<std::string, std::string>> mine{{s.from, s.to}};
        if (s.two_way && s.to != s.from) mine.emplace_back(s.to, s.from);
        for (const auto& edge : mine) {
          const auto [it, added] = edges.emplace(edge, index);
          if (!added && !e.schema_mode() && declared.contains(it->second)) {
            const auto& [from, to] = declared.at(it->second);
            e.error("to", "routes[" + std::to_string(it->second) + "] already joins " + from +
                              " and " + to +
                              "; declare each route once (an extending file changes that one "
                              "with routes+: [{from: " +
                              from + ", to: " + to + ", ...}])");
            break;
          }
        }
        declared[index] = {s.from, s.to};
        routes.push_back(std::move(s));
      },
      true, 1);
}

/// Every origin must reach at least one site, and every site be reached from an origin;
/// reported on `routes` with the place's name.
void check_connectivity(Reader& r, const ScenarioSpec& spec) {
  std::map<std::string, std::vector<std::string>> next;
  for (const auto& route : spec.routes) {
    next[route.from].push_back(route.to);
    if (route.two_way) next[route.to].push_back(route.from);
  }
  std::set<std::string> sites;
  for (const auto& p : spec.places)
    if (p.kind == PlaceKind::site) sites.insert(p.name);
  for (const auto& p : spec.places) {
    if (p.kind != PlaceKind::origin) continue;
    std::set<std::string> seen{p.name};
    std::vector<std::string> frontier{p.name};
    bool reaches_site = false;
    while (!frontier.empty() && !reaches_site) {
      const std::string at = frontier.back();
      frontier.pop_back();
      for (const auto& to : next[at]) {
        if (sites.count(to)) reaches_site = true;
        if (seen.insert(to).second) frontier.push_back(to);
      }
    }
    if (!reaches_site)
      r.error("routes", "the routes do not connect origin '" + p.name + "' to any site");
  }
  // And every site must be reached from some origin: a site no route leads to would take
  // orders no group can travel.
  std::set<std::string> reached;
  std::vector<std::string> frontier;
  for (const auto& p : spec.places)
    if (p.kind == PlaceKind::origin && reached.insert(p.name).second) frontier.push_back(p.name);
  while (!frontier.empty()) {
    const std::string at = frontier.back();
    frontier.pop_back();
    for (const auto& to : next[at])
      if (reached.insert(to).second) frontier.push_back(to);
  }
  // With no origin or no route at all, that is already the error to report.
  if (reached.empty() || spec.routes.empty()) return;
  for (const auto& site : sites)
    if (!reached.count(site))
      r.error("routes", "no route leads from any origin to site '" + site + "'");
}

}  // namespace

void read_network(Reader& r, ScenarioSpec& spec) {
  read_places(r, spec.places);
  read_routes(r, spec.places, spec.routes);
  if (!r.schema_mode()) check_connectivity(r, spec);
}

const char* to_string(PlaceKind kind) {
  return kPlaceKinds[static_cast<std::size_t>(kind)].c_str();
}

}  // namespace tipsim::model
