#include "analysis/compare.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run_file_support.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

namespace fs = std::filesystem;
using testing_support::day;
using testing_support::RunSpec;
using testing_support::SeriesChange;
using testing_support::TempDirTest;

class CompareTest : public TempDirTest {
 protected:
  /// Writes the two runs and compares them.
  Comparison compare(const RunSpec& base, const RunSpec& other, const SummaryOptions& window = {}) {
    return compare_runs(write(base, "base.h5"), write(other, "other.h5"), window);
  }
  std::optional<Date> divergence(const RunSpec& base, const RunSpec& other) {
    return first_divergence(write(base, "base.h5"), write(other, "other.h5"));
  }
};

// ---- first divergence ------------------------------------------------------------------

TEST_F(CompareTest, IdenticalFilesNeverDiverge) {
  EXPECT_EQ(divergence(RunSpec{}, RunSpec{}), std::nullopt);
  const fs::path same = write(RunSpec{}, "same.h5");
  EXPECT_EQ(first_divergence(same, same), std::nullopt);
}

TEST_F(CompareTest, DivergesOnTheFirstChangedStep) {
  RunSpec other;
  other.changes = {SeriesChange{"recruited", 6}};  // row 6 is 2020-01-07
  EXPECT_EQ(divergence(RunSpec{}, other), day("2020-01-07"));
}

TEST_F(CompareTest, TheEarliestChangeOfAnyDatasetWins) {
  RunSpec other;
  other.changes = {SeriesChange{"recruited", 6}, SeriesChange{"houses_open", 3},
                   SeriesChange{"exit_escaped_assisted", 8}};
  EXPECT_EQ(divergence(RunSpec{}, other), day("2020-01-04"));
}

TEST_F(CompareTest, DatasetsPerSiteCount) {
  RunSpec other;
  other.changes = {SeriesChange{"by_site/trafficked", 5, 1}};  // second site only
  EXPECT_EQ(divergence(RunSpec{}, other), day("2020-01-06"));
  // A float dataset, by a quarter: reading it as integers would miss this.
  other.changes = {SeriesChange{"by_site/gold_luck", 2, 0, 0.25}};
  EXPECT_EQ(divergence(RunSpec{}, other), day("2020-01-03"));
}

TEST_F(CompareTest, DatasetsOutsideTheTimeseriesDoNotCount) {
  RunSpec other;
  other.wecs = {31, 10, 0, 0};  // an observation differs, the daily series do not
  other.seed_bits = 99;
  EXPECT_EQ(divergence(RunSpec{}, other), std::nullopt);
}

TEST_F(CompareTest, OnlyStepDatesBothRunsRecordedAreCompared) {
  // Weekly steps on 01-01 and 01-08 hold rows 0 and 1; the daily run has rows 0 and 7 on
  // those dates. Row 0 agrees; 01-02 to 01-07 are not compared.
  RunSpec weekly;
  weekly.step_days = 7;
  EXPECT_EQ(divergence(RunSpec{}, weekly), day("2020-01-08"));
  RunSpec later;
  later.start = day("2020-01-05");
  later.end = day("2020-01-12");
  // Row 0 of one run against row 4 of the other on their first common date.
  EXPECT_EQ(divergence(RunSpec{}, later), day("2020-01-05"));
  RunSpec disjoint;
  disjoint.start = day("2021-01-01");
  disjoint.end = day("2021-01-10");
  EXPECT_EQ(divergence(RunSpec{}, disjoint), std::nullopt);
}

TEST_F(CompareTest, ADatasetInOneFileOnlyDivergesAtOnce) {
  RunSpec other;
  other.omitted = {"by_site/gold_luck"};
  EXPECT_EQ(divergence(RunSpec{}, other), day("2020-01-01"));
  RunSpec three_sites;
  three_sites.sites = 3;
  EXPECT_EQ(divergence(RunSpec{}, three_sites), day("2020-01-01"));
}

// ---- the comparison ----------------------------------------------------------------------

