// A run saved between two steps and restored into a new run goes on exactly as if it had
// never stopped; a what-if restored from its base's state equals the what-if run from the
// start; a damaged or foreign state is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "model_test_support.hpp"
#include "sim/error.hpp"

namespace tipsim::model {
namespace {

const std::string kInterventions = R"(
interventions:
  - {name: committees, type: vigilance_committees, start: 2021-01-01, committees: 4,
     ramp_days: 90, cost: {per_unit_fcfa: 1000000}}
  - {name: raids, type: site_raids, start: 2020-09-01, raids_per_year: 6,
     target: {sites: [Khossanto]}, cost: {per_unit_fcfa: 2000000}}
  - {name: shelter, type: shelter_care, start: 2020-03-01, beds: 10,
     cost: {per_unit_fcfa: 10000}}
)";

const std::string kSurveys = R"(
surveys:
  - name: rds
    start: 2020-11-01
    end: 2021-02-28
    design: {type: rds, sample_size: 120, seeds: 6}
  - {name: random, start: 2021-06-01, end: 2021-06-30, design: {type: random, sample_size: 80}}
)";

void expect_same_runs(const Simulation& a, const Simulation& b) {
  const RunRecord& x = a.record();
  const RunRecord& y = b.record();
  EXPECT_EQ(x.days, y.days);
  EXPECT_EQ(x.totals, y.totals);
  EXPECT_EQ(x.by_site, y.by_site);
  EXPECT_EQ(x.site_demand, y.site_demand);
  EXPECT_EQ(x.site_gold_luck, y.site_gold_luck);
  EXPECT_EQ(x.interventions, y.interventions);
  EXPECT_TRUE(testing::same_events(x.events, y.events));
  ASSERT_EQ(x.observations.size(), y.observations.size());
  for (std::size_t i = 0; i < x.observations.size(); ++i) {
    EXPECT_EQ(x.observations[i].wecs_18_30, y.observations[i].wecs_18_30);
    EXPECT_EQ(x.observations[i].victims_by_country, y.observations[i].victims_by_country);
  }
  ASSERT_EQ(x.snapshots.size(), y.snapshots.size());
  for (std::size_t i = 0; i < x.snapshots.size(); ++i) {
    EXPECT_EQ(x.snapshots[i].person, y.snapshots[i].person);
    EXPECT_EQ(x.snapshots[i].debt_fcfa, y.snapshots[i].debt_fcfa);
  }
  EXPECT_EQ(a.route_flows(), b.route_flows());
  ASSERT_EQ(a.surveys().size(), b.surveys().size());
  for (std::size_t i = 0; i < a.surveys().size(); ++i) {
    const auto& r = a.surveys()[i].result();
    const auto& s = b.surveys()[i].result();
    ASSERT_EQ(r.respondents.size(), s.respondents.size());
    for (std::size_t k = 0; k < r.respondents.size(); ++k)
      EXPECT_EQ(r.respondents[k].person, s.respondents[k].person);
    ASSERT_EQ(r.estimates.size(), s.estimates.size());
    for (std::size_t k = 0; k < r.estimates.size(); ++k)
      EXPECT_EQ(r.estimates[k].value, s.estimates[k].value) << r.estimates[k].estimator;
  }
}

/// Steps `sim` until `date` and saves its state.
std::vector<std::uint8_t> run_until(Simulation& sim, Date date) {
  while (sim.today() < date) sim.step();
  return sim.save_state();
}

TEST(SavedState, ARestoredRunGoesOnAsIfItHadNeverStopped) {
  const auto scenario = testing::load_small({}, kInterventions + kSurveys);
  Simulation whole(scenario.spec, 11);
  whole.run();
  // Mid-way through the RDS survey, with every intervention on and groups on the road.
  Simulation first(scenario.spec, 11);
  const auto state = run_until(first, Date::from_ymd(2021, 1, 15));
  Simulation resumed(scenario.spec, 11);
  resumed.restore_state(state, "state");
  EXPECT_EQ(resumed.steps_done(), first.steps_done());
  EXPECT_EQ(resumed.population(), first.population());
  resumed.run();
  expect_same_runs(whole, resumed);
  ASSERT_GT(whole.record().events.size(), 1000u);  // the comparison covers a real run
}

