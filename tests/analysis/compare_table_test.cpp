#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "analysis/compare.hpp"
#include "comparison_sample.hpp"

namespace tipsim::analysis {
namespace {

using testing_support::comparison_sample;
using testing_support::sample_day;

/// Position of `needle` in `text`, failing the test when absent.
std::size_t find(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  return at;
}

// The whole table, so that every number must sit on its own labelled line and column.
TEST(ComparisonTableTest, MatchesTheSampleExactly) {
  EXPECT_EQ(comparison_table(comparison_sample()),
            R"(base     base.h5   scenario kedougou   seed 7   replicate 0
other    other.h5   scenario kedougou   seed 7   replicate 0
paired   yes: same seed and replicate (common random numbers)
window   2021-01-01 .. 2021-12-31
first divergence   2021-01-01

Totals 2021-01-01 .. 2021-12-31            base           other      difference
  steps                                    365             365               0
  recruited                                100             200            +100 persons
  re-trafficked                             10              20             +10 persons
  arrived at sites                          90             180             +90 persons
  voluntary arrivals                        50              50               0 persons
  exits: repaid                             40              40               0 persons
  exits: escaped                            20              20               0 persons
  exits: helped to escape                    3               6              +3 persons
  exits: identified                          5              10              +5 persons
  exits: intercepted                         2               4              +2 persons
  exits: aged out                            1               1               0 persons
  exits: died                                2               2               0 persons
  victims removed                           10              20             +10 persons
  identified or intercepted                  7              14              +7 persons
  sheltered                                  7              14              +7 persons
  repatriated                                4               8              +4 persons
  reintegrated                               1               2              +1 persons
  repatriated+reintegrated                   5              10              +5 persons
  arrests                                    6              12              +6 persons
  convictions                                3               3               0 persons
  became madam                               1               1               0 persons
  replacements                               5               5               0 persons
  victim-days exploited                 100000           50000          -50000 person-days
  debt imposed                        90000000        90000000               0 FCFA
  debt paid                           80000000        80000000               0 FCFA
  intervention spend                         0         1000000        +1000000 FCFA
  cost per victim removed                                               100000 FCFA per person
  cost per victim-day averted                                               20 FCFA per person-day

At end 2021-12-31                         base           other      difference
  WECS at sites                           1500            1500               0 persons
  WECS 18-30                              1400            1400               0 persons
  trafficked at sites                      300             150            -150 persons
  in transit                                10              10               0 persons
  in shelter                                 5              10              +5 persons
  debt outstanding                    30000000        30000000               0 FCFA
  houses open                               60              60               0 houses

Observation 2021-11-15                    base           other      difference
  WECS 18-30                              1000            1000               0 persons
  trafficked 18-30                         150             125             -25 persons
  trafficked share                       15.0%           12.5%         -2.5 pp
  Saraya
    WECS 18-30                             500             500               0 persons
    trafficked 18-30                        50              25             -25 persons
    trafficked share                     10.0%            5.0%         -5.0 pp
  victims, any age                         200             200               0 persons
    NG                                     100             100               0 persons
    NG share                             50.0%           50.0%          0.0 pp
    SN                                      50              50               0 persons
    SN share                             25.0%           25.0%          0.0 pp
    ML                                      30              30               0 persons
    ML share                             15.0%           15.0%          0.0 pp
    other                                   20              20               0 persons
    other share                          10.0%           10.0%          0.0 pp
    aged <18                                 0               0               0 persons
    aged <18 share                           -               -               -
    aged 18-24                               0               0               0 persons
    aged 18-24 share                         -               -               -
    aged 25-30                               0               0               0 persons
    aged 25-30 share                         -               -               -
    aged >30                                 0               0               0 persons
    aged >30 share                           -               -               -

Observation dates not compared (in one run only): 2024-01-15 (other)

Interventions                             base           other      difference
  raids (site_raids)
    reached                                  4               8              +4 units
    victims removed                          2               5              +3 persons
    arrests                                  1               3              +2 persons
    spend                                    0          400000         +400000 FCFA
  care (shelter_care), only in other
    reached                                  -              20             +20 units
    victims removed                          -               0               0 persons
    arrests                                  -               0               0 persons
    spend                                    -          600000         +600000 FCFA
)");
}

TEST(ComparisonTableTest, SaysWhenRunsAreNotPaired) {
  Comparison c = comparison_sample();
  c.paired = false;
  c.same_key = false;
  c.other.seed = 8;
  const std::string table = comparison_table(c);
  find(table, "seed 8   replicate 0\n");
  find(table, "\npaired   no: seed or replicate differ, so the differences include chance\n");
}

TEST(ComparisonTableTest, SaysWhenRunsWithOneKeyPartBeforeTheirScenariosDiffer) {
  Comparison c = comparison_sample();
  c.paired = false;
  c.first_divergence = sample_day("2015-01-02");
  c.first_scenario_difference = sample_day("2026-01-01");
  find(comparison_table(c),
       "\npaired   no: same seed and replicate, but the runs part on 2015-01-02, before their "
       "scenarios differ (2026-01-01): the draws are not shared, so the differences include "
       "chance\n");
}

TEST(ComparisonTableTest, SaysWhenTheSeriesNeverDiverge) {
  Comparison c = comparison_sample();
  c.first_divergence = std::nullopt;
  find(comparison_table(c),
       "\nfirst divergence   none: the daily series agree on every step date both runs "
       "recorded\n");
}

TEST(ComparisonTableTest, SaysWhyThereIsNoCostRatio) {
  Comparison c = comparison_sample();
  c.cost_per_victim_removed = std::nullopt;
  c.cost_per_victim_day_averted = std::nullopt;
  const std::string table = comparison_table(c);
  find(table,
       "  cost per victim removed                                                    - "
       "(no more victims removed)\n"
       "  cost per victim-day averted                                                - "
       "(no victim-days averted)\n");
}

TEST(ComparisonTableTest, NoInterventionsBlockWithoutInterventions) {
  Comparison c = comparison_sample();
  c.interventions.clear();
  c.observation_dates_only_in_other.clear();
  const std::string table = comparison_table(c);
  EXPECT_EQ(table.find("Interventions"), std::string::npos) << table;
  EXPECT_EQ(table.find("not compared"), std::string::npos) << table;
}

TEST(ComparisonTableTest, DifferentEndDatesAreBothGiven) {
  Comparison c = comparison_sample();
  c.other.at_end.date = sample_day("2021-12-29");
  find(comparison_table(c), "\nAt end 2021-12-31 / 2021-12-29 ");
}

}  // namespace
}  // namespace tipsim::analysis
