#include "analysis/summary.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "run_file_support.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

namespace fs = std::filesystem;

using testing_support::day;
using testing_support::flow_sum;
using testing_support::flow_value;
using testing_support::RunSpec;
using testing_support::stock_value;
using testing_support::TempDirTest;

class SummaryTest : public TempDirTest {
 protected:
  fs::path run(const RunSpec& spec = {}) { return write(spec, "run.h5"); }
};

TEST_F(SummaryTest, ReadsHeader) {
  RunSpec spec;
  spec.seed_bits = -1;  // the int64 bit pattern of the largest unsigned seed
  const Summary s = summarize(run(spec));
  EXPECT_EQ(s.scenario, "test run");
  EXPECT_EQ(s.seed, 18446744073709551615ULL);
  EXPECT_EQ(s.replicate, 3);
  EXPECT_EQ(s.step_days, 1);
  EXPECT_EQ(s.start, day("2020-01-01"));
  EXPECT_EQ(s.end, day("2020-01-10"));
}

TEST_F(SummaryTest, DefaultWindowIsWholeRun) {
  const Summary s = summarize(run());
  EXPECT_EQ(s.from, day("2020-01-01"));
  EXPECT_EQ(s.to, day("2020-01-10"));
  EXPECT_EQ(s.totals.steps, 10);
  EXPECT_EQ(s.totals.recruited, flow_sum("recruited", 0, 9));
  EXPECT_EQ(s.totals.recruited, 55);
  EXPECT_EQ(s.totals.debt_paid_fcfa, flow_sum("debt_paid_fcfa", 0, 9));
  EXPECT_EQ(s.at_end.date, day("2020-01-10"));
  EXPECT_EQ(s.at_end.wecs, stock_value("wecs", 9));
}

TEST_F(SummaryTest, TotalsIncludeBothWindowEdges) {
  const Summary s = summarize(run(), {day("2020-01-03"), day("2020-01-05")});
  EXPECT_EQ(s.totals.steps, 3);
  const auto sum = [](const char* name) { return flow_sum(name, 2, 4); };
  EXPECT_EQ(s.totals.recruited, 3 + 4 + 5);
  EXPECT_EQ(s.totals.recruited, sum("recruited"));
  EXPECT_EQ(s.totals.arrived_at_sites, sum("arrived_at_sites"));
  EXPECT_EQ(s.totals.voluntary_arrivals, sum("voluntary_arrivals"));
  EXPECT_EQ(s.totals.exits.repaid, sum("exit_repaid"));
  EXPECT_EQ(s.totals.exits.escaped, sum("exit_escaped"));
  EXPECT_EQ(s.totals.exits.identified, sum("exit_identified"));
  EXPECT_EQ(s.totals.exits.intercepted_in_transit, sum("exit_intercepted_in_transit"));
  EXPECT_EQ(s.totals.exits.aged_out, sum("exit_aged_out"));
  EXPECT_EQ(s.totals.exits.died, sum("exit_died"));
  EXPECT_EQ(s.totals.sheltered, sum("sheltered"));
  EXPECT_EQ(s.totals.repatriated, sum("repatriated"));
  EXPECT_EQ(s.totals.reintegrated, sum("reintegrated"));
  EXPECT_EQ(s.totals.arrests, sum("arrests"));
  EXPECT_EQ(s.totals.convictions, sum("convictions"));
  EXPECT_EQ(s.totals.became_madam, sum("became_madam"));
  EXPECT_EQ(s.totals.replacements, sum("replacements"));
  EXPECT_EQ(s.totals.victim_days_exploited, sum("victim_days_exploited"));
  EXPECT_EQ(s.totals.debt_imposed_fcfa, sum("debt_imposed_fcfa"));
  EXPECT_EQ(s.totals.debt_paid_fcfa, sum("debt_paid_fcfa"));

  const StocksAtEnd& e = s.at_end;
  EXPECT_EQ(e.date, day("2020-01-05"));
  EXPECT_EQ(e.wecs, stock_value("wecs", 4));
  EXPECT_EQ(e.wecs_18_30, stock_value("wecs_18_30", 4));
  EXPECT_EQ(e.trafficked_at_sites, stock_value("trafficked_at_sites", 4));
  EXPECT_EQ(e.in_transit, stock_value("in_transit", 4));
  EXPECT_EQ(e.shelter_occupancy, stock_value("shelter_occupancy", 4));
  EXPECT_EQ(e.debt_outstanding_fcfa, stock_value("debt_outstanding_fcfa", 4));
  EXPECT_EQ(e.houses_open, stock_value("houses_open", 4));
}

