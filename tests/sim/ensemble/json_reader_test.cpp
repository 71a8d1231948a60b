#include "sim/json_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "sim/json.hpp"

namespace tipsim {
namespace {

TEST(JsonReaderTest, ReadsBackWhatTheWriterWrites) {
  JsonWriter w;
  w.begin_object();
  w.key("name").string("a \"quoted\"\nname é");
  w.key("count").integer(-42);
  w.key("share").number(0.1 + 0.2);
  w.key("none").null();
  w.key("flag").boolean(true);
  w.key("list").begin_array().integer(1).integer(2).end_array();
  w.end_object();
  const JsonValue v = parse_json(w.str());
  EXPECT_EQ(std::get<std::string>(v.find("name")->value), "a \"quoted\"\nname é");
  EXPECT_EQ(std::get<double>(v.find("count")->value), -42);
  // Shortest round-trip text reads back to the same double.
  EXPECT_EQ(std::get<double>(v.find("share")->value), 0.1 + 0.2);
  EXPECT_TRUE(v.find("none")->is_null());
  EXPECT_TRUE(std::get<bool>(v.find("flag")->value));
  EXPECT_EQ(v.find("list")->items()->size(), 2u);
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(JsonReaderTest, UnicodeEscapesBecomeUtf8) {
  const JsonValue v = parse_json(R"(["\u00e9\ud83d\ude00"])");
  EXPECT_EQ(std::get<std::string>((*v.items())[0].value), "é\xF0\x9F\x98\x80");
}

TEST(JsonReaderTest, MalformedTextNamesTheOffset) {
  for (const char* bad : {"{", "[1,]", "{\"a\" 1}", "nul", "[1] 2", "\"open", "{\"a\":01x}"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)parse_json(bad), std::invalid_argument);
  }
  try {
    (void)parse_json("[1, x]");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "JSON: expected a value at byte 4");
  }
}

TEST(JsonReaderTest, FlattenNamesArrayItemsByNameOrDateAndSplitsIntervals) {
  const JsonValue v = parse_json(R"({
    "seed": 3,
    "totals": {"recruited": 10, "exits": {"repaid": 2}},
    "observations": [{"date": "2021-11-15", "share": null}],
    "surveys": [{"name": "baseline", "estimates": {"rds_ii": {"value": 0.2, "ci": [0.1, 0.3]}}}],
    "plain": [5, 6],
    "label": "text"
  })");
  const auto flat = flatten_numbers(v);
  ASSERT_EQ(flat.size(), 9u);
  EXPECT_EQ(flat[0].first, "seed");
  EXPECT_EQ(flat[1], (std::pair<std::string, double>{"totals.recruited", 10}));
  EXPECT_EQ(flat[2].first, "totals.exits.repaid");
  EXPECT_EQ(flat[3].first, "observations.2021-11-15.share");
  EXPECT_TRUE(std::isnan(flat[3].second));
  EXPECT_EQ(flat[4].first, "surveys.baseline.estimates.rds_ii.value");
  EXPECT_EQ(flat[5],
            (std::pair<std::string, double>{"surveys.baseline.estimates.rds_ii.ci_low", 0.1}));
  EXPECT_EQ(flat[6],
            (std::pair<std::string, double>{"surveys.baseline.estimates.rds_ii.ci_high", 0.3}));
  EXPECT_EQ(flat[7].first, "plain.0");
  EXPECT_EQ(flat[8].first, "plain.1");
}

}  // namespace
}  // namespace tipsim