TEST_F(CompareTest, TotalsOfBothRunsOverTheSameWindow) {
  RunSpec other;
  // +5 recruited a day from 2020-01-03; +2 identified a day from 2020-01-05.
  other.changes = {SeriesChange{"recruited", 2, 0, 5}, SeriesChange{"exit_identified", 4, 0, 2}};
  const Comparison c = compare(RunSpec{}, other, {day("2020-01-04"), day("2020-01-06")});
  EXPECT_EQ(c.base.from, day("2020-01-04"));
  EXPECT_EQ(c.other.to, day("2020-01-06"));
  // Rows 3 to 5: recruited is 4 + 5 + 6 in the base.
  EXPECT_EQ(c.base.totals.recruited, 15);
  EXPECT_EQ(c.other.totals.recruited, 15 + 3 * 5);
  // identified is the 6th flow: 6 * (4 + 5 + 6) = 90, plus 2 on two days.
  EXPECT_EQ(c.base.totals.exits.identified, 90);
  EXPECT_EQ(c.other.totals.exits.identified, 94);
  EXPECT_EQ(c.other.totals.victims_removed() - c.base.totals.victims_removed(), 4);
  EXPECT_EQ(c.first_divergence, day("2020-01-03"));  // before the window: not limited to it
  EXPECT_EQ(c.base_file, (dir_ / "base.h5").string());
  EXPECT_EQ(c.other_file, (dir_ / "other.h5").string());
}

TEST_F(CompareTest, PairedOnlyWithTheSameSeedAndReplicate) {
  EXPECT_TRUE(compare(RunSpec{}, RunSpec{}).paired);
  RunSpec seed;
  seed.seed_bits = 43;
  EXPECT_FALSE(compare(RunSpec{}, seed).paired);
  RunSpec replicate;
  replicate.replicate = 4;
  EXPECT_FALSE(compare(RunSpec{}, replicate).paired);
  RunSpec scenario;
  scenario.scenario = "what if";  // another scenario with the same seed: still paired
  EXPECT_TRUE(compare(RunSpec{}, scenario).paired);
}

TEST_F(CompareTest, IdenticalRunsGiveNoDifferenceAndNoRatios) {
  const Comparison c = compare(RunSpec{}, RunSpec{});
  EXPECT_EQ(c.first_divergence, std::nullopt);
  EXPECT_EQ(c.cost_per_victim_removed, std::nullopt);
  EXPECT_EQ(c.cost_per_victim_day_averted, std::nullopt);
  EXPECT_EQ(c.base.totals.spend_fcfa, c.other.totals.spend_fcfa);
  EXPECT_EQ(c.observations.size(), 2U);
  ASSERT_EQ(c.interventions.size(), 2U);
  EXPECT_TRUE(c.interventions[0].base && c.interventions[0].other);
}

TEST_F(CompareTest, DefaultWindowIsTheDaysBothRunsSimulated) {
  RunSpec later;
  later.start = day("2020-01-05");
  later.end = day("2020-01-20");
  const Comparison c = compare(RunSpec{}, later);
  EXPECT_EQ(c.base.from, day("2020-01-05"));
  EXPECT_EQ(c.base.to, day("2020-01-10"));
  EXPECT_EQ(c.other.from, day("2020-01-05"));
  EXPECT_EQ(c.other.to, day("2020-01-10"));
  EXPECT_EQ(c.base.totals.steps, 6);
  EXPECT_EQ(c.other.totals.steps, 6);
  // Rows 4 to 9 of the base, 0 to 5 of the other.
  EXPECT_EQ(c.base.totals.recruited, 5 + 6 + 7 + 8 + 9 + 10);
  EXPECT_EQ(c.other.totals.recruited, 1 + 2 + 3 + 4 + 5 + 6);
}

