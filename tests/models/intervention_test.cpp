// Interventions on the small corridor: zero intensity and empty targets change nothing, each
// type moves its outcome the expected way, spend adds up, triggers fire on the right day,
// and a run is identical to the run without an intervention until the day it starts.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "model_test_support.hpp"

namespace tipsim::model {
namespace {

using testing::total;

struct Run {
  RunRecord record;
  ScenarioSpec spec;
};

Run run(const std::string& interventions, std::uint64_t seed = 7,
        const std::vector<std::string>& overrides = {}) {
  const auto scenario = testing::load_small(
      overrides, interventions.empty() ? "" : "interventions:\n" + interventions);
  Simulation sim(scenario.spec, seed);
  sim.run();
  return {sim.record(), sim.spec()};
}

/// Everything the model records, apart from the interventions' own series.
void expect_same_model(const RunRecord& a, const RunRecord& b, const std::string& what) {
  EXPECT_EQ(a.days, b.days) << what;
  EXPECT_EQ(a.totals, b.totals) << what;
  EXPECT_EQ(a.by_site, b.by_site) << what;
  EXPECT_EQ(a.site_demand, b.site_demand) << what;
  ASSERT_EQ(a.events.size(), b.events.size()) << what;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const Event& x = a.events[i];
    const Event& y = b.events[i];
    ASSERT_TRUE(x.day == y.day && x.type == y.type && x.person == y.person && x.place == y.place &&
                x.other == y.other && x.value_fcfa == y.value_fcfa)
        << what << ": event " << i;
  }
  ASSERT_EQ(a.observations.size(), b.observations.size());
  for (std::size_t i = 0; i < a.observations.size(); ++i)
    EXPECT_EQ(a.observations[i].trafficked_18_30, b.observations[i].trafficked_18_30) << what;
}

/// Series `s` of intervention `i`, per step.
std::vector<std::int64_t> series(const Run& r, std::size_t i, InterventionSeries s) {
  const std::size_t n = r.spec.interventions.size();
  std::vector<std::int64_t> out;
  for (std::size_t t = 0; t < r.record.days.size(); ++t)
    out.push_back(
        r.record
            .interventions[(t * kInterventionSeriesCount + static_cast<std::size_t>(s)) * n + i]);
  return out;
}

std::int64_t sum(const std::vector<std::int64_t>& v) {
  std::int64_t s = 0;
  for (auto x : v) s += x;
  return s;
}

std::int64_t sum(const Run& r, std::size_t i, InterventionSeries s) {
  return sum(series(r, i, s));
}

// One intervention of each type at zero intensity, with per-unit costs.
const std::vector<std::string> kZeroIntensity = {
    "  - {name: a, type: awareness_campaign, reach_per_year: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: economic_empowerment, enrolled_per_year: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: vigilance_committees, committees: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: demand_reduction, demand_reduction: 0, cost: {per_unit_fcfa: 0}}\n",
    "  - {name: a, type: border_screening, screening_probability: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: training, officers: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: site_raids, raids_per_year: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: network_disruption, operations_per_year: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: shelter_care, beds: 0, cost: {per_unit_fcfa: 100}}\n",
    "  - {name: a, type: repatriation, interval_days: 30, batch_max: 0, cost: {per_unit_fcfa: "
    "100}}\n",
    "  - {name: a, type: cross_border_cooperation, origin_interception_probability: 0, "
    "transit_interception_probability: 0, operations_per_year: 0, cost: {per_unit_fcfa: 100}}\n",
};

// One intervention of each type, strong, aimed at an empty target.
const std::vector<std::string> kEmptyTarget = {
    "  - {name: a, type: awareness_campaign, reach_per_year: 5000, target: {origins: []}}\n",
    "  - {name: a, type: economic_empowerment, enrolled_per_year: 5000, target: {origins: []}}\n",
    "  - {name: a, type: vigilance_committees, committees: 10, target: {sites: []}}\n",
    "  - {name: a, type: demand_reduction, demand_reduction: 0.5, target: {sites: []}}\n",
    "  - {name: a, type: border_screening, screening_probability: 0.5, target: {edges: []}}\n",
    "  - {name: a, type: training, officers: 50, target: {sites: []}}\n",
    "  - {name: a, type: site_raids, raids_per_year: 6, target: {sites: []}}\n",
    "  - {name: a, type: network_disruption, operations_per_year: 12, target: {sites: [], "
    "origins: []}}\n",
    "  - {name: a, type: shelter_care, beds: 20, target: {nationalities: []}}\n",
    "  - {name: a, type: repatriation, interval_days: 30, batch_max: 30, target: "
    "{nationalities: []}}\n",
    "  - {name: a, type: cross_border_cooperation, origin_interception_probability: 0.5, "
    "transit_interception_probability: 0.5, operations_per_year: 12, target: {origins: [], "
    "edges: []}}\n",
};

TEST(Interventions, ZeroIntensityChangesNothing) {
  const auto none = run("");
  for (const auto& text : kZeroIntensity) {
    const auto with = run(text);
    expect_same_model(none.record, with.record, text);
    EXPECT_EQ(sum(with, 0, InterventionSeries::spend_fcfa), 0) << text;
    EXPECT_EQ(sum(with, 0, InterventionSeries::active),
              static_cast<std::int64_t>(with.record.days.size()))
        << text;
  }
}

TEST(Interventions, EmptyTargetChangesNothing) {
  // Many identifications, so that trials (and the training's effect on them) happen.
  const std::vector<std::string> o = {"places.4.police_identification_rate_per_year=1"};
  const auto none = run("", 7, o);
  for (const auto& text : kEmptyTarget) {
    const auto with =
        run(text.substr(0, text.size() - 2) + ", cost: {per_unit_fcfa: 100}}\n", 7, o);
    expect_same_model(none.record, with.record, text);
    EXPECT_EQ(sum(with, 0, InterventionSeries::spend_fcfa), 0) << text;
  }
}

/// Totals summed over seeds 1..4, without and with `text`.
struct Effect {
  std::int64_t without = 0;
  std::int64_t with = 0;
};
Effect effect(const std::string& text, Total t, const std::vector<std::string>& overrides = {}) {
  Effect e;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    e.without += total(run("", seed, overrides).record, t);
    e.with += total(run(text, seed, overrides).record, t);
  }
  return e;
}

