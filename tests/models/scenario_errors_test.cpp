// What a user sees when a scenario file is wrong: every problem, each pointing at the exact
// line, column and key to change, with a message that says what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/error.hpp"

namespace tipsim::model {
namespace {

using config::Diagnostic;
using config::Location;
using config::ScenarioError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::filesystem::path kData = std::filesystem::path(TIPSIM_SOURCE_DIR) / "tests/models/data";

std::string data(const std::string& name) {
  return (kData / name).generic_string();
}

// Line numbers matter: every expectation below is written against this layout. Both flow and
// block styles are used so that columns are checked for each.
const std::string kValid =
    "name: mini\n"                         // 1
    "simulation:\n"                        // 2
    "  start: 2020-01-01\n"                // 3
    "  end: 2020-12-31\n"                  // 4
    "  step_days: 1\n"                     // 5
    "  seed: 7\n"                          // 6
    "observation:\n"                       // 7
    "  dates: [2020-06-01, 2020-12-01]\n"  // 8
    "places:\n"                            // 9
    "  - {name: Edo, kind: origin, country: NG, at_risk_women: 1000, recruiters: 2, "
    "transporters: 1}\n"  // 10
    "  - {name: Kayes, kind: origin, country: ML, at_risk_women: 500, recruiters: 1, "
    "transporters: 1}\n"                                               // 11
    "  - {name: Bamako, kind: transit, country: ML}\n"                 // 12
    "  - {name: Moussala, kind: border, country: SN}\n"                // 13
    "  - name: Khossanto\n"                                            // 14
    "    kind: site\n"                                                 // 15
    "    country: SN\n"                                                // 16
    "    department: Saraya\n"                                         // 17
    "    miners: 500\n"                                                // 18
    "    houses: 2\n"                                                  // 19
    "  - name: Bantaco\n"                                              // 20
    "    kind: site\n"                                                 // 21
    "    country: SN\n"                                                // 22
    "    department: Kedougou\n"                                       // 23
    "    miners: 300\n"                                                // 24
    "    houses: 1\n"                                                  // 25
    "routes:\n"                                                        // 26
    "  - {from: Edo, to: Bamako, days_mean: 4.0, cost_fcfa: 50000}\n"  // 27
    "  - {from: Bamako, to: Moussala, days_mean: 2.0, bribe_fcfa: 2000, "
    "screening_probability: 0.03}\n"                         // 28
    "  - {from: Kayes, to: Moussala, days_mean: 1.0}\n"      // 29
    "  - {from: Moussala, to: Khossanto, days_mean: 0.5}\n"  // 30
    "  - {from: Moussala, to: Bantaco, days_mean: 1.0}\n"    // 31
    "population:\n"                                          // 32
    "  voluntary_nationality:\n"                             // 33
    "    - {country: SN, share: 0.6}\n"                      // 34
    "    - {country: ML, share: 0.4}\n"                      // 35
    "organisation:\n"                                        // 36
    "  house_capacity_min: 3\n"                              // 37
    "  house_capacity_max: 8\n"                              // 38
    "exploitation:\n"                                        // 39
    "  debt_min_fcfa: 1500000\n"                             // 40
    "  debt_max_fcfa: 2500000\n"                             // 41
    "transit:\n"                                             // 42
    "  route_choice: time\n"                                 // 43
    "freed:\n"                                               // 44
    "  stay: 0.5\n"                                          // 45
    "  move_site: 0.15\n"                                    // 46
    "  leave_region: 0.15\n"                                 // 47
    "  return_home: 0.17\n"                                  // 48
    "  become_madam: 0.03\n";                                // 49

/// kValid with each `from` replaced by `to`. Each `from` must occur exactly once, so that a
/// change to kValid cannot silently turn a malformed variant back into a valid scenario.
std::string variant(std::initializer_list<std::pair<std::string, std::string>> edits) {
  std::string text = kValid;
  for (const auto& [from, to] : edits) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
      ADD_FAILURE() << "'" << from << "' must occur exactly once in the scenario";
      continue;
    }
    text.replace(at, from.size(), to);
  }
  return text;
}

/// The diagnostics `f` throws; fails the test when it throws nothing.
template <typename F>
std::vector<Diagnostic> diagnostics_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return {};
}