TEST_F(CompareTest, WindowErrorsNameTheFile) {
  RunSpec later;
  later.start = day("2020-01-05");
  later.end = day("2020-01-20");
  const fs::path base = write(RunSpec{}, "base.h5");
  const fs::path other = write(later, "other.h5");
  EXPECT_THAT_MESSAGE(ConfigError, compare_runs(base, other, {day("2020-01-02"), std::nullopt}),
                      other.string() + ": summary window: from 2020-01-02 lies outside the run");
  EXPECT_THAT_MESSAGE(ConfigError, compare_runs(base, other, {std::nullopt, day("2020-01-15")}),
                      base.string() + ": summary window: to 2020-01-15 lies outside the run");
  RunSpec disjoint;
  disjoint.start = day("2021-01-01");
  disjoint.end = day("2021-01-10");
  EXPECT_THAT_MESSAGE(ConfigError, compare(RunSpec{}, disjoint), "the runs share no day");
}

TEST_F(CompareTest, FileErrorsAreIoErrors) {
  const fs::path base = write(RunSpec{}, "base.h5");
  EXPECT_THAT_MESSAGE(IoError, compare_runs(base, dir_ / "absent.h5"),
                      "absent.h5: no such file");
  RunSpec old;
  old.schema_version = 1;
  EXPECT_THAT_MESSAGE(IoError, compare_runs(write(old, "old.h5"), base),
                      "old.h5: output schema version 1");
}

TEST_F(CompareTest, ObservationsOnDatesOfBothFilesWithTheirCommonDepartments) {
  RunSpec other;
  other.observation_dates = {day("2020-01-05"), day("2020-01-08")};
  other.departments = {"Saraya", "Salemata"};
  other.wecs = {12, 7, 1, 1};
  other.trafficked = {3, 1, 0, 0};
  const Comparison c = compare(RunSpec{}, other);
  ASSERT_EQ(c.observations.size(), 1U);
  const ObservationPair& pair = c.observations[0];
  EXPECT_EQ(pair.base.date, day("2020-01-05"));
  EXPECT_EQ(pair.base.wecs_18_30, 40);
  EXPECT_EQ(pair.other.wecs_18_30, 19);
  ASSERT_EQ(pair.base.by_department.size(), 1U);
  ASSERT_EQ(pair.other.by_department.size(), 1U);
  EXPECT_EQ(pair.base.by_department[0].name, "Saraya");
  EXPECT_EQ(pair.other.by_department[0].name, "Saraya");
  EXPECT_EQ(pair.base.by_department[0].wecs_18_30, 10);
  EXPECT_EQ(pair.other.by_department[0].wecs_18_30, 12);
  EXPECT_EQ(c.observation_dates_only_in_base, std::vector<Date>{day("2020-01-10")});
  EXPECT_EQ(c.observation_dates_only_in_other, std::vector<Date>{day("2020-01-08")});
}

TEST_F(CompareTest, InterventionsMatchedByName) {
  RunSpec base;
  base.interventions = {{"raids", "site_raids"}, {"care", "shelter_care"}};
  RunSpec other;
  other.interventions = {{"border", "border_screening"}, {"raids", "site_raids"}};
  const Comparison c = compare(base, other);
  ASSERT_EQ(c.interventions.size(), 3U);
  EXPECT_EQ(c.interventions[0].name, "raids");
  ASSERT_TRUE(c.interventions[0].base && c.interventions[0].other);
  // Column 0 in the base, column 1 in the other: reached sums 2000 * (i + 1) + row.
  EXPECT_EQ(c.interventions[0].base->reached, 10 * 2000 + 45);
  EXPECT_EQ(c.interventions[0].other->reached, 10 * 4000 + 45);
  EXPECT_EQ(c.interventions[1].name, "care");
  EXPECT_TRUE(c.interventions[1].base);
  EXPECT_FALSE(c.interventions[1].other);
  EXPECT_EQ(c.interventions[2].name, "border");
  EXPECT_EQ(c.interventions[2].type, "border_screening");
  EXPECT_FALSE(c.interventions[2].base);
  EXPECT_TRUE(c.interventions[2].other);
}