TEST(Interventions, AwarenessLowersRecruitment) {
  // Recruiters approach a limited number of women a day: when most refuse, fewer are won.
  const auto e = effect(
      "  - {name: a, type: awareness_campaign, reach_per_year: 20000, acceptance_odds_ratio: "
      "0.05, awareness_days: 3650, word_of_mouth_probability: 0.3}\n",
      Total::recruited, {"recruitment.approaches_per_day=0.2"});
  EXPECT_LT(e.with, e.without);
}

TEST(Interventions, AwarenessSpreadsByWordOfMouth) {
  const auto r = run(
      "  - {name: a, type: awareness_campaign, reach_per_year: 1000, word_of_mouth_probability: "
      "0.5}\n");
  EXPECT_GT(sum(r, 0, InterventionSeries::secondary_reached), 0);
  const auto silent = run(
      "  - {name: a, type: awareness_campaign, reach_per_year: 1000, word_of_mouth_probability: "
      "0}\n");
  EXPECT_EQ(sum(silent, 0, InterventionSeries::secondary_reached), 0);
}

TEST(Interventions, EmpowermentLowersRecruitment) {
  const auto e = effect(
      "  - {name: a, type: economic_empowerment, enrolled_per_year: 20000, "
      "poverty_exit_probability: 1, acceptance_odds_ratio: 0.05}\n",
      Total::recruited, {"recruitment.approaches_per_day=0.2"});
  EXPECT_LT(e.with, e.without);
}