std::vector<std::string> formatted(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.format());
  return out;
}

/// Formatted diagnostics of loading `text` as mini.yaml.
std::vector<std::string> errors(const std::string& text,
                                const std::vector<std::string>& overrides = {}) {
  return formatted(diagnostics_of([&] { load_scenario_text(text, "mini.yaml", overrides); }));
}

std::vector<std::string> file_errors(const std::filesystem::path& file,
                                     const std::vector<std::string>& overrides = {}) {
  return formatted(diagnostics_of([&] { load_scenario(file, overrides); }));
}

// ---------------------------------------------------------------------------------------------
// Valid input

TEST(ScenarioValid, SmallScenarioLoads) {
  const LoadedScenario loaded = load_scenario_text(kValid, "mini.yaml");
  const ScenarioSpec& spec = loaded.spec;
  EXPECT_EQ(spec.name, "mini");
  EXPECT_EQ(spec.simulation.start, Date::from_ymd(2020, 1, 1));
  EXPECT_EQ(spec.simulation.end, Date::from_ymd(2020, 12, 31));
  EXPECT_EQ(spec.simulation.seed, 7u);
  ASSERT_THAT(spec.places, SizeIs(6));
  EXPECT_EQ(spec.places[0].kind, PlaceKind::origin);
  EXPECT_EQ(spec.places[2].kind, PlaceKind::transit);
  EXPECT_EQ(spec.places[3].kind, PlaceKind::border);
  EXPECT_EQ(spec.places[4].kind, PlaceKind::site);
  EXPECT_EQ(spec.places[4].department, "Saraya");
  EXPECT_EQ(spec.places[5].department, "Kedougou");
  EXPECT_EQ(spec.places[4].miners, 500.0);
  EXPECT_THAT(spec.routes, SizeIs(5));
  EXPECT_EQ(spec.routes[1].screening_probability, 0.03);
  EXPECT_THAT(spec.observation.dates, SizeIs(2));
  EXPECT_EQ(loaded.original_text, kValid);
  // Unset keys are written out with their defaults, so the run can be reproduced exactly.
  EXPECT_THAT(loaded.resolved_yaml, HasSubstr("replicate: 0"));
}

TEST(ScenarioValid, BoundaryValuesAreAccepted) {
  // Observation dates may fall on the first and last simulated day; shares may be 0 or 1.
  EXPECT_NO_THROW(load_scenario_text(
      variant({{"dates: [2020-06-01, 2020-12-01]", "dates: [2020-01-01, 2020-12-31]"},
               {"screening_probability: 0.03", "screening_probability: 1"},
               {"step_days: 1", "step_days: 7"},
               {"route_choice: time", "route_choice: cost"}}),
      "mini.yaml"));
}

TEST(ScenarioValid, EveryShippedScenarioReadsBackFromItsResolvedForm) {
  // The resolved scenario (stored in every run file) is a scenario in its own right: read
  // again, it resolves to itself.
  const std::filesystem::path root = std::filesystem::path(TIPSIM_SOURCE_DIR) / "scenarios";
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    // Targets and priors files are not scenarios (the calibration tests read them).
    const auto folder = entry.path().parent_path().filename();
    if (entry.path().extension() != ".yaml" || folder == "targets" || folder == "calibration")
      continue;
    const LoadedScenario first = load_scenario(entry.path());
    LoadedScenario again;
    try {
      again = load_scenario_text(first.resolved_yaml, entry.path().filename().string());
    } catch (const ScenarioError& e) {
      FAIL() << entry.path() << ": " << e.what();
    }
    EXPECT_EQ(again.resolved_yaml, first.resolved_yaml) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 11u);
}

TEST(ScenarioValid, KedougouScenarioLoads) {
  const std::filesystem::path file =
      std::filesystem::path(TIPSIM_SOURCE_DIR) / "scenarios/kedougou.yaml";
  LoadedScenario loaded;
  try {
    loaded = load_scenario(file);
  } catch (const ScenarioError& e) {
    FAIL() << e.what();
  }
  EXPECT_EQ(loaded.spec.name, "kedougou");
  bool saraya = false;
  bool kedougou = false;
  for (const PlaceSpec& p : loaded.spec.places) {
    if (p.kind != PlaceKind::site) continue;
    saraya = saraya || p.department == "Saraya";
    kedougou = kedougou || p.department == "Kedougou";
  }
  EXPECT_TRUE(saraya);
  EXPECT_TRUE(kedougou);
}

