#include "sim/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace tipsim {
namespace {

TEST(JsonTest, QuotesAndEscapes) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quote("line\nnext\ttab\r"), "\"line\\nnext\\ttab\\r\"");
  EXPECT_EQ(json_quote("\b\f"), "\"\\b\\f\"");
  EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(json_quote("K\xC3\xA9"
                       "dougou"),
            "\"K\xC3\xA9"
            "dougou\"");  // UTF-8 kept
}

TEST(JsonTest, Numbers) {
  EXPECT_EQ(json_number(0.25), "0.25");
  EXPECT_EQ(json_number(1.0), "1");
  EXPECT_EQ(json_number(0.1), "0.1");
  EXPECT_EQ(json_number(-0.0), "0");
  EXPECT_EQ(json_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(json_number(std::nan("")), "null");
  EXPECT_EQ(json_number(std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonTest, WriterNestsWithCommas) {
  JsonWriter j(0);
  j.begin_object();
  j.key("a").integer(1);
  j.key("b").begin_array().integer(-2).null().number(0.5).end_array();
  j.key("c").begin_object().end_object();
  j.key("d").unsigned_integer(18446744073709551615ULL);
  j.key("e").number(std::optional<double>{});
  j.key("f").begin_array().boolean(true).boolean(false).end_array();
  j.end_object();
  EXPECT_EQ(
      j.str(),
      R"({"a":1,"b":[-2,null,0.5],"c":{},"d":18446744073709551615,"e":null,"f":[true,false]})");
}

TEST(JsonTest, EscapesDelForYamlToo) {
  EXPECT_EQ(json_quote(std::string("a\x7f", 2)), "\"a\\u007f\"");
}

}  // namespace
}  // namespace tipsim