// ---- cost ratios -------------------------------------------------------------------------

WindowTotals totals(std::int64_t identified, std::int64_t intercepted, std::int64_t assisted,
                    std::int64_t victim_days, std::int64_t spend) {
  WindowTotals t;
  t.exits.identified = identified;
  t.exits.intercepted_in_transit = intercepted;
  t.exits.escaped_assisted = assisted;
  t.victim_days_exploited = victim_days;
  t.spend_fcfa = spend;
  return t;
}

TEST(CostRatioTest, SpendPerExtraVictimRemoved) {
  const WindowTotals base = totals(10, 5, 0, 1000, 100000);
  // 20 more victims removed (10 + 5 + 5), 300000 FCFA more spent.
  const WindowTotals other = totals(20, 10, 5, 900, 400000);
  ASSERT_TRUE(cost_per_victim_removed(base, other));
  EXPECT_DOUBLE_EQ(*cost_per_victim_removed(base, other), 15000.0);
  // 100 victim-days averted.
  ASSERT_TRUE(cost_per_victim_day_averted(base, other));
  EXPECT_DOUBLE_EQ(*cost_per_victim_day_averted(base, other), 3000.0);
}

TEST(CostRatioTest, NoRatioWithoutGain) {
  const WindowTotals base = totals(10, 5, 0, 1000, 0);
  EXPECT_EQ(cost_per_victim_removed(base, totals(10, 5, 0, 1000, 50)), std::nullopt);
  EXPECT_EQ(cost_per_victim_removed(base, totals(5, 5, 0, 1000, 50)), std::nullopt);
  EXPECT_EQ(cost_per_victim_day_averted(base, totals(10, 5, 0, 1000, 50)), std::nullopt);
  EXPECT_EQ(cost_per_victim_day_averted(base, totals(10, 5, 0, 1001, 50)), std::nullopt);
}

TEST(CostRatioTest, SavingsGiveNegativeRatios) {
  const WindowTotals base = totals(10, 0, 0, 1000, 500);
  const WindowTotals other = totals(12, 0, 0, 990, 100);
  EXPECT_DOUBLE_EQ(*cost_per_victim_removed(base, other), -200.0);
  EXPECT_DOUBLE_EQ(*cost_per_victim_day_averted(base, other), -40.0);
}

TEST_F(CompareTest, RatiosFromTheFiles) {
  RunSpec other;
  // +1 identified a day on rows 5 to 9 (5 more removed), -3 victim-days a day there (15
  // averted), the same interventions and so the same spend: a gain for nothing.
  other.changes = {SeriesChange{"exit_identified", 5, 0, 1},
                   SeriesChange{"victim_days_exploited", 5, 0, -3}};
  const fs::path base_path = write(RunSpec{}, "base.h5");
  const fs::path other_path = write(other, "other.h5");
  Comparison c = compare_runs(base_path, other_path);
  EXPECT_EQ(c.other.totals.spend_fcfa, c.base.totals.spend_fcfa);
  ASSERT_TRUE(c.cost_per_victim_removed);
  EXPECT_DOUBLE_EQ(*c.cost_per_victim_removed, 0.0);
  ASSERT_TRUE(c.cost_per_victim_day_averted);
  EXPECT_DOUBLE_EQ(*c.cost_per_victim_day_averted, 0.0);
  // Against a run without interventions, OTHER spends all of its spend_fcfa: columns 0 and 1
  // of spend_fcfa sum to 10 * 7000 + 45 and 10 * 14000 + 45.
  RunSpec none;
  none.interventions.clear();
  c = compare_runs(write(none, "none.h5"), other_path);
  EXPECT_EQ(c.other.totals.spend_fcfa, 210090);
  EXPECT_DOUBLE_EQ(*c.cost_per_victim_removed, 210090.0 / 5.0);
  EXPECT_DOUBLE_EQ(*c.cost_per_victim_day_averted, 210090.0 / 15.0);
}

}  // namespace
}  // namespace tipsim::analysis