TEST(ScenarioValid, SchemaForbidsUnknownKeys) {
  const std::string schema = scenario_json_schema();
  for (const char* key : {"\"simulation\"", "\"step_days\"", "\"places\"", "\"department\"",
                          "\"routes\"", "\"route_choice\"", "\"freed\"", "\"become_madam\""})
    EXPECT_THAT(schema, HasSubstr(key));
  // One closed object per section, per list element and for the top level.
  std::size_t closed = 0;
  for (std::size_t at = schema.find("\"additionalProperties\": false"); at != std::string::npos;
       at = schema.find("\"additionalProperties\": false", at + 1))
    ++closed;
  EXPECT_GE(closed, 10u);
}

// ---------------------------------------------------------------------------------------------
// Unknown and duplicate keys

TEST(ScenarioErrors, UnknownTopLevelKeySuggestsTheNearestKey) {
  const std::vector<Diagnostic> d = diagnostics_of(
      [] { load_scenario_text(kValid + "prosecuton:\n  sentence_years: 4\n", "mini.yaml"); });
  ASSERT_THAT(d, SizeIs(1));
  EXPECT_EQ(d[0].where, (Location{"mini.yaml", 50, 1}));
  EXPECT_EQ(d[0].key_path, "prosecuton");
  EXPECT_EQ(d[0].message, "unknown key 'prosecuton'; did you mean 'prosecution'?");
  // Nothing close enough: no suggestion rather than a misleading one.
  EXPECT_THAT(errors(kValid + "colour: red\n"),
              ElementsAre("mini.yaml:50:1: colour: unknown key 'colour'"));
}

TEST(ScenarioErrors, UnknownNestedKey) {
  EXPECT_THAT(errors(variant({{"    miners: 500", "    minres: 500"}})),
              ElementsAre("mini.yaml:18:5: places[4].minres: unknown key 'minres'; did you mean "
                          "'miners'?"));
  EXPECT_THAT(errors(variant({{"  seed: 7", "  sead: 7"}})),
              ElementsAre("mini.yaml:6:3: simulation.sead: unknown key 'sead'; did you mean "
                          "'seed'?"));
  // A misspelt required key is also missing; both are reported, the missing one at the element.
  EXPECT_THAT(errors(variant({{"days_mean: 4.0", "days_meen: 4.0"}})),
              ElementsAre("mini.yaml:27:5: routes[0].days_mean: missing required key",
                          "mini.yaml:27:29: routes[0].days_meen: unknown key 'days_meen'; did you "
                          "mean 'days_mean'?"));
}

TEST(ScenarioErrors, DuplicateTopLevelKey) {
  EXPECT_THAT(errors(kValid + "name: again\n"),
              ElementsAre("mini.yaml:50:1: name: duplicate key 'name' (first defined at line 1)"));
}

TEST(ScenarioErrors, DuplicateKeyInsideListElements) {
  EXPECT_THAT(
      errors(variant({{"kind: transit, country: ML}", "kind: transit, country: ML, kind: border}"},
                      {"    houses: 2\n", "    houses: 2\n    miners: 600\n"}})),
      ElementsAre("mini.yaml:12:48: places[2].kind: duplicate key 'kind' (first defined at line "
                  "12)",
                  "mini.yaml:20:5: places[4].miners: duplicate key 'miners' (first defined at "
                  "line 18)"));
}

// ---------------------------------------------------------------------------------------------
// Wrong types and values out of range

TEST(ScenarioErrors, TextWhereANumberIsExpected) {
  EXPECT_THAT(errors(variant({{"    miners: 500", "    miners: many"}})),
              ElementsAre("mini.yaml:18:13: places[4].miners: expected a number in [0, 1e+15], "
                          "got 'many'"));
  EXPECT_THAT(errors(variant({{"recruiters: 1,", "recruiters: 1.5,"}})),
              ElementsAre("mini.yaml:11:78: places[1].recruiters: expected an integer in [0, "
                          "1e+15], got 1.5"));
}

