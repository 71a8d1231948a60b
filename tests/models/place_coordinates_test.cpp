// The optional coordinates of a place: read, documented, checked (both or neither, within
// range), kept through the resolved scenario, and given to every place of the default one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "sim/config/diagnostics.hpp"

namespace tipsim::model {
namespace {

using config::ScenarioError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// A corridor whose transit place (places[1], line 6) gets `coordinates`.
std::string corridor(const std::string& coordinates) {
  return "name: coordinates\n"                                                            // 1
         "simulation: {start: 2020-01-01, end: 2020-03-31}\n"                             // 2
         "places:\n"                                                                      // 3
         "  - {name: Edo, kind: origin, country: NG, latitude: 6.34, longitude: 5.63,\n"  // 4
         "     at_risk_women: 500, recruiters: 1, transporters: 1}\n"                     // 5
         "  - {name: Bamako, kind: transit, country: ML" +
         coordinates +
         "}\n"                                                                               // 6
         "  - {name: Sabodala, kind: site, country: SN, department: Saraya, miners: 100}\n"  // 7
         "routes:\n"
         "  - {from: Edo, to: Bamako, days_mean: 4}\n"
         "  - {from: Bamako, to: Sabodala, days_mean: 2}\n";
}

std::vector<std::string> errors(const std::string& text) {
  try {
    load_scenario_text(text, "c.yaml");
  } catch (const ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return {};
}

TEST(PlaceCoordinates, ReadWhenGivenAndAbsentOtherwise) {
  const LoadedScenario loaded =
      load_scenario_text(corridor(", latitude: 12.65, longitude: -8.0"), "c.yaml");
  const auto& places = loaded.spec.places;
  EXPECT_EQ(places[0].latitude, 6.34);
  EXPECT_EQ(places[0].longitude, 5.63);
  EXPECT_EQ(places[1].latitude, 12.65);
  EXPECT_EQ(places[1].longitude, -8.0);
  EXPECT_FALSE(places[2].latitude.has_value());
  EXPECT_FALSE(places[2].longitude.has_value());
}

TEST(PlaceCoordinates, KeptThroughTheResolvedScenario) {
  const LoadedScenario first = load_scenario_text(corridor(""), "c.yaml");
  // A place without coordinates resolves to null, which reads back as absent.
  EXPECT_THAT(first.resolved_yaml, HasSubstr("latitude: 6.34\n    longitude: 5.63\n"));
  EXPECT_THAT(first.resolved_yaml, HasSubstr("latitude: null\n    longitude: null\n"));
  const LoadedScenario again = load_scenario_text(first.resolved_yaml, "resolved.yaml");
  EXPECT_EQ(again.resolved_yaml, first.resolved_yaml);
  EXPECT_EQ(again.spec.places[0].latitude, 6.34);
  EXPECT_FALSE(again.spec.places[1].latitude.has_value());
}

TEST(PlaceCoordinates, BothOrNeither) {
  EXPECT_THAT(errors(corridor(", latitude: 12.65")),
              ElementsAre("c.yaml:6:5: places[1].longitude: missing: a place with a latitude "
                          "needs a longitude too (give both or neither)"));
  EXPECT_THAT(errors(corridor(", longitude: -8.0")),
              ElementsAre("c.yaml:6:5: places[1].latitude: missing: a place with a longitude "
                          "needs a latitude too (give both or neither)"));
}

TEST(PlaceCoordinates, WithinTheirRanges) {
  EXPECT_THAT(errors(corridor(", latitude: 91, longitude: -181")),
              ElementsAre(HasSubstr("places[1].latitude: expected a number in [-90, 90], got 91"),
                          HasSubstr("places[1].longitude: expected a number in [-180, 180], got "
                                    "-181")));
  EXPECT_THAT(errors(corridor(", latitude: north, longitude: -8")),
              ElementsAre(HasSubstr("places[1].latitude: expected a number")));
}

TEST(PlaceCoordinates, DocumentedInTheSchemaAndTable) {
  EXPECT_THAT(scenario_parameter_table(),
              HasSubstr("| `places[].latitude` |  | degrees | [-90, 90] |"));
  EXPECT_THAT(scenario_parameter_table(),
              HasSubstr("| `places[].longitude` |  | degrees | [-180, 180] |"));
  EXPECT_THAT(scenario_json_schema(), HasSubstr("\"latitude\""));
}

TEST(PlaceCoordinates, EveryPlaceOfTheDefaultScenarioHasThem) {
  const auto spec =
      load_scenario(std::filesystem::path(TIPSIM_SOURCE_DIR) / "scenarios/kedougou.yaml").spec;
  for (const PlaceSpec& p : spec.places) {
    ASSERT_TRUE(p.latitude && p.longitude) << p.name;
    // The corridor lies between the Gulf of Guinea and the Sahel, from the Senegalese coast
    // to southern Nigeria.
    EXPECT_GT(*p.latitude, 4.0) << p.name;
    EXPECT_LT(*p.latitude, 15.0) << p.name;
    EXPECT_GT(*p.longitude, -17.5) << p.name;
    EXPECT_LT(*p.longitude, 8.0) << p.name;
    // The mining sites are in the Kedougou region of south-eastern Senegal.
    if (p.kind == PlaceKind::site) {
      EXPECT_GT(*p.latitude, 12.3) << p.name;
      EXPECT_LT(*p.latitude, 13.6) << p.name;
      EXPECT_GT(*p.longitude, -12.8) << p.name;
      EXPECT_LT(*p.longitude, -11.2) << p.name;
    }
  }
}

}  // namespace
}  // namespace tipsim::model
