// Behaviour of the corridor model: zero rates give zero, conservation, monotone responses,
// closed-form checks. Averaged over seeds where the response is stochastic.
#include <gtest/gtest.h>

#include <map>

#include "model_test_support.hpp"

namespace tipsim::model {
namespace {

using testing::last;
using testing::load_small;
using testing::total;

RunRecord run(const std::vector<std::string>& overrides, std::uint64_t seed = 7) {
  const auto scenario = load_small(overrides);
  Simulation sim(scenario.spec, seed);
  sim.run();
  return sim.record();
}

TEST(Behaviour, ZeroRecruitmentGivesNoVictims) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto r = run({"recruitment.approaches_per_day=0", "exploitation.initial_fill=0"}, seed);
    EXPECT_EQ(total(r, Total::recruited), 0);
    EXPECT_EQ(total(r, Total::arrived_at_sites), 0);
    for (std::size_t s = 0; s < r.days.size(); ++s)
      ASSERT_EQ(r.totals[s * kTotalCount + static_cast<std::size_t>(Total::trafficked_at_sites)],
                0);
    // Women who were not trafficked still come and go.
    EXPECT_GT(total(r, Total::voluntary_arrivals), 0);
  }
}

TEST(Behaviour, RecruitmentFillsHousesWhenOn) {
  const auto r = run({});
  EXPECT_GT(total(r, Total::recruited), 20);
  EXPECT_GT(total(r, Total::arrived_at_sites), 20);
  EXPECT_GT(last(r, Total::trafficked_at_sites), 0);
}

TEST(Behaviour, PersonsAreConservedEveryStep) {
  const auto scenario = load_small();
  Simulation sim(scenario.spec, 11);
  do {
    std::int64_t sum = 0;
    for (std::size_t s = 0; s < kStatusCount; ++s) sum += sim.status_count(static_cast<Status>(s));
    ASSERT_EQ(sum, static_cast<std::int64_t>(sim.population())) << sim.today().iso();
    std::int64_t at_sites = 0;
    for (const auto& site : sim.world().sites) at_sites += site.women;
    ASSERT_EQ(at_sites, sim.status_count(Status::exploited) + sim.status_count(Status::free_wecs));
    std::int64_t workers = 0;
    for (const auto& house : sim.world().houses) workers += house.workers;
    ASSERT_EQ(workers, sim.status_count(Status::exploited));
  } while (sim.step());
}

TEST(Behaviour, DebtAccountingClosesToTheFranc) {
  for (std::uint64_t seed : {3, 4}) {
    const auto r = run({"exploitation.monthly_interest=0.05"}, seed);
    ASSERT_GT(total(r, Total::interest_charged_fcfa), 0);
    const std::int64_t balance =
        total(r, Total::debt_imposed_fcfa) + total(r, Total::living_costs_charged_fcfa) +
        total(r, Total::interest_charged_fcfa) - total(r, Total::debt_paid_fcfa) -
        total(r, Total::debt_written_off_fcfa);
    EXPECT_EQ(balance, last(r, Total::debt_outstanding_fcfa));
  }
}

TEST(Behaviour, MoreDemandGivesMoreRecruitment) {
  std::int64_t low = 0, high = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    low += total(run({"demand.visits_per_miner_per_week=1.0"}, seed), Total::recruited);
    high += total(run({"demand.visits_per_miner_per_week=4.0"}, seed), Total::recruited);
  }
  EXPECT_GT(static_cast<double>(high), 1.2 * static_cast<double>(low))
      << "low " << low << " high " << high;
}

TEST(Behaviour, TransitTimeMatchesTheRoutesExpectedDays) {
  // Only Edo recruits; no screening; Edo -> Bamako -> Moussala -> site is 6 + 2 + 1 days.
  const auto r = run({"places.1.recruiters=0", "routes.0.screening_probability=0",
                      "routes.2.screening_probability=0"});
  std::map<std::uint32_t, std::int32_t> departed;
  double sum = 0;
  int n = 0;
  for (const Event& e : r.events) {
    if (e.type == static_cast<std::uint8_t>(EventType::departed)) departed[e.person] = e.day;
    if (e.type == static_cast<std::uint8_t>(EventType::arrived) && departed.count(e.person)) {
      sum += e.day - departed[e.person];
      ++n;
    }
  }
  ASSERT_GT(n, 30);
  EXPECT_NEAR(sum / n, 9.0, 0.45) << n << " journeys";
}