TEST(SavedState, SavingWhatWasRestoredGivesTheSameBytes) {
  const auto scenario = testing::load_small({}, kInterventions + kSurveys);
  // Every intervention has started: an intervention that has not is restored afresh, which
  // is the same state but for its budget year, noted every step whether it acts or not.
  Simulation first(scenario.spec, 3);
  const auto state = run_until(first, Date::from_ymd(2021, 2, 1));
  Simulation resumed(scenario.spec, 3);
  resumed.restore_state(state, "state");
  const auto again = resumed.save_state();
  ASSERT_EQ(again.size(), state.size());
  const auto first_difference = std::mismatch(again.begin(), again.end(), state.begin()).first;
  EXPECT_EQ(first_difference, again.end()) << "at byte " << first_difference - again.begin();
}

TEST(SavedState, AWhatIfFromItsBaseStateEqualsTheWhatIfFromTheStart) {
  // The what-if adds an intervention and drops another, both from 2021; the base's state
  // on 2021-01-01 holds what both share.
  const auto base = testing::load_small({}, kInterventions);
  const auto other = testing::load_small({}, R"(
interventions:
  - {name: outreach, type: awareness_campaign, start: 2021-01-01, reach_per_year: 800,
     cost: {per_unit_fcfa: 5000}}
  - {name: raids, type: site_raids, start: 2020-09-01, raids_per_year: 6,
     target: {sites: [Khossanto]}, cost: {per_unit_fcfa: 2000000}}
  - {name: shelter, type: shelter_care, start: 2020-03-01, beds: 10,
     cost: {per_unit_fcfa: 10000}}
)");
  Simulation from_start(other.spec, 5);
  from_start.run();
  Simulation base_run(base.spec, 5);
  const auto state = run_until(base_run, Date::from_ymd(2021, 1, 1));
  Simulation branch(other.spec, 5);
  branch.restore_state(state, "state");
  branch.run();
  expect_same_runs(from_start, branch);
}

TEST(SavedState, AnInterventionThatActedMustKeepItsPlace) {
  const auto base = testing::load_small({}, kInterventions);
  // 'raids' acted before 2021 at place 1; here it is at place 0.
  const auto other = testing::load_small({}, R"(
interventions:
  - {name: raids, type: site_raids, start: 2020-09-01, raids_per_year: 6,
     target: {sites: [Khossanto]}, cost: {per_unit_fcfa: 2000000}}
)");
  Simulation base_run(base.spec, 5);
  const auto state = run_until(base_run, Date::from_ymd(2021, 1, 1));
  Simulation branch(other.spec, 5);
  try {
    branch.restore_state(state, "ck.h5");
    FAIL() << "restored";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("intervention 'raids'"), std::string::npos) << e.what();
  }
}

TEST(SavedState, ADamagedOrForeignStateIsRefused) {
  const auto scenario = testing::load_small();
  Simulation first(scenario.spec, 2);
  const auto state = run_until(first, Date::from_ymd(2020, 6, 1));
  const auto refused = [&](std::vector<std::uint8_t> bytes, const LoadedScenario& s,
                           const std::string& expected) {
    Simulation sim(s.spec, 2);
    try {
      sim.restore_state(bytes, "ck.h5");
      ADD_FAILURE() << "restored: " << expected;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("ck.h5"), std::string::npos) << e.what();
    }
  };
  refused({state.begin(), state.begin() + static_cast<std::ptrdiff_t>(state.size() / 2)}, scenario,
          "damaged");
  refused({}, scenario, "ends early");
  auto extra = state;
  extra.push_back(0);
  refused(extra, scenario, "after its end");
  auto version = state;
  version[8 + 16] ^= 0xFF;  // inside the format's name, after its 8-byte length
  refused(version, scenario, "another version");
  // A count that claims more than the bytes hold is refused before anything is allocated.
  auto huge = state;
  const std::uint64_t big = 1ULL << 60;
  std::memcpy(huge.data(), &big, sizeof big);
  refused(huge, scenario, "count larger than the data");
  std::string bigger = testing::small_corridor();
  bigger.replace(bigger.find("at_risk_women: 4000"), 19, "at_risk_women: 5000");
  refused(state, load_scenario_text(bigger, "bigger.yaml"), "at-risk women");
}

}  // namespace
}  // namespace tipsim::model