// Rows 2 to 4 in the window: each flow k sums to (k + 1) * (3 + 4 + 5) = 12 * (k + 1).
TEST_F(SummaryTest, DerivedTotalsAddTheirParts) {
  const Summary s = summarize(run(), {day("2020-01-03"), day("2020-01-05")});
  const WindowTotals& t = s.totals;
  const auto sum = [](const char* name) { return flow_sum(name, 2, 4); };
  EXPECT_EQ(t.exits.escaped_assisted, sum("exit_escaped_assisted"));
  EXPECT_EQ(t.exits.escaped_assisted, 12 * 20);
  EXPECT_EQ(t.re_trafficked, sum("re_trafficked"));
  EXPECT_EQ(t.re_trafficked, 12 * 21);
  // identified (6th flow) + intercepted (7th)
  EXPECT_EQ(t.rescued_identified(), 12 * 6 + 12 * 7);
  // ... + helped to escape (20th)
  EXPECT_EQ(t.victims_removed(), 12 * 6 + 12 * 7 + 12 * 20);
  // repatriated (11th) + reintegrated (12th)
  EXPECT_EQ(t.repatriated_or_reintegrated(), 12 * 11 + 12 * 12);
  EXPECT_EQ(t.sheltered, 12 * 10);
}

// Rows 2 to 4: series k of intervention i sums to 3 * (k + 1) * 1000 * (i + 1) + 2 + 3 + 4.
TEST_F(SummaryTest, InterventionTotalsOverTheWindow) {
  const Summary s = summarize(run(), {day("2020-01-03"), day("2020-01-05")});
  ASSERT_EQ(s.interventions.size(), 2U);
  const InterventionTotals& raids = s.interventions[0];
  EXPECT_EQ(raids.name, "raids");
  EXPECT_EQ(raids.type, "site_raids");
  EXPECT_EQ(raids.reached, 3 * 2000 + 9);
  EXPECT_EQ(raids.victims_removed, 3 * 5000 + 9);
  EXPECT_EQ(raids.arrests, 3 * 6000 + 9);
  EXPECT_EQ(raids.spend_fcfa, 3 * 7000 + 9);
  const InterventionTotals& care = s.interventions[1];
  EXPECT_EQ(care.name, "care");
  EXPECT_EQ(care.type, "shelter_care");
  EXPECT_EQ(care.reached, 3 * 4000 + 9);
  EXPECT_EQ(care.victims_removed, 3 * 10000 + 9);
  EXPECT_EQ(care.arrests, 3 * 12000 + 9);
  EXPECT_EQ(care.spend_fcfa, 3 * 14000 + 9);
  EXPECT_EQ(s.totals.spend_fcfa, raids.spend_fcfa + care.spend_fcfa);
  EXPECT_EQ(s.totals.spend_fcfa, 63018);
}

TEST_F(SummaryTest, RunWithoutInterventions) {
  RunSpec spec;
  spec.interventions.clear();  // datasets of shape (10, 0)
  const Summary s = summarize(run(spec));
  EXPECT_TRUE(s.interventions.empty());
  EXPECT_EQ(s.totals.spend_fcfa, 0);
  EXPECT_EQ(s.totals.recruited, 55);
}

TEST_F(SummaryTest, MissingOrMisshapenInterventionsAreAnIoError) {
  RunSpec none;
  none.with_interventions = false;
  EXPECT_THAT_MESSAGE(IoError, summarize(run(none)), "/interventions/name is missing");
  RunSpec short_series;
  short_series.intervention_rows = 9;
  EXPECT_THAT_MESSAGE(IoError, summarize(run(short_series)),
                      "/interventions/reached has shape (9, 2), expected (10, 2)");
}

TEST_F(SummaryTest, OneDayWindowsAtTheRunEdges) {
  const Summary first = summarize(run(), {day("2020-01-01"), day("2020-01-01")});
  EXPECT_EQ(first.totals.steps, 1);
  EXPECT_EQ(first.totals.recruited, 1);
  const Summary last = summarize(run(), {day("2020-01-10"), day("2020-01-10")});
  EXPECT_EQ(last.totals.recruited, 10);
  EXPECT_EQ(last.at_end.houses_open, stock_value("houses_open", 9));
}

TEST_F(SummaryTest, OpenEndedBoundsDefaultToRunEdges) {
  const Summary s = summarize(run(), {day("2020-01-08"), std::nullopt});
  EXPECT_EQ(s.to, day("2020-01-10"));
  EXPECT_EQ(s.totals.recruited, 8 + 9 + 10);
  const Summary t = summarize(run(), {std::nullopt, day("2020-01-02")});
  EXPECT_EQ(t.from, day("2020-01-01"));
  EXPECT_EQ(t.totals.recruited, 1 + 2);
}