TEST(ScenarioErrors, QuotedNumbersAreText) {
  EXPECT_THAT(errors(variant({{"days_mean: 4.0", "days_mean: \"4.0\""}})),
              ElementsAre("mini.yaml:27:40: routes[0].days_mean: expected a number in [1e-09, "
                          "1e+15], got the quoted text '4.0'"));
  EXPECT_THAT(errors(variant({{"  seed: 7", "  seed: '7'"}})),
              ElementsAre("mini.yaml:6:9: simulation.seed: expected an integer in [0, 9e+15], "
                          "got the quoted text '7'"));
}

TEST(ScenarioErrors, ListWhereAMappingIsExpected) {
  EXPECT_THAT(errors(variant({{"transit:\n  route_choice: time\n", "transit: [time]\n"}})),
              ElementsAre("mini.yaml:42:10: transit: expected a mapping, got a list"));
  // A stray list among the routes is reported and skipped; the other routes still count.
  EXPECT_THAT(errors(variant({{"  - {from: Moussala, to: Bantaco, days_mean: 1.0}\n",
                               "  - {from: Moussala, to: Bantaco, days_mean: 1.0}\n"
                               "  - [Edo, Bamako, 4.0]\n"}})),
              ElementsAre("mini.yaml:32:5: routes[5]: expected a mapping, got a list"));
}

TEST(ScenarioErrors, OtherWrongTypes) {
  EXPECT_THAT(errors(variant({{"{from: Kayes, to: Moussala, days_mean: 1.0}",
                               "{from: Kayes, to: Moussala, days_mean: 1.0, two_way: yes}"}})),
              ElementsAre("mini.yaml:29:58: routes[2].two_way: expected true or false, got "
                          "'yes'"));
  EXPECT_THAT(errors(variant({{"step_days: 1", "step_days: [1]"}})),
              ElementsAre("mini.yaml:5:14: simulation.step_days: expected an integer in [1, 7], "
                          "got a list"));
  EXPECT_THAT(errors(variant({{"dates: [2020-06-01, 2020-12-01]", "dates: 2020-06-01"}})),
              ElementsAre("mini.yaml:8:10: observation.dates: expected a list of texts, got "
                          "'2020-06-01'"));
}

TEST(ScenarioErrors, ShareAboveOne) {
  EXPECT_THAT(errors(variant({{"screening_probability: 0.03", "screening_probability: 1.5"}})),
              ElementsAre("mini.yaml:28:91: routes[1].screening_probability: expected a number "
                          "in [0, 1], got 1.5"));
}

TEST(ScenarioErrors, NegativeCount) {
  EXPECT_THAT(errors(variant({{"recruiters: 2", "recruiters: -2"}})),
              ElementsAre("mini.yaml:10:77: places[0].recruiters: expected an integer in [0, "
                          "1e+15], got -2"));
}

TEST(ScenarioErrors, StepDaysOutOfRange) {
  EXPECT_THAT(errors(variant({{"step_days: 1", "step_days: 0"}})),
              ElementsAre("mini.yaml:5:14: simulation.step_days: expected an integer in [1, 7], "
                          "got 0"));
  EXPECT_THAT(errors(variant({{"step_days: 1", "step_days: 8"}})),
              ElementsAre("mini.yaml:5:14: simulation.step_days: expected an integer in [1, 7], "
                          "got 8"));
}

TEST(ScenarioErrors, RouteChoiceMustBeTimeOrCost) {
  EXPECT_THAT(errors(variant({{"route_choice: time", "route_choice: distance"}})),
              ElementsAre("mini.yaml:43:17: transit.route_choice: expected one of: time, cost, "
                          "got 'distance'"));
}

// ---------------------------------------------------------------------------------------------
// Dates

TEST(ScenarioErrors, BadDate) {
  EXPECT_THAT(errors(variant({{"start: 2020-01-01", "start: 2020-02-30"}})),
              ElementsAre("mini.yaml:3:10: simulation.start: expected a date YYYY-MM-DD, got "
                          "'2020-02-30'"));
}