TEST(Interventions, CommitteesIdentifyAndHelpVictimsEscape) {
  const std::string text =
      "  - {name: a, type: vigilance_committees, committees: 6, identification_rate_per_year: "
      "0.3, escape_support_rate_per_year: 0.1}\n";
  const auto e = effect(text, Total::exit_identified);
  EXPECT_GT(e.with, e.without);
  EXPECT_GT(effect(text, Total::exit_escaped_assisted).with, 0);
  const auto days = effect(text, Total::victim_days_exploited);
  EXPECT_LT(days.with, days.without);
}

TEST(Interventions, CommitteesRampUpToTheirNumber) {
  const auto r =
      run("  - {name: a, type: vigilance_committees, committees: 5, ramp_days: 100, start: "
          "2020-02-01}\n");
  const auto reached = series(r, 0, InterventionSeries::reached);
  EXPECT_EQ(sum(reached), 5);
  // Day 20 of the ramp holds floor(5 * 20 / 100) = 1 committee; the fifth on day 100.
  const std::size_t start = 31;
  std::int64_t formed = 0;
  for (std::size_t t = 0; t < start + 19; ++t) formed += reached[t];
  EXPECT_EQ(formed, 0);
  EXPECT_EQ(reached[start + 19], 1);
  EXPECT_EQ(reached[start + 99], 1);
}

TEST(Interventions, DemandReductionLowersDemandAndRecruitment) {
  const auto with = run("  - {name: a, type: demand_reduction, demand_reduction: 0.5}\n");
  const auto without = run("");
  for (std::size_t k = 0; k < with.record.site_demand.size(); ++k)
    EXPECT_NEAR(with.record.site_demand[k], without.record.site_demand[k] * 0.5,
                1e-9 * without.record.site_demand[k]);
  EXPECT_LT(effect("  - {name: a, type: demand_reduction, demand_reduction: 0.5}\n",
                   Total::arrived_at_sites)
                .with,
            effect("", Total::arrived_at_sites).without);
}

TEST(Interventions, BorderScreeningInterceptsGroups) {
  const std::string text =
      "  - {name: a, type: border_screening, screening_probability: 0.5, bribe_resistance: 1, "
      "target: {edges: [Bamako -> Moussala]}}\n";
  const auto e = effect(text, Total::exit_intercepted_in_transit);
  EXPECT_GT(e.with, e.without);
  EXPECT_LT(effect(text, Total::arrived_at_sites).with,
            effect(text, Total::arrived_at_sites).without);
}

TEST(Interventions, BribesLowerScreening) {
  const auto strict =
      run("  - {name: a, type: border_screening, screening_probability: 0.5, bribe_resistance: 1, "
          "target: {edges: [Edo -> Bamako]}}\n",
          7, {"routes.0.bribe_effect=1"});
  const auto bribable =
      run("  - {name: a, type: border_screening, screening_probability: 0.5, bribe_resistance: 0, "
          "target: {edges: [Edo -> Bamako]}}\n",
          7, {"routes.0.bribe_effect=1"});
  EXPECT_GT(sum(strict, 0, InterventionSeries::identified), 0);
  EXPECT_EQ(sum(bribable, 0, InterventionSeries::identified), 0);
}

TEST(Interventions, TrainingRaisesIdentificationAndConvictions) {
  const std::string text =
      "  - {name: a, type: training, officers: 40, identification_gain_per_officer: 0.5, "
      "conviction_odds_ratio: 20}\n";
  EXPECT_GT(effect(text, Total::exit_identified).with,
            effect(text, Total::exit_identified).without);
  EXPECT_GT(effect(text, Total::convictions).with, effect(text, Total::convictions).without);
}

