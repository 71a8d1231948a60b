#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "analysis/summary.hpp"

namespace tipsim::analysis {
namespace {

Date day(const char* iso) {
  return *Date::parse(iso);
}

/// A summary with distinctive numbers, as summarize() would return it.
Summary sample() {
  Summary s;
  s.scenario = "kedougou";
  s.seed = 18446744073709551615ULL;
  s.replicate = 2;
  s.start = day("2012-01-01");
  s.end = day("2014-12-31");
  s.from = day("2013-01-01");
  s.to = day("2013-12-31");
  ObservationSummary o;
  o.date = day("2013-06-30");
  o.wecs_18_30 = 160;
  o.trafficked_18_30 = 40;
  o.trafficked_share_true = 0.25;
  o.by_department = {DepartmentCount{"Kedougou", 120, 36, 0.3},
                     DepartmentCount{"Saraya", 40, 4, 0.1}};
  o.victims = 50;
  o.victims_by_nationality = {25, 5, 10, 10};
  o.victim_nationality_share = {0.5, 0.1, 0.2, 0.2};
  o.victims_by_age = {3, 17, 20, 10};
  o.victim_age_share = {0.06, 0.34, 0.4, 0.2};
  s.observations.push_back(o);
  ObservationSummary empty;
  empty.date = day("2014-06-30");
  empty.by_department = {DepartmentCount{"Kedougou", 0, 0, std::nullopt},
                         DepartmentCount{"Saraya", 0, 0, std::nullopt}};
  s.observations.push_back(empty);
  s.totals.steps = 365;
  s.totals.recruited = 7301;
  s.totals.re_trafficked = 1207;
  s.totals.arrived_at_sites = 6502;
  s.totals.voluntary_arrivals = 1203;
  s.totals.exits = ExitTotals{101, 102, 107, 103, 104, 105, 106};
  s.totals.sheltered = 201;
  s.totals.repatriated = 202;
  s.totals.reintegrated = 203;
  s.totals.arrests = 301;
  s.totals.convictions = 302;
  s.totals.became_madam = 303;
  s.totals.replacements = 304;
  s.totals.victim_days_exploited = 987654;
  s.totals.debt_imposed_fcfa = 1234567890;
  s.totals.debt_paid_fcfa = 234567891;
  s.totals.spend_fcfa = 55160000;
  s.at_end = StocksAtEnd{day("2013-12-31"), 1501, 1402, 1303, 1204, 1105, 99887766, 77};
  s.interventions = {InterventionTotals{"raids", "site_raids", 12, 34, 5, 24000000},
                     InterventionTotals{"care", "shelter_care", 401, 0, 0, 31160000}};
  return s;
}

/// Position of `needle` in `text`, failing the test when absent.
std::size_t find(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  return at;
}

/// True when brackets balance outside strings: a cheap well-formedness check.
bool balanced(const std::string& json) {
  std::vector<char> stack;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') stack.push_back(c);
    if (c == '}' || c == ']') {
      if (stack.empty() || stack.back() != (c == '}' ? '{' : '[')) return false;
      stack.pop_back();
    }
  }
  return stack.empty() && !in_string;
}

// The whole document, so that a renamed, missing, reordered or reformatted key fails. Shares
// without a denominator are null, and every nationality and age band has its key.
TEST(SummaryJsonTest, MatchesTheContractExactly) {
  const std::string json = summary_json(sample());
  EXPECT_TRUE(balanced(json)) << json;
  EXPECT_EQ(json, R"json({
  "scenario": "kedougou",
  "seed": 18446744073709551615,
  "replicate": 2,
  "step_days": 1,
  "start": "2012-01-01",
  "end": "2014-12-31",
  "from": "2013-01-01",
  "to": "2013-12-31",
  "observations": [
    {
      "date": "2013-06-30",
      "wecs_18_30": 160,
      "trafficked_18_30": 40,
      "trafficked_share_true": 0.25,
      "by_department": {
        "Kedougou": {
          "wecs_18_30": 120,
          "trafficked_18_30": 36,
          "trafficked_share_true": 0.3
        },
        "Saraya": {
          "wecs_18_30": 40,
          "trafficked_18_30": 4,
          "trafficked_share_true": 0.1
        }
      },
      "victims": 50,
      "victims_by_nationality": {
        "NG": 25,
        "SN": 5,
        "ML": 10,
        "other": 10
      },
      "victim_nationality_share": {
        "NG": 0.5,
        "SN": 0.1,
        "ML": 0.2,
        "other": 0.2
      },
      "victims_by_age": {
        "<18": 3,
        "18-24": 17,
        "25-30": 20,
        ">30": 10
      },
      "victim_age_share": {
        "<18": 0.06,
        "18-24": 0.34,
        "25-30": 0.4,
        ">30": 0.2
      }
    },
    {
      "date": "2014-06-30",
      "wecs_18_30": 0,
      "trafficked_18_30": 0,
      "trafficked_share_true": null,
      "by_department": {
        "Kedougou": {
          "wecs_18_30": 0,
          "trafficked_18_30": 0,
          "trafficked_share_true": null
        },
        "Saraya": {
          "wecs_18_30": 0,
          "trafficked_18_30": 0,
          "trafficked_share_true": null
        }
      },
      "victims": 0,
      "victims_by_nationality": {
        "NG": 0,
        "SN": 0,
        "ML": 0,
        "other": 0
      },
      "victim_nationality_share": {
        "NG": null,
        "SN": null,
        "ML": null,
        "other": null
      },
      "victims_by_age": {
        "<18": 0,
        "18-24": 0,
        "25-30": 0,
        ">30": 0
      },
      "victim_age_share": {
        "<18": null,
        "18-24": null,
        "25-30": null,
        ">30": null
      }
    }
  ],
  "totals": {
    "steps": 365,
    "recruited": 7301,
    "re_trafficked": 1207,
    "arrived_at_sites": 6502,
    "voluntary_arrivals": 1203,
    "exits": {
      "repaid": 101,
      "escaped": 102,
      "escaped_assisted": 107,
      "identified": 103,
      "intercepted_in_transit": 104,
      "aged_out": 105,
      "died": 106
    },
    "victims_removed": 314,
    "rescued_identified": 207,
    "sheltered": 201,
    "repatriated": 202,
    "reintegrated": 203,
    "repatriated_or_reintegrated": 405,
    "arrests": 301,
    "convictions": 302,
    "became_madam": 303,
    "replacements": 304,
    "victim_days_exploited": 987654,
    "debt_imposed_fcfa": 1234567890,
    "debt_paid_fcfa": 234567891,
    "spend_fcfa": 55160000
  },
  "at_end": {
    "date": "2013-12-31",
    "wecs": 1501,
    "wecs_18_30": 1402,
    "trafficked_at_sites": 1303,
    "in_transit": 1204,
    "shelter_occupancy": 1105,
    "debt_outstanding_fcfa": 99887766,
    "houses_open": 77
  },
  "interventions": [
    {
      "name": "raids",
      "type": "site_raids",
      "reached": 12,
      "victims_removed": 34,
      "arrests": 5,
      "spend_fcfa": 24000000
    },
    {
      "name": "care",
      "type": "shelter_care",
      "reached": 401,
      "victims_removed": 0,
      "arrests": 0,
      "spend_fcfa": 31160000
    }
  ],
  "surveys": []
}
)json");
}