TEST(ScenarioErrors, BadEndDateIsReportedOnce) {
  EXPECT_THAT(errors(variant({{"end: 2020-12-31", "end: 31/12/2020"}})),
              ElementsAre("mini.yaml:4:8: simulation.end: expected a date YYYY-MM-DD, got "
                          "'31/12/2020'"));
}

TEST(ScenarioErrors, MissingSimulationIsReportedOnce) {
  EXPECT_THAT(errors(variant({{"simulation:\n  start: 2020-01-01\n  end: 2020-12-31\n  "
                               "step_days: 1\n  seed: 7\n",
                               ""}})),
              ElementsAre("mini.yaml:1:1: simulation: missing required key"));
}

TEST(ScenarioErrors, EndBeforeStart) {
  EXPECT_THAT(errors(variant({{"end: 2020-12-31", "end: 2019-12-31"},
                              {"dates: [2020-06-01, 2020-12-01]", "dates: []"}})),
              ElementsAre("mini.yaml:4:8: simulation.end: end 2019-12-31 is before start "
                          "2020-01-01"));
}

TEST(ScenarioErrors, ObservationDateOutsideTheRun) {
  EXPECT_THAT(
      errors(variant(
          {{"dates: [2020-06-01, 2020-12-01]",
            "dates: [2019-06-01, 2020-12-01, 2021-01-01]\n  snapshot_dates: [2022-01-01]"}})),
      ElementsAre("mini.yaml:8:10: observation.dates: date 2019-06-01 is outside the simulated "
                  "period 2020-01-01 to 2020-12-31",
                  "mini.yaml:8:10: observation.dates: date 2021-01-01 is outside the simulated "
                  "period 2020-01-01 to 2020-12-31",
                  "mini.yaml:9:19: observation.snapshot_dates: date 2022-01-01 is outside the "
                  "simulated period 2020-01-01 to 2020-12-31"));
}

TEST(ScenarioErrors, ObservationDatesOutOfOrder) {
  EXPECT_THAT(errors(variant({{"dates: [2020-06-01, 2020-12-01]",
                               "dates: [2020-06-01, 2020-12-01, 2020-03-01]"}})),
              ElementsAre("mini.yaml:8:10: observation.dates: dates must be in increasing "
                          "order: 2020-03-01 follows 2020-12-01"));
  // The same date twice is not increasing either.
  EXPECT_THAT(
      errors(variant({{"dates: [2020-06-01, 2020-12-01]", "dates: [2020-06-01, 2020-06-01]"}})),
      ElementsAre("mini.yaml:8:10: observation.dates: dates must be in increasing "
                  "order: 2020-06-01 follows 2020-06-01"));
  EXPECT_THAT(errors(variant({{"dates: [2020-06-01, 2020-12-01]", "dates: [2020-06-01, June]"}})),
              ElementsAre("mini.yaml:8:10: observation.dates: expected dates YYYY-MM-DD, got "
                          "'June'"));
}

// ---------------------------------------------------------------------------------------------
// Places and routes

TEST(ScenarioErrors, UnknownPlaceInRoute) {
  EXPECT_THAT(errors(variant({{"  - {from: Moussala, to: Bantaco, days_mean: 1.0}\n",
                               "  - {from: Moussala, to: Bantaco, days_mean: 1.0}\n"
                               "  - {from: Lagoss, to: Bamakko, days_mean: 1.0}\n"}})),
              ElementsAre("mini.yaml:32:12: routes[5].from: unknown place 'Lagoss'; places are "
                          "declared under places:",
                          "mini.yaml:32:24: routes[5].to: unknown place 'Bamakko'; places are "
                          "declared under places:"));
}

TEST(ScenarioErrors, DuplicatePlaceName) {
  EXPECT_THAT(errors(variant({{"  - {name: Moussala, kind: border, country: SN}\n",
                               "  - {name: Moussala, kind: border, country: SN}\n"
                               "  - {name: Edo, kind: transit, country: NG}\n"}})),
              ElementsAre("mini.yaml:14:12: places[4].name: place name 'Edo' is used twice"));
}

