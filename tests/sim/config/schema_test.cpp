#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace tipsim::config {
namespace {

void read_all(Reader& r) {
  config_test::Scenario s;
  EXPECT_TRUE(r.schema_mode());
  config_test::read_scenario(r, s);
}

TEST(Schema, JsonSchemaDescribesEveryField) {
  const std::string schema = json_schema(read_all, "Test \"scenario\"");
  const std::string expected_start =
      "{\n"
      "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
      "  \"title\": \"Test \\\"scenario\\\"\",\n"
      "  \"type\": \"object\",\n"
      "  \"properties\": {\n"
      "    \"extends\": {\n";
  EXPECT_EQ(schema.substr(0, expected_start.size()), expected_start);
  const auto contains = [&](const std::string& s) {
    EXPECT_NE(schema.find(s), std::string::npos) << "missing: " << s << "\nin:\n" << schema;
  };
  contains(
      "    \"seed\": {\n"
      "      \"description\": \"Random seed.\",\n"
      "      \"type\": \"integer\",\n"
      "      \"minimum\": 0,\n"
      "      \"maximum\": 1000000000\n"
      "    },\n");
  contains(
      "    \"rate\": {\n"
      "      \"description\": \"Infection rate. Unit: 1/day. Source: assumption: typical.\",\n"
      "      \"type\": \"number\",\n"
      "      \"minimum\": 0,\n"
      "      \"maximum\": 1,\n"
      "      \"default\": 0.25\n"
      "    },\n");
  contains("\"enum\": [\"fast\", \"exact\"],\n      \"default\": \"fast\"");
  contains("\"pattern\": \"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\",\n      \"default\": \"2020-01-01\"");
  contains("\"default\": [1, 2]");
  contains("\"minItems\": 1");
  contains(
      "        \"required\": [\"name\", \"miners\"],\n"
      "        \"additionalProperties\": false\n      },\n      \"minItems\": 1\n");
  contains("  \"required\": [\"seed\"],\n  \"additionalProperties\": false\n}\n");

  // Structurally sound: balanced brackets outside strings, no trailing commas.
  int depth = 0;
  bool in_string = false;
  char last = 0;
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const char c = schema[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      --depth;
      EXPECT_NE(last, ',') << "trailing comma before offset " << i;
    }
    if (c != ' ' && c != '\n') last = c;
  }
  EXPECT_EQ(depth, 0);
  EXPECT_FALSE(in_string);
}

TEST(Schema, MarkdownTableListsParametersWithPaths) {
  const std::string md = markdown_parameters(read_all);
  EXPECT_EQ(md.substr(0, md.find('\n', md.find('\n') + 1) + 1),
            "| key path | default | unit | range | meaning | source |\n"
            "|---|---|---|---|---|---|\n");
  const auto contains = [&](const std::string& s) {
    EXPECT_NE(md.find(s), std::string::npos) << "missing: " << s << "\nin:\n" << md;
  };
  contains("| `seed` | required |  | [0, 1000000000] | Random seed. |  |\n");
  contains("| `rate` | `0.25` | 1/day | [0, 1] | Infection rate | assumption: typical |\n");
  contains("| `mode` | `fast` |  | one of: fast, exact | Solver mode. |  |\n");
  contains("| `economy.growth` | `0.02` | 1/year | [-1, 1] | Annual growth. | IMF 2021 |\n");
  contains("| `economy.horizon` | `10` | year | >= 1 | Years ahead. |  |\n");
  contains("| `sites` | `[]` |  | at least 1 item | Mining sites. |  |\n");
  contains("| `sites[].miners` | required | people | [0, 1000000] | Miners. |  |\n");
}

TEST(Schema, MarkdownListsEveryChoiceWithSeparators) {
  // A choice equal to the first one used to lose its separator.
  const std::string md = markdown_parameters([](Reader& r) {
    r.text("level", std::string("low"), {}, {"low", "high", "low"});
  });
  EXPECT_NE(md.find("| one of: low, high, low |"), std::string::npos) << md;
}

TEST(Schema, SchemaModeReportsNothing) {
  // Cross-field errors and required keys must not stop documentation.
  EXPECT_NO_THROW(json_schema(
      [](Reader& r) {
        r.error("x", "never shown");
        EXPECT_FALSE(r.has("x"));
        EXPECT_EQ(r.integer("x", std::nullopt, {}, {}), 0);
      },
      "t"));
}

}  // namespace
}  // namespace tipsim::config