TEST(SummaryJsonTest, EscapesNames) {
  Summary s = sample();
  s.scenario = "say \"hi\"\n";
  s.observations[0].by_department[0].name = "back\\slash";
  const std::string json = summary_json(s);
  find(json, R"("scenario": "say \"hi\"\n")");
  find(json, R"("back\\slash": {)");
  EXPECT_TRUE(balanced(json));
}

// The whole table, so that every number must sit on its own labelled line and column.
TEST(SummaryTableTest, MatchesTheSampleExactly) {
  EXPECT_EQ(summary_table(sample()), R"(scenario kedougou   seed 18446744073709551615   replicate 2
run      2012-01-01 .. 2014-12-31   step 1 day
window   2013-01-01 .. 2013-12-31   365 steps

Observation 2013-06-30
  department                        WECS 18-30  trafficked 18-30   share
  Kedougou                                 120                36   30.0%
  Saraya                                    40                 4   10.0%
  all departments                          160                40   25.0%
  victims, any age: 50            NG      SN      ML   other     <18   18-24   25-30     >30
    count                         25       5      10      10       3      17      20      10
    share                      50.0%   10.0%   20.0%   20.0%    6.0%   34.0%   40.0%   20.0%

Observation 2014-06-30
  department                        WECS 18-30  trafficked 18-30   share
  Kedougou                                   0                 0       -
  Saraya                                     0                 0       -
  all departments                            0                 0       -
  victims, any age: 0             NG      SN      ML   other     <18   18-24   25-30     >30
    count                          0       0       0       0       0       0       0       0
    share                          -       -       -       -       -       -       -       -

Totals 2013-01-01 .. 2013-12-31
  recruited                               7301 persons
  re-trafficked                           1207 persons
  arrived at sites                        6502 persons
  voluntary arrivals                      1203 persons
  exits: repaid                            101 persons
  exits: escaped                           102 persons
  exits: helped to escape                  107 persons
  exits: identified                        103 persons
  exits: intercepted                       104 persons
  exits: aged out                          105 persons
  exits: died                              106 persons
  victims removed                          314 persons
  identified or intercepted                207 persons
  sheltered                                201 persons
  repatriated                              202 persons
  reintegrated                             203 persons
  repatriated+reintegrated                 405 persons
  arrests                                  301 persons
  convictions                              302 persons
  became madam                             303 persons
  replacements                             304 persons
  victim-days exploited                 987654 person-days
  debt imposed                      1234567890 FCFA
  debt paid                          234567891 FCFA
  intervention spend                  55160000 FCFA

At end 2013-12-31
  WECS at sites                           1501 persons
  WECS 18-30                              1402 persons
  trafficked at sites                     1303 persons
  in transit                              1204 persons
  in shelter                              1105 persons
  debt outstanding                    99887766 FCFA
  houses open                               77 houses

Interventions 2013-01-01 .. 2013-12-31
  name                      type                         reached   removed   arrests        spend FCFA
  raids                     site_raids                        12        34         5          24000000
  care                      shelter_care                     401         0         0          31160000
)");
}