TEST(Behaviour, NoScreeningNoInterception) {
  const auto r = run({"routes.0.screening_probability=0", "routes.2.screening_probability=0"});
  EXPECT_EQ(total(r, Total::exit_intercepted_in_transit), 0);
}

TEST(Behaviour, ScreeningInterceptsMoreWhenRaised) {
  std::int64_t low = 0, high = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    low += total(run({}, seed), Total::exit_intercepted_in_transit);
    high += total(run({"routes.2.screening_probability=0.5"}, seed),
                  Total::exit_intercepted_in_transit);
  }
  EXPECT_GT(high, low);
}

TEST(Behaviour, NoIdentificationOrEscapeWithZeroRates) {
  const auto r =
      run({"places.4.police_identification_rate_per_year=0",
           "places.4.ngo_identification_rate_per_year=0",
           "places.5.police_identification_rate_per_year=0",
           "places.5.ngo_identification_rate_per_year=0", "exploitation.escape_rate_per_year=0",
           "routes.0.screening_probability=0", "routes.2.screening_probability=0"});
  EXPECT_EQ(total(r, Total::exit_identified), 0);
  EXPECT_EQ(total(r, Total::exit_escaped), 0);
  EXPECT_EQ(total(r, Total::sheltered), 0);
}

TEST(Behaviour, IdentificationRisesWithPolicePresence) {
  std::int64_t low = 0, high = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    low += total(run({}, seed), Total::exit_identified);
    high += total(run({"places.4.police_identification_rate_per_year=1.0",
                       "places.5.police_identification_rate_per_year=1.0"},
                      seed),
                  Total::exit_identified);
  }
  EXPECT_GT(high, 3 * low);
}

TEST(Behaviour, ArrestsLeadToReplacementAndCourtsConvictWithinCapacity) {
  const auto r = run({"prosecution.madam_arrest_given_identification=1",
                      "places.4.police_identification_rate_per_year=1.0",
                      "prosecution.court_cases_per_year=4", "prosecution.investigation_days=10"});
  EXPECT_GT(total(r, Total::arrests), 0);
  EXPECT_GT(total(r, Total::replacements), 0);
  const double years = static_cast<double>(r.days.size()) / 365.25;
  EXPECT_LE(static_cast<double>(total(r, Total::convictions) + total(r, Total::acquittals)),
            4 * years + 1);
}

TEST(Behaviour, TestimonyDecidesConvictions) {
  // Convictions happen only with testimony here: none without it, some with it.
  const std::vector<std::string> base = {
      "prosecution.madam_arrest_given_identification=1", "prosecution.conviction_probability=0",
      "prosecution.conviction_with_testimony=1", "prosecution.investigation_days=10",
      "places.4.police_identification_rate_per_year=1.0"};
  auto with = base;
  with.push_back("protection.testimony_probability=1");
  auto without = base;
  without.push_back("protection.testimony_probability=0");
  EXPECT_EQ(total(run(without), Total::convictions), 0);
  EXPECT_GT(total(run(with), Total::convictions), 0);
}

TEST(Behaviour, WomenWhoMoveAfterRepayingGoToAnotherSite) {
  const auto scenario = load_small({"freed.stay=0", "freed.move_site=1", "freed.leave_region=0",
                                    "freed.return_home=0", "freed.become_madam=0"});
  Simulation sim(scenario.spec, 9);
  std::map<PersonId, std::int32_t> repaid_at;
  const auto& people = sim.world().people;
  int moved = 0;
  while (sim.step()) {
    for (const Event& e : sim.record().events)
      if (e.type == static_cast<std::uint8_t>(EventType::repaid) && e.day == sim.today().days - 1)
        repaid_at[sim.row_of(e.person)] = e.place;
    for (auto it = repaid_at.begin(); it != repaid_at.end();) {
      ASSERT_EQ(people.status[it->first], Status::free_wecs);
      EXPECT_NE(people.place[it->first], it->second);
      ++moved;
      it = repaid_at.erase(it);
    }
  }
  EXPECT_GT(moved, 10);
}