TEST_F(SummaryTest, ObservationsAreAllListedWhateverTheWindow) {
  const Summary s = summarize(run(), {day("2020-01-01"), day("2020-01-02")});
  ASSERT_EQ(s.observations.size(), 2U);
  EXPECT_EQ(s.observations[0].date, day("2020-01-05"));
  EXPECT_EQ(s.observations[1].date, day("2020-01-10"));
}

TEST_F(SummaryTest, SharesPerDepartmentAndOverall) {
  const Summary s = summarize(run());
  const ObservationSummary& o = s.observations.at(0);
  EXPECT_EQ(o.wecs_18_30, 40);
  EXPECT_EQ(o.trafficked_18_30, 10);
  ASSERT_TRUE(o.trafficked_share_true);
  EXPECT_DOUBLE_EQ(*o.trafficked_share_true, 0.25);
  ASSERT_EQ(o.by_department.size(), 2U);
  EXPECT_EQ(o.by_department[0].name, "Kedougou");
  EXPECT_EQ(o.by_department[0].wecs_18_30, 30);
  EXPECT_DOUBLE_EQ(*o.by_department[0].trafficked_share_true, 0.2);
  EXPECT_EQ(o.by_department[1].name, "Saraya");
  EXPECT_DOUBLE_EQ(*o.by_department[1].trafficked_share_true, 0.4);
}

TEST_F(SummaryTest, OtherCountriesAreGrouped) {
  const Summary s = summarize(run());
  const ObservationSummary& o = s.observations.at(0);
  EXPECT_EQ(o.victims, 20);
  EXPECT_EQ(o.victims_by_nationality, (std::array<std::int64_t, 4>{10, 2, 3, 5}));
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[0], 0.5);
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[1], 0.1);
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[2], 0.15);
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[3], 0.25);
  EXPECT_EQ(o.victims_by_age, (std::array<std::int64_t, 4>{2, 8, 6, 4}));
  EXPECT_DOUBLE_EQ(*o.victim_age_share[0], 0.1);
  EXPECT_DOUBLE_EQ(*o.victim_age_share[1], 0.4);
  EXPECT_DOUBLE_EQ(*o.victim_age_share[2], 0.3);
  EXPECT_DOUBLE_EQ(*o.victim_age_share[3], 0.2);
}

TEST_F(SummaryTest, CountriesMissingFromTheRunStillHaveKeys) {
  RunSpec spec;
  spec.countries = {"GN", "NG"};  // no SN, no ML; order differs from the keys
  spec.by_country = {3, 1, 0, 0};
  const Summary s = summarize(run(spec));
  const ObservationSummary& o = s.observations.at(0);
  EXPECT_EQ(o.victims_by_nationality, (std::array<std::int64_t, 4>{1, 0, 0, 3}));
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[0], 0.25);
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[1], 0.0);
  EXPECT_DOUBLE_EQ(*o.victim_nationality_share[3], 0.75);
}

TEST_F(SummaryTest, NoWomenGivesNoShare) {
  const Summary s = summarize(run());
  const ObservationSummary& o = s.observations.at(1);
  EXPECT_EQ(o.wecs_18_30, 0);
  EXPECT_FALSE(o.trafficked_share_true);
  ASSERT_EQ(o.by_department.size(), 2U);
  EXPECT_FALSE(o.by_department[0].trafficked_share_true);
  EXPECT_FALSE(o.by_department[1].trafficked_share_true);
  for (const auto& share : o.victim_nationality_share) EXPECT_FALSE(share);
  for (const auto& share : o.victim_age_share) EXPECT_FALSE(share);
}

TEST_F(SummaryTest, RunWithoutObservationDates) {
  RunSpec spec;
  spec.observation_dates.clear();
  spec.wecs.clear();
  spec.trafficked.clear();
  spec.by_country.clear();
  spec.by_age.clear();
  const Summary s = summarize(run(spec));
  EXPECT_TRUE(s.observations.empty());
  EXPECT_EQ(s.totals.recruited, 55);
}

TEST_F(SummaryTest, MissingFileIsAnIoError) {
  EXPECT_THAT_MESSAGE(IoError, summarize(dir_ / "absent.h5"), "absent.h5: no such file");
  EXPECT_THAT_MESSAGE(IoError, summarize(dir_), "a folder, not a file");
}

