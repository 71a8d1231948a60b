// Mistakes in `interventions:` are reported like any other scenario error: file, line,
// column, key path and what was expected, all of them in one pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "model_test_support.hpp"
#include "sim/config/diagnostics.hpp"

namespace tipsim::model {
namespace {

using ::testing::ElementsAre;

/// Diagnostics of the small corridor with `interventions` appended.
std::vector<std::string> errors(const std::string& interventions) {
  try {
    testing::load_small({}, "interventions:\n" + interventions);
  } catch (const config::ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return {};
}

/// "small.yaml:N" where N is the file line of the k-th line (from 1) of the interventions.
std::string line(int k) {
  const std::string base = testing::small_corridor();
  return "small.yaml:" + std::to_string(std::count(base.begin(), base.end(), '\n') + 1 + k);
}

TEST(InterventionErrors, UnknownType) {
  EXPECT_THAT(errors("  - {name: a, type: raid}\n"),
              ElementsAre(line(1) + ":21: interventions[0].type: expected one of: "
                                    "awareness_campaign, economic_empowerment, "
                                    "vigilance_committees, demand_reduction, border_screening, "
                                    "training, site_raids, network_disruption, shelter_care, "
                                    "repatriation, cross_border_cooperation, got 'raid'"));
}

TEST(InterventionErrors, ParameterOfAnotherType) {
  EXPECT_THAT(errors("  - {name: a, type: shelter_care, raids_per_year: 2}\n"),
              ElementsAre(line(1) + ":35: interventions[0].raids_per_year: unknown key "
                                    "'raids_per_year'"));
}

TEST(InterventionErrors, TargetDimensionTheTypeDoesNotUse) {
  EXPECT_THAT(errors("  - {name: a, type: shelter_care, target: {sites: [Khossanto]}}\n"),
              ElementsAre(line(1) + ":44: interventions[0].target.sites: unknown key 'sites'"));
}

TEST(InterventionErrors, UnknownPlacesCountriesAndRoutes) {
  EXPECT_THAT(
      errors("  - {name: a, type: site_raids, target: {sites: [Khosanto], departments: [Dakar]}}\n"
             "  - {name: b, type: awareness_campaign, target: {origins: [Bamako], "
             "nationalities: [FR]}}\n"
             "  - {name: c, type: border_screening, target: {edges: [Edo -> Moussala, Edo]}}\n"),
      ElementsAre(
          line(1) + ":49: interventions[0].target.sites: unknown site 'Khosanto'",
          line(1) + ":74: interventions[0].target.departments: unknown department 'Dakar'",
          line(2) + ":59: interventions[1].target.origins: unknown origin place 'Bamako'",
          line(2) + ":84: interventions[1].target.nationalities: unknown country 'FR'",
          line(3) + ":55: interventions[2].target.edges: no route between 'Edo' and "
                    "'Moussala' is declared under routes:",
          line(3) + ":55: interventions[2].target.edges: expected 'From -> To', got 'Edo'"));
}

TEST(InterventionErrors, NamesMustBeUnique) {
  EXPECT_THAT(errors("  - {name: a, type: training}\n  - {name: a, type: site_raids}\n"),
              ElementsAre(line(2) + ":12: interventions[1].name: intervention name 'a' is used "
                                    "twice"));
}

TEST(InterventionErrors, DatesAndTriggers) {
  EXPECT_THAT(
      errors("  - {name: a, type: training, start: 2021-01-01, end: 2020-12-31}\n"
             "  - {name: b, type: training, trigger: {indicator: trafficked, above: 3}}\n"
             "  - {name: c, type: training, trigger: {above: 3}}\n"
             "  - {name: d, type: training, trigger: {indicator: recruited}}\n"),
      ElementsAre(
          line(1) + ":55: interventions[0].end: end 2020-12-31 is before start 2021-01-01",
          ::testing::StartsWith(line(2) + ":52: interventions[1].trigger.indicator: expected one "
                                          "of: wecs, wecs_18_30,"),
          line(3) + ":48: interventions[2].trigger.above: a trigger needs an indicator",
          line(4) + ":52: interventions[3].trigger.indicator: a trigger needs exactly one of "
                    "'above' and 'below'"));
}

TEST(InterventionErrors, DatesBeyondTheRunAreNotErrors) {
  // A shorter run may extend a scenario whose programme starts later: nothing to do then.
  const auto s = testing::load_small(
      {},
      "interventions:\n  - {name: a, type: repatriation, start: 2023-01-01, dates: "
      "[2023-06-15]}\n");
  EXPECT_EQ(s.spec.interventions[0].start, Date::from_ymd(2023, 1, 1));
  EXPECT_EQ(s.spec.interventions[0].end, Date::from_ymd(2023, 1, 1));
}

TEST(InterventionErrors, OutOfRangeIntensity) {
  EXPECT_THAT(errors("  - {name: a, type: border_screening, screening_probability: 1.5}\n"),
              ElementsAre(::testing::StartsWith(
                  line(1) + ":62: interventions[0].screening_probability: expected a number in")));
}

}  // namespace
}  // namespace tipsim::model