TEST(Behaviour, ShelterOccupancyNeverExceedsBeds) {
  const auto r =
      run({"protection.shelter_beds=3", "places.4.police_identification_rate_per_year=1.0"});
  for (std::size_t s = 0; s < r.days.size(); ++s)
    ASSERT_LE(r.totals[s * kTotalCount + static_cast<std::size_t>(Total::shelter_occupancy)], 3);
  EXPECT_GT(total(r, Total::sheltered), 3);
}

TEST(Behaviour, ObservationAgreesWithTheSnapshotOfTheSameDay) {
  // The small corridor observes and snapshots on 2021-06-01: counting the snapshot by hand
  // (ages in completed years, 18 to 30) must give the observation's numbers.
  const auto r = run({});
  ASSERT_EQ(r.observations.size(), 1u);
  ASSERT_EQ(r.snapshots.size(), 1u);
  const Snapshot& snap = r.snapshots[0];
  std::int64_t wecs = 0, trafficked = 0, victims = 0;
  for (std::size_t i = 0; i < snap.person.size(); ++i) {
    const auto status = static_cast<Status>(snap.status[i]);
    if (status != Status::exploited && status != Status::free_wecs) continue;
    const bool in_band = snap.age_years[i] >= 18.0f && snap.age_years[i] < 31.0f;
    wecs += in_band;
    trafficked += in_band && status == Status::exploited;
    victims += status == Status::exploited;
  }
  const Observation& o = r.observations[0];
  std::int64_t obs_wecs = 0, obs_trafficked = 0, obs_victims = 0;
  for (auto n : o.wecs_18_30) obs_wecs += n;
  for (auto n : o.trafficked_18_30) obs_trafficked += n;
  for (auto n : o.victims_by_country) obs_victims += n;
  EXPECT_GT(wecs, 50);
  // Ages are stored as float in snapshots: allow a woman on a birthday boundary either way.
  EXPECT_NEAR(static_cast<double>(obs_wecs), static_cast<double>(wecs), 2.0);
  EXPECT_NEAR(static_cast<double>(obs_trafficked), static_cast<double>(trafficked), 2.0);
  EXPECT_EQ(obs_victims, victims);
}

TEST(Behaviour, IdleWomenCostNothing) {
  // Most persons are at-risk women at their origins; a step touches only the active ones,
  // and only the women an event reached have a row.
  const auto scenario = load_small();
  Simulation sim(scenario.spec, 5);
  for (int i = 0; i < 200; ++i) sim.step();
  EXPECT_LT(sim.active_persons() * 10, sim.population());
  EXPECT_GT(sim.at_risk_rows(), 0u);
  EXPECT_LT(sim.at_risk_rows() * 10, sim.world().at_risk_women);
  EXPECT_LT(sim.world().people.size() * 5, sim.population());
}

TEST(Behaviour, TenTimesTheIdleWomenCostNoMoreRows) {
  // Multiplying the women nobody approaches leaves the rows about where they were: the
  // recruiters' approaches, not the population, decide who gets a row.
  const auto base = load_small();
  const auto many =
      load_small({"places.Edo.at_risk_women=40000", "places.Kayes.at_risk_women=20000"});
  Simulation a(base.spec, 5);
  Simulation b(many.spec, 5);
  for (int i = 0; i < 300; ++i) {
    a.step();
    b.step();
  }
  EXPECT_NEAR(b.world().at_risk_women, 10.0 * a.world().at_risk_women, 10.0);  // rounding
  EXPECT_LT(static_cast<double>(b.world().people.size()),
            1.3 * static_cast<double>(a.world().people.size()));
}

}  // namespace
}  // namespace tipsim::model