TEST(Interventions, RaidsIdentifyArrestAndDisplace) {
  const auto r =
      run("  - {name: a, type: site_raids, raids_per_year: 12, search_share: 0.5, "
          "madam_arrest_probability: 1, displacement_probability: 1, leak_probability: 0, "
          "target: {sites: [Khossanto]}}\n");
  EXPECT_GT(sum(r, 0, InterventionSeries::identified), 0);
  EXPECT_EQ(sum(r, 0, InterventionSeries::identified), sum(r, 0, InterventionSeries::removed));
  EXPECT_GT(sum(r, 0, InterventionSeries::arrests), 0);
  std::int64_t moved = 0;
  for (const Event& e : r.record.events)
    moved += e.type == static_cast<std::uint8_t>(EventType::house_moved) ? 1 : 0;
  EXPECT_GT(moved, 0);
}

TEST(Interventions, NetworkDisruptionArrestsMembers) {
  for (const char* targeting : {"betweenness", "degree", "random"}) {
    const auto r = run(std::string("  - {name: a, type: network_disruption, operations_per_year: "
                                   "24, arrest_probability: 1, targeting: ") +
                       targeting + "}\n");
    // Every operation that finds somebody to aim at ends in an arrest.
    EXPECT_EQ(sum(r, 0, InterventionSeries::arrests), sum(r, 0, InterventionSeries::reached))
        << targeting;
    EXPECT_GT(sum(r, 0, InterventionSeries::arrests), 20) << targeting;
  }
}

TEST(Interventions, ShelterCareTakesWomenTheStatusQuoCannot) {
  const std::string text = "  - {name: a, type: shelter_care, beds: 10, care_days: 60}\n";
  const auto e = effect(text, Total::sheltered, {"protection.shelter_beds=0"});
  EXPECT_EQ(e.without, 0);
  EXPECT_GT(e.with, 0);
}

TEST(Interventions, ShelterCareLowersReTrafficking) {
  const std::string text =
      "  - {name: a, type: shelter_care, beds: 50, acceptance_odds_ratio: 0.01}\n";
  const std::vector<std::string> o = {"protection.shelter_beds=0",
                                      "recruitment.retrafficking_odds_ratio=20",
                                      "places.4.police_identification_rate_per_year=1"};
  EXPECT_LT(effect(text, Total::re_trafficked, o).with,
            effect(text, Total::re_trafficked, o).without);
}

TEST(Interventions, RepatriationBatchesOnTheirDates) {
  const auto r =
      run("  - {name: a, type: repatriation, dates: [2020-09-01, 2021-03-01], batch_max: 100}\n", 7,
          {"protection.repatriation_interval_days=3650",
           "places.4.police_identification_rate_per_year=1"});
  const auto reached = series(r, 0, InterventionSeries::reached);
  const auto days = r.record.days;
  for (std::size_t t = 0; t < days.size(); ++t) {
    const bool batch =
        days[t] == Date::from_ymd(2020, 9, 1).days || days[t] == Date::from_ymd(2021, 3, 1).days;
    if (!batch) {
      EXPECT_EQ(reached[t], 0) << Date{days[t]}.iso();
    }
  }
  EXPECT_GT(sum(reached), 0);
}

TEST(Interventions, CrossBorderCooperationInterceptsAndArrestsRecruiters) {
  const auto r =
      run("  - {name: a, type: cross_border_cooperation, origin_interception_probability: 0.3, "
          "transit_interception_probability: 0.3, operations_per_year: 12, arrest_probability: 1, "
          "target: {origins: [Edo]}}\n");
  EXPECT_GT(sum(r, 0, InterventionSeries::identified), 0);
  EXPECT_GT(sum(r, 0, InterventionSeries::arrests), 0);
}

TEST(Interventions, GroupsStoppedAtTheirOriginGoHome) {
  const auto r =
      run("  - {name: a, type: cross_border_cooperation, origin_interception_probability: 1, "
          "target: {origins: [Edo]}}\n");
  const auto base = run("");
  std::int64_t stopped = 0;
  for (const Event& e : r.record.events) {
    if (e.type != static_cast<std::uint8_t>(EventType::intercepted)) continue;
    ++stopped;
    EXPECT_EQ(e.place, 0);  // Edo, the first place
  }
  EXPECT_GT(stopped, 0);
  // Sent home, not to the shelters at the sites.
  EXPECT_LE(total(r.record, Total::sheltered), total(base.record, Total::sheltered));
}

