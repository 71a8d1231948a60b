// Tagged unions (Reader::variant): reading, errors, resolved YAML, JSON Schema and Markdown.
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace tipsim::config {
namespace {

using config_test::errors_of;

struct Action {
  std::string name;
  std::string type;
  double beds = 0;
  double rate = 0;
  std::vector<std::string> sites;
};

void read_actions(Reader& r, std::vector<Action>& actions) {
  r.list("actions", {"Things done.", "", ""}, [&](Reader& e, std::size_t) {
    Action a;
    a.name = e.text("name", std::nullopt, {"Name.", "", ""});
    a.type = e.variant("type", {"Kind of action.", "", ""}, {"shelter", "raid"},
                       [&](Reader& v, const std::string& type) {
                         if (type == "shelter") {
                           a.beds = v.number("beds", 10.0, {0, 100}, {"Beds.", "beds", ""});
                         } else {
                           a.rate = v.number("rate", std::nullopt, {0, 10}, {"Rate.", "1/y", ""});
                           a.sites = v.texts("sites", std::vector<std::string>{}, {"At.", "", ""});
                         }
                       });
    actions.push_back(a);
  });
}

std::vector<Action> read_text(const std::string& text, std::string* resolved = nullptr) {
  std::vector<Action> actions;
  const Document doc = Document::load_string(text, "s.yaml", ".", {});
  const std::string yaml = read(doc, [&](Reader& r) { read_actions(r, actions); });
  if (resolved != nullptr) *resolved = yaml;
  return actions;
}

TEST(Variant, ReadsTheMembersOfTheChosenType) {
  std::string yaml;
  const auto a = read_text(
      "actions:\n"
      "  - {name: a, type: shelter, beds: 4}\n"
      "  - {name: b, type: raid, rate: 2, sites: [x]}\n"
      "  - {name: c, type: shelter}\n",
      &yaml);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].beds, 4);
  EXPECT_EQ(a[1].rate, 2);
  EXPECT_EQ(a[1].sites, std::vector<std::string>{"x"});
  EXPECT_EQ(a[2].beds, 10);  // the default of the chosen type
  EXPECT_NE(yaml.find("    type: shelter\n    beds: 10\n"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("rate: 0"), std::string::npos) << "no member of another type:\n" << yaml;
}

TEST(Variant, MembersOfAnotherTypeAreUnknownKeys) {
  const auto errors =
      errors_of([] { read_text("actions:\n  - {name: a, type: shelter, rate: 1}\n"); });
  EXPECT_EQ(errors, std::vector<std::string>{
                        "s.yaml:2:30: actions[0].rate: unknown key 'rate'; did you mean 'name'?"});
}

TEST(Variant, MissingOrWrongTagIsOneErrorAndSilencesTheMembers) {
  EXPECT_EQ(errors_of([] { read_text("actions:\n  - {name: a, beds: 1}\n"); }),
            std::vector<std::string>{"s.yaml:2:5: actions[0].type: missing required key"});
  EXPECT_EQ(errors_of([] { read_text("actions:\n  - {name: a, type: rade, rate: 1}\n"); }),
            std::vector<std::string>{"s.yaml:2:21: actions[0].type: expected one of: shelter, "
                                     "raid, got 'rade'"});
}

TEST(Variant, RequiredMembersOfTheChosenTypeAreRequired) {
  EXPECT_EQ(errors_of([] { read_text("actions:\n  - {name: a, type: raid}\n"); }),
            std::vector<std::string>{"s.yaml:2:5: actions[0].rate: missing required key"});
}

TEST(Variant, JsonSchemaSaysWhichMembersGoWithWhichType) {
  const std::string schema = json_schema(
      [](Reader& r) {
        std::vector<Action> a;
        read_actions(r, a);
      },
      "t");
  const auto contains = [&](const std::string& s) {
    EXPECT_NE(schema.find(s), std::string::npos) << "missing: " << s << "\nin:\n" << schema;
  };
  contains("\"enum\": [\"shelter\", \"raid\"]");
  contains("\"const\": \"shelter\"");
  contains("\"const\": \"raid\"");
  contains("\"required\": [\"rate\"]");
  contains("\"unevaluatedProperties\": false");
  EXPECT_LT(schema.find("\"beds\""), schema.find("\"rate\""));
}

TEST(Variant, MarkdownNamesTheTypeOfEachMember) {
  const std::string table = markdown_parameters([](Reader& r) {
    std::vector<Action> a;
    read_actions(r, a);
  });
  EXPECT_NE(table.find("| `actions[type=shelter].beds` | `10` | beds |"), std::string::npos)
      << table;
  EXPECT_NE(table.find("| `actions[type=raid].rate` | required | 1/y |"), std::string::npos)
      << table;
}

}  // namespace
}  // namespace tipsim::config