TEST(ScenarioErrors, PlaceKindNotInTheList) {
  EXPECT_THAT(errors(variant({{"kind: transit", "kind: town"}})),
              ElementsAre("mini.yaml:12:26: places[2].kind: expected one of: origin, transit, "
                          "border, site, destination, got 'town'"));
}

TEST(ScenarioErrors, SiteWithoutDepartment) {
  // Absent: reported at the place itself.
  EXPECT_THAT(errors(variant({{"    department: Saraya\n", ""}})),
              ElementsAre("mini.yaml:14:5: places[4].department: a site needs a department"));
  // Present but empty: reported at the value.
  EXPECT_THAT(errors(variant({{"department: Kedougou", "department: ''"}})),
              ElementsAre("mini.yaml:23:17: places[5].department: a site needs a department"));
}

TEST(ScenarioErrors, KeyOfAnotherKindOfPlace) {
  EXPECT_THAT(errors(variant({{"    houses: 2\n", "    houses: 2\n    recruiters: 4\n"}})),
              ElementsAre("mini.yaml:20:17: places[4].recruiters: only allowed on places of kind "
                          "origin"));
  EXPECT_THAT(errors(variant({{"recruiters: 2, transporters: 1}",
                               "recruiters: 2, transporters: 1, houses: 3}"}})),
              ElementsAre("mini.yaml:10:105: places[0].houses: only allowed on places of kind "
                          "site"));
}

TEST(ScenarioErrors, SiteKeyOnATransitPlaceNamesTheRightKind) {
  EXPECT_THAT(errors(variant(
                  {{"kind: transit, country: ML}", "kind: transit, country: ML, miners: 100}"}})),
              ElementsAre("mini.yaml:12:56: places[2].miners: only allowed on places of kind "
                          "site"));
}

TEST(ScenarioErrors, OriginThatReachesNoSite) {
  // The only route out of Kayes runs one way, towards it.
  EXPECT_THAT(errors(variant({{"{from: Kayes, to: Moussala, days_mean: 1.0}",
                               "{from: Moussala, to: Kayes, days_mean: 1.0, two_way: false}"}})),
              ElementsAre("mini.yaml:27:3: routes: the routes do not connect origin 'Kayes' to "
                          "any site"));
}

TEST(ScenarioErrors, NoSiteAtAll) {
  const std::string text =
      "simulation: {start: 2020-01-01, end: 2020-12-31}\n"
      "places:\n"
      "  - {name: Edo, kind: origin, country: NG}\n"
      "  - {name: Lagos, kind: transit, country: NG}\n"
      "routes:\n"
      "  - {from: Edo, to: Lagos, days_mean: 1}\n";
  EXPECT_THAT(errors(text),
              ElementsAre("mini.yaml:3:3: places: at least one place of kind site is needed",
                          "mini.yaml:6:3: routes: the routes do not connect origin 'Edo' to any "
                          "site"));
}

TEST(ScenarioErrors, TooFewPlacesAndNoRoutes) {
  const std::string text =
      "simulation: {start: 2020-01-01, end: 2020-12-31}\n"
      "places:\n"
      "  - {name: Khossanto, kind: site, country: SN, department: Saraya}\n"
      "routes: []\n";
  EXPECT_THAT(errors(text),
              ElementsAre("mini.yaml:3:3: places: expected at least 2 items, got 1",
                          "mini.yaml:3:3: places: at least one place of kind origin is needed",
                          "mini.yaml:4:9: routes: expected at least 1 item, got 0"));
}

// ---------------------------------------------------------------------------------------------
// Rules across several keys

TEST(ScenarioErrors, NationalitySharesMustSumToOne) {
  EXPECT_THAT(errors(variant({{"share: 0.4}", "share: 0.3}"}})),
              ElementsAre("mini.yaml:34:5: population.voluntary_nationality: shares must sum to "
                          "1, they sum to 0.900000"));
}

TEST(ScenarioErrors, FreedSharesMustSumToOne) {
  EXPECT_THAT(errors(variant({{"  stay: 0.5", "  stay: 0.6"}})),
              ElementsAre("mini.yaml:45:9: freed.stay: the shares stay, move_site, leave_region, "
                          "return_home and become_madam must sum to 1, they sum to 1.100000"));
}