TEST(Interventions, TrainedOfficersKeepIdentifyingAfterTheProgrammeWhileInPost) {
  const std::string base =
      "  - {name: a, type: training, officers: 40, identification_gain_per_officer: 0.5, end: "
      "2020-03-31, turnover_per_year: ";
  const auto after = [&](const model::Run& r) {
    const auto identified = series(r, 0, InterventionSeries::identified);
    std::int64_t n = 0;
    for (std::size_t t = 0; t < identified.size(); ++t)
      if (r.record.days[t] >= Date::from_ymd(2020, 7, 1).days) n += identified[t];
    return n;
  };
  EXPECT_GT(after(run(base + "0}\n")), 0);     // they stay: their skills stay
  EXPECT_EQ(after(run(base + "1000}\n")), 0);  // they all leave within days
}

TEST(Interventions, BudgetStopsCommitteesForTheRestOfTheYear) {
  const auto r =
      run("  - {name: a, type: vigilance_committees, committees: 10, cost: {per_unit_fcfa: "
          "1000000, budget_per_year_fcfa: 2000000}}\n");
  const auto spend = series(r, 0, InterventionSeries::spend_fcfa);
  const auto active = series(r, 0, InterventionSeries::active);
  std::int64_t year_2020 = 0, active_2020 = 0;
  for (std::size_t t = 0; t < spend.size(); ++t)
    if (r.record.days[t] < Date::from_ymd(2021, 1, 1).days) {
      year_2020 += spend[t];
      active_2020 += active[t];
    }
  // Ten committees cost 10M a year: 2M lasts about 73 days, then they stop until January.
  EXPECT_GE(year_2020, 2000000);
  EXPECT_LT(year_2020, 2000000 + 10000000 / 365 + 2);
  EXPECT_NEAR(static_cast<double>(active_2020), 73.0, 1.0);
  EXPECT_EQ(active[366], 1);  // 2021-01-01: a new year's budget
}

TEST(Interventions, RepatriationDatesBeforeItsStartAreNotHeldLater) {
  const auto r =
      run("  - {name: a, type: repatriation, start: 2021-06-01, dates: [2020-03-01, 2021-01-15], "
          "batch_max: 100}\n",
          7,
          {"protection.repatriation_interval_days=3650",
           "places.4.police_identification_rate_per_year=1"});
  EXPECT_EQ(sum(r, 0, InterventionSeries::reached), 0);
}

TEST(Interventions, WordOfMouthStopsWithTheCampaignAndKeepsToItsTarget) {
  const auto r = run(
      "  - {name: a, type: awareness_campaign, reach_per_year: 20000, word_of_mouth_probability: "
      "0.9, end: 2020-01-31, target: {age_min: 20, age_max: 22}}\n");
  const auto told = series(r, 0, InterventionSeries::secondary_reached);
  std::int64_t after_end = 0;
  for (std::size_t t = 31; t < told.size(); ++t) after_end += told[t];
  EXPECT_GT(sum(told), 0);
  EXPECT_EQ(after_end, 0);
}

TEST(Interventions, RaidsArrestOnlyByTheirOwnRule) {
  const auto r =
      run("  - {name: a, type: site_raids, raids_per_year: 12, search_share: 0.5, "
          "madam_arrest_probability: 0}\n",
          7, {"prosecution.madam_arrest_given_identification=1"});
  EXPECT_GT(sum(r, 0, InterventionSeries::identified), 0);
  EXPECT_EQ(sum(r, 0, InterventionSeries::arrests), 0);
}