TEST(SummaryTableTest, ColumnsLineUp) {
  const std::string table = summary_table(sample());
  // The department rows and the total row end at the same column.
  const auto line_of = [&](const std::string& start) {
    const std::size_t at = find(table, "  " + start);
    return table.substr(at, table.find('\n', at) - at);
  };
  EXPECT_EQ(line_of("Kedougou").size(), line_of("all departments").size());
  EXPECT_EQ(line_of("recruited").size() - 3, line_of("debt paid").size());  // "persons", "FCFA"
}

TEST(SummaryTableTest, NoInterventionsBlockWithoutInterventions) {
  Summary s = sample();
  s.interventions.clear();
  const std::string table = summary_table(s);
  EXPECT_EQ(table.find("Interventions"), std::string::npos) << table;
  EXPECT_TRUE(table.ends_with("  houses open                               77 houses\n")) << table;
}

TEST(SummaryJsonTest, NoInterventionsIsAnEmptyList) {
  Summary s = sample();
  s.interventions.clear();
  const std::string json = summary_json(s);
  EXPECT_TRUE(json.ends_with("  \"interventions\": [],\n  \"surveys\": []\n}\n")) << json;
}

TEST(SummaryTableTest, SaysWhenThereAreNoObservationsAndCountsSteps) {
  Summary s = sample();
  s.observations.clear();
  s.step_days = 7;
  s.totals.steps = 1;
  const std::string table = summary_table(s);
  find(table, "step 7 days\n");
  find(table, "   1 step\n");
  find(table, "\n\nNo observation dates in this run.\n\nTotals ");
}

}  // namespace
}  // namespace tipsim::analysis
