// The women moved along each route account for every woman who left with a group.
//
// A group's women are counted on a route when they complete a leg along it (finish_leg),
// and counted again as intercepted on it when screening stops them at that leg's end; a
// group stopped as it leaves its origin (cross-border cooperation) travels no route. So, over
// a run, with S the women stopped at their origin and L0 those still on their first leg at
// the end, when no path passes through an origin or a site on its way:
//
//   (1) sum over routes leaving an origin of women_moved              = departed - S - L0
//   (2) sum over routes into a site of (women_moved - women_intercepted) = arrived_at_sites
//   (3) sum over all routes of women_intercepted                      = intercepted_in_transit - S
//   (4) at every other place: what arrives and goes on (moved - intercepted, routes in) =
//       what leaves (moved, routes out) + the women on a leg leaving it at the end.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model_test_support.hpp"
#include "models/recording/recorder.hpp"
#include "sim/h5/file.hpp"

namespace tipsim::model {
namespace {

namespace fs = std::filesystem;
using testing::total;

struct Accounts {
  std::int64_t stopped_at_origin = 0;
  /// Women in a group still travelling at the end, by the place their current leg leaves.
  std::vector<std::int64_t> on_leg_from;
  std::int64_t on_first_leg = 0;
};

Accounts accounts(const Simulation& sim) {
  const World& w = sim.world();
  Accounts a;
  a.on_leg_from.assign(w.places.size(), 0);
  for (const Event& e : sim.record().events)
    if (e.type == static_cast<std::uint8_t>(EventType::intercepted) &&
        w.places[static_cast<std::size_t>(e.place)].kind == PlaceKind::origin)
      ++a.stopped_at_origin;
  for (const Group& g : w.groups) {
    if (g.done) continue;
    const auto women = static_cast<std::int64_t>(g.members.size());
    a.on_leg_from[w.edges[g.path->edges[g.leg]].from] += women;
    if (g.leg == 0) a.on_first_leg += women;
  }
  return a;
}

/// The conditions under which the identities above are exact: paths pass through no origin
/// or site on their way, and travel every route the way it was declared.
void expect_simple_paths(const World& w) {
  for (const Path& path : w.paths)
    for (std::size_t i = 0; i < path.edges.size(); ++i) {
      const Edge& e = w.edges[path.edges[i]];
      if (i > 0) {
        EXPECT_NE(w.places[e.from].kind, PlaceKind::origin);
      }
      if (i + 1 < path.edges.size()) {
        EXPECT_NE(w.places[e.to].kind, PlaceKind::site);
      }
      // The first edge of a route is the way it was declared.
      for (std::size_t j = 0; j < path.edges[i]; ++j) EXPECT_NE(w.edges[j].route, e.route);
    }
}

/// Checks identities (1) to (4) of the file comment; returns the women moved on all routes.
std::int64_t expect_every_woman_accounted_for(const Simulation& sim) {
  const World& w = sim.world();
  expect_simple_paths(w);
  const Accounts a = accounts(sim);
  const auto& flows = sim.route_flows();
  const auto& routes = sim.spec().routes;
  EXPECT_EQ(flows.size(), routes.size());
  std::vector<std::int64_t> into(w.places.size(), 0), out_of(w.places.size(), 0);
  std::int64_t from_origins = 0, into_sites = 0, intercepted = 0, moved = 0;
  std::vector<bool> seen(routes.size(), false);
  for (const Edge& e : w.edges) {
    // A route's first edge runs the way it was declared, the way every path travels it.
    if (seen[e.route]) continue;
    seen[e.route] = true;
    const RouteFlow& f = flows[e.route];
    EXPECT_LE(f.women_intercepted, f.women_moved) << routes[e.route].from;
    if (w.places[e.from].kind == PlaceKind::origin) from_origins += f.women_moved;
    if (w.places[e.to].kind == PlaceKind::site) into_sites += f.women_moved - f.women_intercepted;
    into[e.to] += f.women_moved - f.women_intercepted;
    out_of[e.from] += f.women_moved;
    intercepted += f.women_intercepted;
    moved += f.women_moved;
  }
  const RunRecord& r = sim.record();
  EXPECT_EQ(from_origins, total(r, Total::departed) - a.stopped_at_origin - a.on_first_leg);
  EXPECT_EQ(into_sites, total(r, Total::arrived_at_sites));
  EXPECT_EQ(intercepted, total(r, Total::exit_intercepted_in_transit) - a.stopped_at_origin);
  for (std::size_t p = 0; p < w.places.size(); ++p) {
    if (w.places[p].kind == PlaceKind::origin || w.places[p].kind == PlaceKind::site) continue;
    EXPECT_EQ(into[p], out_of[p] + a.on_leg_from[p]) << w.places[p].name;
  }
  return moved;
}

std::unique_ptr<Simulation> run(const LoadedScenario& scenario) {
  auto sim = std::make_unique<Simulation>(scenario.spec, scenario.spec.simulation.seed);
  sim->run();
  return sim;
}

TEST(RouteFlows, EveryWomanWhoDepartedIsAccountedForAlongTheRoutes) {
  const auto sim = run(testing::load_small());
  EXPECT_GT(expect_every_woman_accounted_for(*sim), 0);
  EXPECT_GT(total(sim->record(), Total::departed), 100);
  // Status-quo screening stops some groups on the two screened routes only.
  const auto& flows = sim->route_flows();
  EXPECT_GT(flows[0].women_intercepted + flows[2].women_intercepted, 0);
  EXPECT_EQ(flows[1].women_intercepted + flows[3].women_intercepted + flows[4].women_intercepted,
            0);
}

TEST(RouteFlows, InterventionsStopGroupsAtTheirOriginAndOnTheWay) {
  const std::string programme =
      "interventions:\n"
      "  - {name: joint, type: cross_border_cooperation, origin_interception_probability: 0.3, "
      "target: {origins: [Edo]}}\n"
      "  - {name: border, type: border_screening, screening_probability: 0.3, bribe_resistance: 1, "
      "target: {edges: [Bamako -> Moussala]}}\n";
  const auto sim = run(testing::load_small({}, programme));
  EXPECT_GT(accounts(*sim).stopped_at_origin, 0);
  EXPECT_GT(sim->route_flows()[2].women_intercepted, 10);
  expect_every_woman_accounted_for(*sim);
}

TEST(RouteFlows, TheDefaultScenarioMeetsTheConditionsOfTheIdentities) {
  const auto scenario = load_scenario(fs::path(TIPSIM_SOURCE_DIR) / "scenarios/kedougou.yaml").spec;
  expect_simple_paths(build_world(scenario, RandomKey(1, 0)));
}

TEST(RouteFlows, NoRecruitmentMovesNobody) {
  const auto sim = run(testing::load_small({"recruitment.approaches_per_day=0"}));
  EXPECT_EQ(total(sim->record(), Total::departed), 0);
  for (const RouteFlow& f : sim->route_flows()) {
    EXPECT_EQ(f.women_moved, 0);
    EXPECT_EQ(f.women_intercepted, 0);
  }
}

TEST(RouteFlows, WrittenToTheRunFileInDeclarationOrder) {
  const auto scenario = testing::load_small();
  const auto sim = run(scenario);
  const fs::path file = fs::temp_directory_path() / "tipsim_route_flows.h5";
  write_run(file, *sim, scenario, {1, 0, 0, "test"});
  const auto f = h5::File::open_read(file);
  const auto routes = f.root().open_group("routes");
  const auto names = f.root().open_group("places").read_strings("name");
  const auto from = routes.read<std::int32_t>("from");
  const auto to = routes.read<std::int32_t>("to");
  const auto days = routes.read<double>("days_mean");
  const auto cost = routes.read<std::int64_t>("cost_fcfa");
  const auto moved = routes.read<std::int64_t>("women_moved");
  const auto intercepted = routes.read<std::int64_t>("women_intercepted");
  const auto& spec = scenario.spec.routes;
  ASSERT_EQ(from.size(), spec.size());
  for (std::size_t i = 0; i < spec.size(); ++i) {
    EXPECT_EQ(names[static_cast<std::size_t>(from[i])], spec[i].from);
    EXPECT_EQ(names[static_cast<std::size_t>(to[i])], spec[i].to);
    EXPECT_EQ(days[i], spec[i].days_mean);
    EXPECT_EQ(cost[i], spec[i].cost_fcfa);
    EXPECT_EQ(moved[i], sim->route_flows()[i].women_moved);
    EXPECT_EQ(intercepted[i], sim->route_flows()[i].women_intercepted);
  }
  EXPECT_EQ(f.root().int_attribute("schema_version"), 4);
  fs::remove(file);
}

}  // namespace
}  // namespace tipsim::model
