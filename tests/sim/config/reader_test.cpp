#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace tipsim::config {
namespace {

using config_test::kMinimal;
using config_test::read_errors;
using config_test::read_text;
using config_test::Scenario;
using ::testing::ElementsAre;

TEST(Reader, DefaultsApplyWhenKeysAreAbsent) {
  Scenario s;
  read_text(kMinimal, s);
  EXPECT_EQ(s.seed, 7);
  EXPECT_EQ(s.rate, 0.25);
  EXPECT_FALSE(s.verbose);
  EXPECT_EQ(s.mode, "fast");
  EXPECT_EQ(s.start, Date::from_ymd(2020, 1, 1));
  EXPECT_EQ(s.weights, (std::vector<double>{1, 2}));
  EXPECT_TRUE(s.tags.empty());
  EXPECT_EQ(s.growth, 0.02);
  EXPECT_EQ(s.horizon, 10);
  ASSERT_EQ(s.sites.size(), 1u);
  EXPECT_EQ(s.sites[0].name, "north");
  EXPECT_EQ(s.sites[0].miners, 12);
  EXPECT_EQ(s.sites[0].yield, 1.5);
}

TEST(Reader, EveryGetterReadsGivenValues) {
  Scenario s;
  read_text(
      "seed: 1e6\n"
      "rate: 0.5\n"
      "verbose: true\n"
      "mode: exact\n"
      "start: 2021-03-04\n"
      "weights: [0, 2.5, 10]\n"
      "tags: [a, 'b c']\n"
      "economy:\n"
      "  growth: -0.5\n"
      "  horizon: 3\n"
      "sites:\n"
      "  - {name: a, miners: 1, yield: 2}\n"
      "  - name: \"b\"\n"
      "    miners: +2\n",
      s);
  EXPECT_EQ(s.seed, 1000000);
  EXPECT_EQ(s.rate, 0.5);
  EXPECT_TRUE(s.verbose);
  EXPECT_EQ(s.mode, "exact");
  EXPECT_EQ(s.start, Date::from_ymd(2021, 3, 4));
  EXPECT_EQ(s.weights, (std::vector<double>{0, 2.5, 10}));
  EXPECT_EQ(s.tags, (std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(s.growth, -0.5);
  EXPECT_EQ(s.horizon, 3);
  ASSERT_EQ(s.sites.size(), 2u);
  EXPECT_EQ(s.sites[0].yield, 2);
  EXPECT_EQ(s.sites[1].name, "b");
  EXPECT_EQ(s.sites[1].miners, 2);
}

TEST(Reader, ExplicitNullMeansAbsent) {
  Scenario s;
  read_text(std::string(kMinimal) + "rate:\nmode: ~\n", s);
  EXPECT_EQ(s.rate, 0.25);
  EXPECT_EQ(s.mode, "fast");
}

TEST(Reader, MissingRequiredKey) {
  EXPECT_THAT(read_errors("sites:\n  - name: a\n"),
              ElementsAre("scenario.yaml:1:1: seed: missing required key",
                          "scenario.yaml:2:5: sites[0].miners: missing required key"));
}

TEST(Reader, WrongTypes) {
  EXPECT_THAT(read_errors(std::string(kMinimal) + "rate: fast\n"
                                                  "verbose: yes\n"
                                                  "mode: [a]\n"
                                                  "weights: 3\n"
                                                  "tags: {a: 1}\n"
                                                  "economy: 5\n"),
              ElementsAre("scenario.yaml:5:7: rate: expected a number in [0, 1], got 'fast'",
                          "scenario.yaml:6:10: verbose: expected true or false, got 'yes'",
                          "scenario.yaml:7:7: mode: expected one of: fast, exact, got a list",
                          "scenario.yaml:8:10: weights: expected a list of numbers in [0, 10], "
                          "got 3",
                          "scenario.yaml:9:7: tags: expected a list of texts, got a mapping",
                          "scenario.yaml:10:10: economy: expected a mapping, got 5"));
}

TEST(Reader, QuotedNumbersAreText) {
  EXPECT_THAT(read_errors("seed: '7'\nrate: \"0.5\"\nsites: [{name: a, miners: 1}]\n"),
              ElementsAre("scenario.yaml:1:7: seed: expected an integer in [0, 1000000000], got "
                          "the quoted text '7'",
                          "scenario.yaml:2:7: rate: expected a number in [0, 1], got the quoted "
                          "text '0.5'"));
}

TEST(Reader, IntegersMustBeIntegral) {
  EXPECT_THAT(read_errors("seed: 1.5\nsites: [{name: a, miners: 1}]\n"),
              ElementsAre("scenario.yaml:1:7: seed: expected an integer in [0, 1000000000], got "
                          "1.5"));
}

TEST(Reader, OutOfRange) {
  EXPECT_THAT(read_errors(std::string(kMinimal) + "rate: 1.5\n"
                                                  "weights: [1, -2, 11]\n"
                                                  "economy: {horizon: 0}\n"),
              ElementsAre("scenario.yaml:5:7: rate: expected a number in [0, 1], got 1.5",
                          "scenario.yaml:6:14: weights[1]: expected a number in [0, 10], got -2",
                          "scenario.yaml:6:18: weights[2]: expected a number in [0, 10], got 11",
                          "scenario.yaml:7:20: economy.horizon: expected an integer >= 1, got 0"));
}

TEST(Reader, BadDate) {
  EXPECT_THAT(read_errors(std::string(kMinimal) + "start: 2021-13-01\n"),
              ElementsAre("scenario.yaml:5:8: start: expected a date YYYY-MM-DD, got "
                          "'2021-13-01'"));
  EXPECT_THAT(read_errors(std::string(kMinimal) + "start: 2021-02-29\n"),
              ElementsAre("scenario.yaml:5:8: start: expected a date YYYY-MM-DD, got "
                          "'2021-02-29'"));
}

TEST(Reader, UnknownKeysWithSuggestions) {
  EXPECT_THAT(read_errors(std::string(kMinimal) + "    minres: 3\n"
                                                  "sead: 1\n"
                                                  "colour: red\n"
                                                  "economy:\n"
                                                  "  grwth: 1\n"),
              ElementsAre("scenario.yaml:5:5: sites[0].minres: unknown key 'minres'; did you "
                          "mean 'miners'?",
                          "scenario.yaml:6:1: sead: unknown key 'sead'; did you mean 'seed'?",
                          "scenario.yaml:7:1: colour: unknown key 'colour'",
                          "scenario.yaml:9:3: economy.grwth: unknown key 'grwth'; did you mean "
                          "'growth'?"));
}

TEST(Reader, ShortUnknownKeysGetNoFarFetchedSuggestion) {
  const auto errors_for = [](const std::string& text) {
    const Document doc = Document::load_string(text, "x.yaml");
    return config_test::errors_of(
        [&] { read(doc, [](Reader& r) { r.number("dt", 1.0, {}, {}); }); });
  };
  // Two edits away, but nothing of 'dt' is left in 'xy'.
  EXPECT_THAT(errors_for("xy: 2\n"), ElementsAre("x.yaml:1:1: xy: unknown key 'xy'"));
  EXPECT_THAT(errors_for("dx: 2\n"),
              ElementsAre("x.yaml:1:1: dx: unknown key 'dx'; did you mean 'dt'?"));
}

TEST(Reader, ListLengthAndElementType) {
  EXPECT_THAT(read_errors("seed: 1\nsites: []\n"),
              ElementsAre("scenario.yaml:2:8: sites: expected at least 1 item, got 0"));
  EXPECT_THAT(read_errors("seed: 1\n"),
              ElementsAre("scenario.yaml:1:1: sites: expected at least 1 item, got 0"));
  // The malformed element is reported once, not once per key it lacks.
  EXPECT_THAT(read_errors("seed: 1\nsites: [3]\n"),
              ElementsAre("scenario.yaml:2:9: sites[0]: expected a mapping, got 3"));
  EXPECT_THAT(read_errors("seed: 1\nsites: 3\n"),
              ElementsAre("scenario.yaml:2:8: sites: expected a list, got 3"));
}

TEST(Reader, AllProblemsAreCollectedInOneError) {
  try {
    Scenario s;
    read_text(
        "rate: 2\n"
        "start: soon\n"
        "sites:\n"
        "  - name: a\n"
        "    miners: many\n"
        "bogus: 1\n",
        s);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 5u);
    EXPECT_EQ(std::string(e.what()),
              "scenario.yaml:1:1: seed: missing required key\n"
              "scenario.yaml:1:7: rate: expected a number in [0, 1], got 2\n"
              "scenario.yaml:2:8: start: expected a date YYYY-MM-DD, got 'soon'\n"
              "scenario.yaml:5:13: sites[0].miners: expected an integer in [0, 1000000], got "
              "'many'\n"
              "scenario.yaml:6:1: bogus: unknown key 'bogus'");
    EXPECT_EQ(e.diagnostics()[4].where.line, 6);
    EXPECT_EQ(e.diagnostics()[4].key_path, "bogus");
    EXPECT_EQ(e.diagnostics()[4].message, "unknown key 'bogus'");
  }
}

TEST(Reader, CrossFieldErrorsAndAccessors) {
  const Document doc = Document::load_string("a: 1\nb:\n  c: 2\n", "x.yaml");
  const auto errors = config_test::errors_of([&] {
    read(doc, [](Reader& r) {
      EXPECT_FALSE(r.schema_mode());
      EXPECT_TRUE(r.has("a"));
      EXPECT_FALSE(r.has("z"));
      EXPECT_EQ(r.path(), "");
      EXPECT_EQ(r.path("a"), "a");
      EXPECT_EQ(r.where("a").line, 1);
      EXPECT_EQ(r.where("a").column, 4);
      r.number("a", std::nullopt, {}, {});
      r.object("b", {}, [](Reader& b) {
        EXPECT_EQ(b.path("c"), "b.c");
        EXPECT_EQ(b.where("missing").line, 3);  // the object itself
        b.number("c", std::nullopt, {}, {});
        b.error("c", "must be below a");
      });
    });
  });
  EXPECT_THAT(errors, ElementsAre("x.yaml:3:6: b.c: must be below a"));
}

TEST(Reader, ResolvedYamlFillsDefaults) {
  Scenario s;
  EXPECT_EQ(read_text(kMinimal, s),
            "seed: 7\n"
            "rate: 0.25\n"
            "verbose: false\n"
            "mode: fast\n"
            "start: 2020-01-01\n"
            "weights: [1, 2]\n"
            "tags: []\n"
            "economy:\n"
            "  growth: 0.02\n"
            "  horizon: 10\n"
            "sites:\n"
            "  - name: north\n"
            "    miners: 12\n"
            "    yield: 1.5\n");
}

TEST(Reader, ResolvedYamlRoundTrips) {
  Scenario first;
  const std::string resolved = read_text(
      "seed: 42\n"
      "start: 2024-02-29\n"
      "tags: ['x: y', 'true', '', \"q\\\"uote\\n\", plain, '#hash', 'null', '1.5']\n"
      "weights: [0.1, 1e-7, 3]\n"
      "sites:\n"
      "  - name: '007'\n"
      "    miners: 5\n"
      "  - name: null site\n"
      "    miners: 6\n"
      "    yield: 0.3333333333333333\n",
      first);
  Scenario second;
  EXPECT_EQ(read_text(resolved, second), resolved);
  EXPECT_EQ(second.seed, first.seed);
  EXPECT_EQ(second.start, first.start);
  EXPECT_EQ(second.tags, first.tags);
  EXPECT_EQ(second.tags[3], "q\"uote\n");
  EXPECT_EQ(second.weights, first.weights);
  ASSERT_EQ(second.sites.size(), 2u);
  EXPECT_EQ(second.sites[0].name, "007");
  EXPECT_EQ(second.sites[1].name, "null site");
  EXPECT_EQ(second.sites[1].yield, first.sites[1].yield);
  EXPECT_EQ(second.growth, first.growth);
}

TEST(Reader, EmptyDocumentUsesDefaults) {
  const Document doc = Document::load_string("", "empty.yaml");
  double x = 0;
  const std::string resolved = read(doc, [&](Reader& r) {
    x = r.number("x", 3.5, {}, {});
    r.list("items", {}, [](Reader&, std::size_t) {});
    r.object("nested", {}, [](Reader&) {});
  });
  EXPECT_EQ(x, 3.5);
  EXPECT_EQ(resolved, "x: 3.5\nitems: []\nnested: {}\n");
  EXPECT_EQ(read(doc, [](Reader&) {}), "{}\n");
}

}  // namespace
}  // namespace tipsim::config