TEST(Interventions, AWomanIsEnrolledOnce) {
  const auto scenario = testing::load_small(
      {}, "interventions:\n  - {name: a, type: economic_empowerment, enrolled_per_year: 200000}\n");
  Simulation sim(scenario.spec, 7);
  sim.run();
  std::uint32_t women = 0;
  for (const Origin& o : sim.world().origins) women += o.women;
  const std::size_t n = scenario.spec.interventions.size();
  std::int64_t reached = 0;
  const auto& rec = sim.record().interventions;
  for (std::size_t t = 0; t < sim.record().days.size(); ++t)
    reached +=
        rec[(t * kInterventionSeriesCount + static_cast<std::size_t>(InterventionSeries::reached)) *
            n];
  // About 200,000 draws among the women of the origins: nearly all are enrolled, once.
  EXPECT_LE(reached, static_cast<std::int64_t>(women));
  EXPECT_GT(reached, static_cast<std::int64_t>(women) / 2);
}

TEST(Interventions, MovedHousesTakeTheirMadams) {
  const auto scenario =
      testing::load_small({},
                          "interventions:\n  - {name: a, type: site_raids, raids_per_year: 24, "
                          "displacement_probability: 1, madam_arrest_probability: 0}\n");
  Simulation sim(scenario.spec, 7);
  sim.run();
  const World& w = sim.world();
  std::size_t checked = 0;
  for (const House& h : w.houses) {
    if (h.madam == kNoPerson || h.closed) continue;
    EXPECT_EQ(w.people.place[h.madam], w.sites[h.site].place);
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(Interventions, SpendOfEveryTypeIsFixedCostPlusUnitsTimesUnitCost) {
  const std::string cost = ", cost: {fixed_per_year_fcfa: 1000003, per_unit_fcfa: 7001}}\n";
  const std::vector<std::string> every_type = {
      "  - {name: a, type: awareness_campaign, reach_per_year: 3000, end: 2021-02-10",
      "  - {name: a, type: economic_empowerment, enrolled_per_year: 500",
      "  - {name: a, type: vigilance_committees, committees: 4, ramp_days: 50",
      "  - {name: a, type: demand_reduction, demand_reduction: 0.2, start: 2020-03-03",
      "  - {name: a, type: border_screening, screening_probability: 0.5",
      "  - {name: a, type: training, officers: 37, ramp_days: 200",
      "  - {name: a, type: site_raids, raids_per_year: 6",
      "  - {name: a, type: network_disruption, operations_per_year: 12",
      "  - {name: a, type: shelter_care, beds: 5",
      "  - {name: a, type: repatriation, interval_days: 30, batch_max: 10",
      "  - {name: a, type: cross_border_cooperation, origin_interception_probability: 0.3, "
      "operations_per_year: 12",
  };
  for (const auto& text : every_type) {
    const auto r = run(text + cost, 7,
                       {"protection.shelter_beds=0", "protection.repatriation_interval_days=3650",
                        "places.4.police_identification_rate_per_year=1"});
    const auto& s = r.spec.interventions[0];
    const auto active = static_cast<double>(sum(r, 0, InterventionSeries::active));
    const std::int64_t units = sum(r, 0, InterventionSeries::units);
    EXPECT_GT(units, 0) << text;
    const double fixed = static_cast<double>(s.cost.fixed_per_year_fcfa) * active / 365.25;
    const auto unit = static_cast<double>(s.cost.per_unit_fcfa);
    // Committees and miners cost per year: their units are unit-days, accrued with the
    // fixed cost; every other unit is bought whole.
    const bool per_year = s.type == InterventionType::vigilance_committees ||
                          s.type == InterventionType::demand_reduction;
    const std::int64_t expected =
        per_year ? std::llround(fixed + unit * static_cast<double>(units) / 365.25)
                 : std::llround(fixed) + s.cost.per_unit_fcfa * units;
    EXPECT_EQ(sum(r, 0, InterventionSeries::spend_fcfa), expected) << text;
  }
}

TEST(Interventions, CommitteeDaysFollowTheRamp) {
  const auto r = run("  - {name: a, type: vigilance_committees, committees: 4, ramp_days: 50}\n");
  std::int64_t formed = 0;
  const auto reached = series(r, 0, InterventionSeries::reached);
  const auto units = series(r, 0, InterventionSeries::units);
  for (std::size_t t = 0; t < units.size(); ++t) {
    formed += reached[t];
    ASSERT_EQ(units[t], formed) << t;
  }
  EXPECT_EQ(formed, 4);
}

TEST(Interventions, BudgetCapsSpendAndActivity) {
  const std::string base =
      "  - {name: a, type: awareness_campaign, reach_per_year: 5000, cost: {per_unit_fcfa: 1000";
  const auto capped = run(base + ", budget_per_year_fcfa: 300000}}\n");
  const auto free = run(base + "}}\n");
  const auto spend = series(capped, 0, InterventionSeries::spend_fcfa);
  std::int64_t year_2020 = 0;
  for (std::size_t t = 0; t < capped.record.days.size(); ++t)
    if (capped.record.days[t] < Date::from_ymd(2021, 1, 1).days) year_2020 += spend[t];
  EXPECT_EQ(year_2020, 300000);  // 300 women a year at 1,000 FCFA each, exactly the cap
  EXPECT_EQ(sum(capped, 0, InterventionSeries::reached), 600);
  EXPECT_GT(sum(free, 0, InterventionSeries::reached), 600);
}

TEST(Interventions, TriggerFiresOnTheFirstCheckWhereTheIndicatorHolds) {
  // Checked every 30 days from the start; no record exists on day 0, so the first check
  // that can fire is day 30.
  const auto r =
      run("  - name: a\n    type: training\n    officers: 1\n"
          "    trigger: {indicator: trafficked_at_sites, above: 0, check_every_days: 30}\n");
  const auto active = series(r, 0, InterventionSeries::active);
  for (std::size_t t = 0; t < 30; ++t) EXPECT_EQ(active[t], 0) << t;
  for (std::size_t t = 30; t < active.size(); ++t) ASSERT_EQ(active[t], 1) << t;
  const auto never =
      run("  - name: a\n    type: training\n    officers: 1\n"
          "    trigger: {indicator: trafficked_at_sites, below: 0}\n");
  EXPECT_EQ(sum(never, 0, InterventionSeries::active), 0);
  expect_same_model(run("").record, never.record, "a trigger that never fires");
}

TEST(Interventions, TriggersFireOnTheSameDayForEveryType) {
  for (const auto& name : kInterventionTypeNames) {
    const auto r = run("  - name: a\n    type: " + std::string(name) +
                       "\n    start: 2020-01-06\n"
                       "    trigger: {indicator: exit_repaid, above: -1, check_every_days: 45}\n");
    const auto active = series(r, 0, InterventionSeries::active);
    for (std::size_t t = 0; t < active.size(); ++t)
      ASSERT_EQ(active[t], t >= 5 ? 1 : 0) << name << t;
  }
}

TEST(Interventions, RepeatingTriggerRunsSpellsOfItsDuration) {
  const auto r =
      run("  - name: a\n    type: training\n    officers: 1\n    start: 2020-01-11\n"
          "    trigger: {indicator: recruited, above: -1, check_every_days: 20, duration_days: 5, "
          "repeat: true}\n");
  const auto active = series(r, 0, InterventionSeries::active);
  // Checks on days 10, 30, 50, ... of the run; each fires and holds for 5 days.
  for (std::size_t t = 0; t < active.size(); ++t) {
    const bool on = t >= 10 && (t - 10) % 20 < 5;
    ASSERT_EQ(active[t], on ? 1 : 0) << t;
  }
}

TEST(Interventions, ARunIsIdenticalToTheBaseUntilTheDayInterventionsStart) {
  const std::string every_type =
      "  - {name: raids, type: site_raids, raids_per_year: 12, start: 2021-01-01}\n"
      "  - {name: committees, type: vigilance_committees, committees: 4, start: 2021-01-01}\n"
      "  - {name: aware, type: awareness_campaign, reach_per_year: 5000, start: 2021-01-01}\n"
      "  - {name: demand, type: demand_reduction, demand_reduction: 0.3, start: 2021-01-01}\n"
      "  - {name: screen, type: border_screening, screening_probability: 0.5, start: "
      "2021-01-01}\n"
      "  - {name: net, type: network_disruption, operations_per_year: 12, start: 2021-01-01}\n"
      "  - {name: xb, type: cross_border_cooperation, origin_interception_probability: 0.3, "
      "start: 2021-01-01}\n"
      "  - {name: train, type: training, officers: 30, start: 2021-01-01}\n"
      "  - {name: empower, type: economic_empowerment, enrolled_per_year: 3000, start: "
      "2021-01-01}\n"
      "  - {name: beds, type: shelter_care, beds: 10, start: 2021-01-01}\n"
      "  - {name: batches, type: repatriation, interval_days: 20, batch_max: 9, start: "
      "2021-01-01}\n";
  const auto base = run("");
  const auto other = run(every_type);
  const std::int32_t d = Date::from_ymd(2021, 1, 1).days;
  std::size_t first_differing = base.record.days.size();
  for (std::size_t t = 0; t < base.record.days.size(); ++t) {
    const auto row = [&](const RunRecord& r) {
      return std::vector<std::int64_t>(
          r.totals.begin() + static_cast<std::ptrdiff_t>(t * kTotalCount),
          r.totals.begin() + static_cast<std::ptrdiff_t>((t + 1) * kTotalCount));
    };
    if (row(base.record) != row(other.record)) {
      first_differing = t;
      break;
    }
  }
  ASSERT_LT(first_differing, base.record.days.size()) << "the interventions changed nothing";
  EXPECT_GE(base.record.days[first_differing], d);
  for (std::size_t e = 0; e < base.record.events.size() && base.record.events[e].day < d; ++e)
    ASSERT_EQ(base.record.events[e].person, other.record.events[e].person) << e;
}

TEST(Interventions, StreamsAreKeyedByNameNotByPosition) {
  const std::string raids =
      "  - {name: raids, type: site_raids, raids_per_year: 12, target: {sites: [Khossanto]}}\n";
  const std::string aware =
      "  - {name: aware, type: awareness_campaign, reach_per_year: 5000, acceptance_odds_ratio: "
      "1}\n";
  const auto ab = run(raids + aware);
  const auto ba = run(aware + raids);
  expect_same_model(ab.record, ba.record, "reordered");
  EXPECT_EQ(series(ab, 0, InterventionSeries::identified),
            series(ba, 1, InterventionSeries::identified));
}

TEST(Interventions, ThreadCountDoesNotChangeARunWithEveryType) {
  std::string all;
  for (std::size_t i = 0; i < kZeroIntensity.size(); ++i) {
    std::string text = kEmptyTarget[i];
    const auto at = text.find(", target:");
    text = text.substr(0, at) + "}\n";
    text.replace(text.find("name: a"), 7, "name: n" + std::to_string(i));
    all += text;
  }
  RunRecord one;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = run(all).record;
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
  const auto four = run(all).record;
  expect_same_model(one, four, "1 vs 4 threads");
  EXPECT_EQ(one.interventions, four.interventions);
}

}  // namespace
}  // namespace tipsim::model

namespace tipsim::model {
namespace {

TEST(Interventions, RowsForWomenAProgrammeReachedShiftNobodyElsesDraws) {
  // An awareness campaign that changes nothing women do still gives each woman it reaches
  // a row. Every person's draws (and her id in the file) are keyed by her draw key, not her
  // row, so those extra rows must leave the rest of the run exactly as it was.
  const std::string inert =
      "  - {name: inert, type: awareness_campaign, reach_per_year: 20000, "
      "acceptance_odds_ratio: 1, word_of_mouth_probability: 0}\n";
  const auto with = run(inert);
  const auto without = run("");
  const auto reached = series(with, 0, InterventionSeries::reached);
  ASSERT_GT(std::accumulate(reached.begin(), reached.end(), std::int64_t{0}), 100);
  expect_same_model(with.record, without.record, "an inert campaign");
}

}  // namespace
}  // namespace tipsim::model