TEST_F(SummaryTest, NonHdf5FileIsAnIoError) {
  std::ofstream(dir_ / "text.h5") << "not hdf5\n";
  EXPECT_THROW((void)summarize(dir_ / "text.h5"), IoError);
}

TEST_F(SummaryTest, MissingGroupsAreAnIoError) {
  RunSpec no_series;
  no_series.with_timeseries = false;
  EXPECT_THAT_MESSAGE(IoError, summarize(run(no_series)), "/timeseries/date is missing");
  RunSpec no_observations;
  no_observations.with_observations = false;
  EXPECT_THAT_MESSAGE(IoError, summarize(run(no_observations)), "/observations/date is missing");
  // A wrong file is reported as such even when the window is wrong too.
  EXPECT_THAT_MESSAGE(IoError, summarize(run(no_series), {day("2030-01-01"), std::nullopt}),
                      "/timeseries/date is missing");
}

TEST_F(SummaryTest, ShapeMismatchIsAnIoError) {
  RunSpec spec;
  spec.department_labels = {"Kedougou", "Saraya", "Salemata"};  // three names, two columns
  EXPECT_THAT_MESSAGE(IoError, summarize(run(spec)),
                      "/observations/wecs_18_30 has shape (2, 2), expected (2, 3)");
}

TEST_F(SummaryTest, UnknownSchemaVersionIsAnIoError) {
  RunSpec old;
  old.schema_version = 2;  // before the surveys: no longer read
  EXPECT_THAT_MESSAGE(IoError, summarize(run(old)),
                      "output schema version 2, this reader understands versions 3 to 4 (rerun "
                      "the scenario with this version of tipsim)");
  RunSpec newer;
  newer.schema_version = 5;
  EXPECT_THAT_MESSAGE(IoError, summarize(run(newer)),
                      "output schema version 5, this reader understands versions 3 to 4 (read "
                      "it with a newer tipsim)");
}

TEST_F(SummaryTest, VersionsThreeAndFourAreRead) {
  // Version 4 only added /routes, which the summary does not read.
  for (const std::int64_t version : {3, 4}) {
    RunSpec spec;
    spec.schema_version = version;
    EXPECT_EQ(summarize(run(spec)).observations.size(), 2u) << version;
  }
}

// A broken file, not a wrong window: without its own check it read as "from ... is after to".
TEST_F(SummaryTest, EndBeforeStartIsAnIoError) {
  RunSpec spec;
  spec.end = day("2019-12-31");
  EXPECT_THAT_MESSAGE(IoError, summarize(run(spec)),
                      "end_date 2019-12-31 is before start_date 2020-01-01");
}

TEST_F(SummaryTest, FromAfterToIsAConfigError) {
  EXPECT_THAT_MESSAGE(ConfigError, summarize(run(), {day("2020-01-06"), day("2020-01-05")}),
                      "from 2020-01-06 is after to 2020-01-05");
}

TEST_F(SummaryTest, WindowOutsideTheRunIsAConfigError) {
  const fs::path path = run();
  const std::string outside = " lies outside the run 2020-01-01 .. 2020-01-10";
  EXPECT_THAT_MESSAGE(ConfigError, summarize(path, {day("2019-12-31"), std::nullopt}),
                      "from 2019-12-31" + outside);
  EXPECT_THAT_MESSAGE(ConfigError, summarize(path, {std::nullopt, day("2020-01-11")}),
                      "to 2020-01-11" + outside);
  EXPECT_THAT_MESSAGE(ConfigError, summarize(path, {day("2021-01-01"), day("2021-02-01")}),
                      "from 2021-01-01" + outside);
  EXPECT_THAT_MESSAGE(ConfigError, summarize(path, {day("2020-01-11"), std::nullopt}),
                      "from 2020-01-11" + outside);
}

TEST_F(SummaryTest, WindowBetweenStepsIsAConfigError) {
  RunSpec spec;
  spec.step_days = 7;  // steps on 01-01 and 01-08
  const fs::path path = run(spec);
  EXPECT_THAT_MESSAGE(ConfigError, summarize(path, {day("2020-01-02"), day("2020-01-07")}),
                      "holds no recorded step (steps are 7 days apart)");
  const Summary s = summarize(path, {day("2020-01-02"), day("2020-01-10")});
  EXPECT_EQ(s.totals.steps, 1);
  EXPECT_EQ(s.at_end.date, day("2020-01-08"));
  EXPECT_EQ(s.totals.recruited, 2);
}

}  // namespace
}  // namespace tipsim::analysis