TEST(ScenarioErrors, MinimumAboveMaximum) {
  EXPECT_THAT(errors(variant({{"house_capacity_min: 3", "house_capacity_min: 9"},
                              {"debt_min_fcfa: 1500000", "debt_min_fcfa: 3000000"}})),
              ElementsAre("mini.yaml:38:23: organisation.house_capacity_max: must not be below "
                          "house_capacity_min",
                          "mini.yaml:41:18: exploitation.debt_max_fcfa: must not be below "
                          "debt_min_fcfa"));
  // When the maximum is left at its default the problem is shown at the section.
  EXPECT_THAT(errors(variant({{"dates: [2020-06-01, 2020-12-01]\n",
                               "dates: [2020-06-01, 2020-12-01]\n  wecs_age_min: 40\n"}})),
              ElementsAre("mini.yaml:8:3: observation.wecs_age_max: must not be below "
                          "wecs_age_min"));
}

// ---------------------------------------------------------------------------------------------
// Syntax, files and extends

TEST(ScenarioErrors, YamlSyntaxError) {
  // An unclosed flow mapping swallows the lines after it; the error is where the parser gives
  // up, and nothing else is reported since the rest of the file cannot be trusted.
  EXPECT_THAT(errors(variant({{"{from: Moussala, to: Bantaco, days_mean: 1.0}",
                               "{from: Moussala, to: Bantaco, days_mean: 1.0"}})),
              ElementsAre("mini.yaml:34:5: YAML syntax error: illegal block entry"));
  EXPECT_THAT(errors(variant({{"  seed: 7\n", "  seed: 7\n    replicate: 2\n"}})),
              ElementsAre("mini.yaml:7:14: YAML syntax error: illegal map value"));
}

TEST(ScenarioErrors, MissingFileIsAFileError) {
  try {
    load_scenario(kData / "no_such_scenario.yaml");
    ADD_FAILURE() << "expected an IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), data("no_such_scenario.yaml") + ": no such file");
  }
}

TEST(ScenarioExtends, ChildOverridesBase) {
  const LoadedScenario loaded = load_scenario(kData / "mini_child.yaml");
  EXPECT_EQ(loaded.spec.name, "mini-child");
  EXPECT_EQ(loaded.spec.simulation.seed, 99u);
  EXPECT_EQ(loaded.spec.simulation.start, Date::from_ymd(2020, 1, 1));  // kept from the base
  EXPECT_EQ(loaded.spec.transit.route_choice, "cost");
  EXPECT_THAT(loaded.spec.places, SizeIs(6));
  EXPECT_EQ(loaded.resolved_yaml.find("extends"), std::string::npos);
}

TEST(ScenarioExtends, ErrorsPointIntoTheChild) {
  EXPECT_THAT(file_errors(kData / "mini_child_bad.yaml"),
              ElementsAre(data("mini_child_bad.yaml") +
                              ":4:14: simulation.step_days: expected an integer in [1, 7], got 9",
                          data("mini_child_bad.yaml") +
                              ":6:3: transit.route_choise: unknown key 'route_choise'; did you "
                              "mean 'route_choice'?"));
}

TEST(ScenarioExtends, MissingBase) {
  EXPECT_THAT(file_errors(kData / "extends_missing.yaml"),
              ElementsAre(data("extends_missing.yaml") + ":2:10: extends: cannot read file '" +
                          data("no_such_base.yaml") + "': no such file"));
}

TEST(ScenarioExtends, CircularExtends) {
  EXPECT_THAT(file_errors(kData / "cycle_one.yaml"),
              ElementsAre(data("cycle_two.yaml") +
                          ":1:10: extends: circular extends: " + data("cycle_one.yaml") + " -> " +
                          data("cycle_two.yaml") + " -> " + data("cycle_one.yaml")));
  EXPECT_THAT(file_errors(kData / "self_extends.yaml"),
              ElementsAre(data("self_extends.yaml") + ":1:10: extends: circular extends: " +
                          data("self_extends.yaml") + " -> " + data("self_extends.yaml")));
}

// ---------------------------------------------------------------------------------------------
// --set overrides

TEST(ScenarioOverrides, ValidOverridesApply) {
  const LoadedScenario loaded = load_scenario_text(
      kValid, "mini.yaml",
      {"simulation.seed=42", "transit.route_choice=cost", "places.4.miners=900"});
  EXPECT_EQ(loaded.spec.simulation.seed, 42u);
  EXPECT_EQ(loaded.spec.transit.route_choice, "cost");
  EXPECT_EQ(loaded.spec.places[4].miners, 900.0);
}

TEST(ScenarioOverrides, MalformedSet) {
  EXPECT_THAT(errors(kValid, {"simulation.seed", "=5", "simulation..seed=1", "places.x.name=A",
                              "places.9.name=A", "simulation.seed.x=1"}),
              ElementsAre("--set:1:1: expected key.path=value, got 'simulation.seed'",
                          "--set:2:1: empty key path in '=5'",
                          "--set:3:1: simulation..seed: empty segment in key path "
                          "'simulation..seed'",
                          "--set:4:1: places.x.name: 'places' has no item named 'x' (it has Edo, "
                          "Kayes, Bamako, Moussala, Khossanto, Bantaco)",
                          "--set:5:1: places.9.name: index 9 is out of range: 'places' has 6 "
                          "items",
                          "--set:6:1: simulation.seed.x: cannot set 'simulation.seed.x': "
                          "'simulation.seed' is not a mapping or list"));
  const std::vector<std::string> e = errors(kValid, {"simulation.seed=[1"});
  ASSERT_THAT(e, SizeIs(1));
  EXPECT_THAT(e[0], HasSubstr("--set:1:1: simulation.seed: in value: YAML syntax error: "));
}

TEST(ScenarioOverrides, UnknownKeyOrBadValue) {
  EXPECT_THAT(errors(kValid, {"simulation.sead=3"}),
              ElementsAre("--set:1:1: simulation.sead: unknown key 'sead'; did you mean "
                          "'seed'?"));
  EXPECT_THAT(errors(kValid, {"transit.route_choice=distance", "simulation.step_days=0"}),
              ElementsAre("--set:1:1: transit.route_choice: expected one of: time, cost, got "
                          "'distance'",
                          "--set:2:1: simulation.step_days: expected an integer in [1, 7], got "
                          "0"));
}

// ---------------------------------------------------------------------------------------------
// Several problems at once

TEST(ScenarioErrors, AllProblemsAreReportedInFileOrder) {
  const std::string text = variant({{"name: mini", "nmae: mini"},
                                    {"step_days: 1", "step_days: 0"},
                                    {"    miners: 500", "    miners: many"},
                                    {"screening_probability: 0.03", "screening_probability: 1.5"},
                                    {"route_choice: time", "route_choice: distance"},
                                    {"  stay: 0.5", "  stay: 0.6"}});
  const std::vector<std::string> expected = {
      "mini.yaml:1:1: nmae: unknown key 'nmae'; did you mean 'name'?",
      "mini.yaml:5:14: simulation.step_days: expected an integer in [1, 7], got 0",
      "mini.yaml:18:13: places[4].miners: expected a number in [0, 1e+15], got 'many'",
      "mini.yaml:28:91: routes[1].screening_probability: expected a number in [0, 1], got 1.5",
      "mini.yaml:43:17: transit.route_choice: expected one of: time, cost, got 'distance'",
      "mini.yaml:45:9: freed.stay: the shares stay, move_site, leave_region, return_home and "
      "become_madam must sum to 1, they sum to 1.100000"};
  try {
    load_scenario_text(text, "mini.yaml");
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(formatted(e.diagnostics()), expected);
    std::string joined;
    for (const std::string& line : expected) joined += (joined.empty() ? "" : "\n") + line;
    EXPECT_EQ(std::string(e.what()), joined);
  }
}

TEST(ScenarioErrors, SitesInTwoCountries) {
  // Survivors are repatriated when their nationality differs from the sites' country, so
  // there must be one such country.
  EXPECT_THAT(errors(variant({{"  - name: Bantaco\n    kind: site\n    country: SN",
                               "  - name: Bantaco\n    kind: site\n    country: ML"}})),
              ElementsAre("mini.yaml:10:3: places: all sites must be in one country (survivors "
                          "of any other nationality wait for repatriation); they are in 2"));
}

}  // namespace
}  // namespace tipsim::model
