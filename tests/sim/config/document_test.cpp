#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "config_test_support.hpp"
#include "sim/error.hpp"

namespace tipsim::config {
namespace {

using config_test::errors_of;
using config_test::kMinimal;
using config_test::read_errors;
using config_test::read_text;
using config_test::Scenario;
using ::testing::ElementsAre;

const std::filesystem::path kData =
    std::filesystem::path(TIPSIM_SOURCE_DIR) / "tests/sim/config/data";

std::string data(const std::string& name) {
  return (kData / name).generic_string();
}

Scenario read_file(const std::string& name, const std::vector<std::string>& overrides = {}) {
  Scenario s;
  read(Document::load_file(kData / name, overrides),
       [&](Reader& r) { config_test::read_scenario(r, s); });
  return s;
}

std::vector<std::string> load_errors(const std::string& name) {
  return errors_of([&] { Document::load_file(kData / name); });
}

// GCC 12 at -O2 and above takes the strings of these brace-initialised temporaries for
// uninitialised (a false positive of its optimiser, not of the code).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
TEST(Document, DiagnosticFormatLeavesOutUnknownParts) {
  EXPECT_EQ((Diagnostic{{"a.yaml", 3, 7}, "x.y", "bad"}).format(), "a.yaml:3:7: x.y: bad");
  EXPECT_EQ((Diagnostic{{"a.yaml", 3, 0}, "x", "bad"}).format(), "a.yaml:3: x: bad");
  EXPECT_EQ((Diagnostic{{"a.yaml", 0, 0}, "", "bad"}).format(), "a.yaml: bad");
  EXPECT_EQ((Diagnostic{{}, "", "bad"}).format(), "bad");
  const ScenarioError e({Diagnostic{{"a", 1, 2}, "k", "m"}, Diagnostic{{}, "", "n"}});
  EXPECT_STREQ(e.what(), "a:1:2: k: m\nn");
  EXPECT_EQ(e.diagnostics().size(), 2u);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic pop
#endif

TEST(Document, NodesRememberLocations) {
  const Document doc = Document::load_string("a:\n  - x\n  - 'y'\nb: {c: 1}\n", "t.yaml");
  const Node& root = doc.root();
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.keys().size(), 2u);
  EXPECT_EQ(root.keys()[1].name, "b");
  EXPECT_EQ(root.keys()[1].where, (Location{"t.yaml", 4, 1}));
  const Node* a = root.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->is_sequence());
  EXPECT_TRUE(a->child(0).plain());
  EXPECT_FALSE(a->child(1).plain());
  EXPECT_EQ(a->child(1).text(), "y");
  EXPECT_EQ(a->child(1).location(), (Location{"t.yaml", 3, 5}));
  EXPECT_EQ(root.find("b")->find("c")->location(), (Location{"t.yaml", 4, 8}));
  EXPECT_EQ(doc.main_text(), "a:\n  - x\n  - 'y'\nb: {c: 1}\n");
}

TEST(Document, YamlSyntaxErrorHasLineAndColumn) {
  EXPECT_THAT(load_errors("syntax_error.yaml"),
              ElementsAre(data("syntax_error.yaml") +
                          ":3:5: YAML syntax error: end of sequence flow not found"));
  EXPECT_THAT(read_errors("a: 1\n  b: 2\n"),
              ElementsAre("scenario.yaml:2:4: YAML syntax error: illegal map value"));
}

TEST(Document, DuplicateKeysAnywhere) {
  EXPECT_THAT(read_errors("seed: 1\nseed: 2\n"),
              ElementsAre("scenario.yaml:2:1: seed: duplicate key 'seed' (first defined at line "
                          "1)"));
  EXPECT_THAT(read_errors("seed: 1\n"
                          "sites:\n"
                          "  - name: a\n"
                          "    miners: 1\n"
                          "    name: b\n"
                          "economy: {growth: 1, growth: 2}\n"),
              ElementsAre("scenario.yaml:5:5: sites[0].name: duplicate key 'name' (first "
                          "defined at line 3)",
                          "scenario.yaml:6:22: economy.growth: duplicate key 'growth' (first "
                          "defined at line 6)"));
}

TEST(Document, OtherStructuralProblems) {
  EXPECT_THAT(read_errors("- 1\n"),
              ElementsAre("scenario.yaml:1:1: expected a mapping of keys at the top level, got "
                          "a list"));
  EXPECT_THAT(read_errors("a: 1\n---\nb: 2\n"),
              ElementsAre("scenario.yaml:3:1: only one YAML document is allowed per file"));
  EXPECT_THAT(read_errors("[a]: 1\n"),
              ElementsAre("scenario.yaml:1:1: mapping keys must be plain text"));
}

TEST(Document, AnchorsAndAliasesAreCopied) {
  const Document doc = Document::load_string("a: &x {b: 1}\nc: *x\n", "t.yaml");
  ASSERT_NE(doc.root().find("c"), nullptr);
  EXPECT_EQ(doc.root().find("c")->find("b")->text(), "1");
}

TEST(Document, AliasesThatExpandWithoutLimitAreRefused) {
  // "Billion laughs": nine levels of ten aliases each would expand to 10^9 values; the
  // sixth line (10^6 values) passes the limit.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string prev = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  const auto errors = errors_of([&] { Document::load_string(text, "bomb.yaml"); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::HasSubstr("bomb.yaml:6:"));
  EXPECT_THAT(errors[0], ::testing::HasSubstr("aliases (*name) expand the document past "
                                              "1000000 values"));
  // Aliases within the limit are still copied.
  EXPECT_NO_THROW(Document::load_string("a: &x [1, 2]\nb: [*x, *x, *x]\n", "ok.yaml"));
}

TEST(Document, DeepNestingAndLoneCarriageReturnsAreNamed) {
  const std::string deep = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  EXPECT_THAT(errors_of([&] { Document::load_string(deep, "deep.yaml"); }),
              ElementsAre(::testing::HasSubstr("lists or mappings nested 5000 deep, more than "
                                               "the YAML parser takes")));
  EXPECT_THAT(
      errors_of([] { Document::load_string("name: x\rseed: 1\r", "cr.yaml"); }),
      ElementsAre("cr.yaml:1: lines end with a carriage return alone (CR, the old Mac format); "
                  "save the file with LF or CRLF line endings"));
  // CRLF is fine.
  EXPECT_EQ(Document::load_string("name: x\r\nseed: 1\r\n", "crlf.yaml").root().size(), 2u);
}

TEST(Document, TextMustBeUtf8) {
  const auto first_error = [](const std::string& text) {
    const auto errors = errors_of([&] { Document::load_string(text, "s.yaml"); });
    return errors.empty() ? std::string() : errors.front();
  };
  EXPECT_EQ(first_error(std::string("\xFF\xFEs\0e\0", 6)),
            "s.yaml:1:1: the file is UTF-16 text; save it as UTF-8");
  EXPECT_EQ(first_error(std::string("\xFF\xFE\0\0s\0\0\0", 8)),
            "s.yaml:1:1: the file is UTF-32 text; save it as UTF-8");
  EXPECT_EQ(first_error("seed: 1\nname: Ke\xE9"
                        "dougou\n"),
            "s.yaml:2:9: byte 0xE9 is not UTF-8 (Latin-1 or Windows-1252 text?); save the "
            "file as UTF-8");
  EXPECT_EQ(first_error(std::string("name: \"a\0b\"\n", 12)),
            "s.yaml:1:9: a NUL byte: tipsim reads UTF-8 text, not binary data");
  // UTF-8, with or without a byte-order mark, is read; the mark is not part of the text.
  const Document bom = Document::load_string(
      "\xEF\xBB\xBFname: K\xC3\xA9"
      "dougou\n",
      "s.yaml");
  EXPECT_EQ(bom.root().keys().front().name, "name");
  EXPECT_EQ(bom.root().find("name")->text(),
            "K\xC3\xA9"
            "dougou");
  EXPECT_EQ(bom.main_text().substr(0, 3), "\xEF\xBB\xBF");  // provenance keeps the file as given
  // A column counts characters, not bytes.
  EXPECT_EQ(first_error("name: \xC3\xA9\xE9\n"),
            "s.yaml:1:8: byte 0xE9 is not UTF-8 (Latin-1 or Windows-1252 text?); save the "
            "file as UTF-8");
}

/// The message Document::load_file(path) throws as a file error.
std::string file_error(const std::filesystem::path& path) {
  try {
    Document::load_file(path);
  } catch (const IoError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an IoError for " << path;
  return "";
}

TEST(Document, AnUnreadableFileIsAFileErrorThatSaysWhy) {
  EXPECT_EQ(file_error(kData / "no_such_file.yaml"), data("no_such_file.yaml") + ": no such file");
  EXPECT_EQ(file_error(kData), kData.generic_string() + ": a folder, not a file");
  EXPECT_EQ(file_error("-"), "-: standard input is not read: give the file's path");
  const auto dir =
      std::filesystem::temp_directory_path() / ("tipsim_unreadable_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_EQ(file_error(dir / "pipe"),
            (dir / "pipe").generic_string() + ": a named pipe, not a regular file");
  std::filesystem::create_symlink(dir / "loop_a", dir / "loop_b");
  std::filesystem::create_symlink(dir / "loop_b", dir / "loop_a");
  EXPECT_EQ(file_error(dir / "loop_a"),
            (dir / "loop_a").generic_string() + ": a loop of symbolic links");
  std::filesystem::remove_all(dir);
}

TEST(Document, ExtendsMergesChildOverBase) {
  const Scenario s = read_file("child.yaml");
  EXPECT_EQ(s.seed, 1);                          // from base
  EXPECT_EQ(s.rate, 0.2);                        // child overrides a scalar
  EXPECT_EQ(s.growth, 0.05);                     // maps merge key by key...
  EXPECT_EQ(s.horizon, 5);                       // ...with the child winning
  EXPECT_EQ(s.weights, std::vector<double>{9});  // lists are replaced whole
  ASSERT_EQ(s.sites.size(), 1u);
  EXPECT_EQ(s.sites[0].name, "base");
}

TEST(Document, PlusKeyMergesListItemsByNameAndAppendsTheRest) {
  const Scenario s = read_file("extends_list.yaml");
  ASSERT_EQ(s.sites.size(), 2u);
  EXPECT_EQ(s.sites[0].name, "base");
  EXPECT_EQ(s.sites[0].yield, 3);  // merged into the base item of the same name
  EXPECT_EQ(s.sites[1].name, "added");
  EXPECT_EQ(s.sites[1].miners, 4);
}

TEST(Document, PlusKeyWithoutABaseListIsTheList) {
  Scenario s;
  read_text("seed: 1\nsites+:\n  - {name: only, miners: 2}\n", s);
  ASSERT_EQ(s.sites.size(), 1u);
  EXPECT_EQ(s.sites[0].name, "only");
}

TEST(Document, ExtendsIsRelativeToTheExtendingFile) {
  const Scenario s = read_file("nested/grandchild.yaml");
  EXPECT_EQ(s.seed, 3);
  EXPECT_EQ(s.rate, 0.2);
  EXPECT_EQ(s.growth, 0.05);
}

TEST(Document, ExtendsIsNotInTheResolvedScenarioButMainTextIsKept) {
  const Document doc = Document::load_file(kData / "child.yaml");
  EXPECT_EQ(doc.root().find("extends"), nullptr);
  EXPECT_EQ(doc.main_text().substr(0, 26), "# Overrides some of base.y");
  Scenario s;
  const std::string resolved = read(doc, [&](Reader& r) { config_test::read_scenario(r, s); });
  EXPECT_EQ(resolved.find("extends"), std::string::npos);
  EXPECT_EQ(resolved.substr(0, 18), "seed: 1\nrate: 0.2\n");
}

TEST(Document, ErrorsPointIntoTheFileThatHoldsTheValue) {
  EXPECT_THAT(
      errors_of([] { read_file("child.yaml", {"sites.0.miners=-1"}); }),
      ElementsAre("--set:1:1: sites[0].miners: expected an integer in [0, 1000000], got -1"));
  const Document doc = Document::load_file(kData / "child.yaml");
  EXPECT_EQ(doc.root().find("seed")->location(), (Location{data("base.yaml"), 1, 7}));
  EXPECT_EQ(doc.root().find("rate")->location(), (Location{data("child.yaml"), 3, 7}));
  EXPECT_EQ(doc.root().find("economy")->find("growth")->location().file, data("base.yaml"));
}

TEST(Document, CircularExtends) {
  EXPECT_THAT(load_errors("cycle_a.yaml"),
              ElementsAre(data("cycle_b.yaml") +
                          ":1:10: extends: circular extends: " + data("cycle_a.yaml") + " -> " +
                          data("cycle_b.yaml") + " -> " + data("cycle_a.yaml")));
}

TEST(Document, MissingExtendsTarget) {
  EXPECT_THAT(load_errors("missing_base.yaml"),
              ElementsAre(data("missing_base.yaml") + ":2:10: extends: cannot read file '" +
                          data("nowhere.yaml") + "': no such file"));
  EXPECT_THAT(read_errors("extends: [a, b]\n"),
              ElementsAre("scenario.yaml:1:10: extends: expected a file path, got a list"));
}

TEST(Document, ProblemsInBaseAndChildAreCollectedTogether) {
  EXPECT_THAT(load_errors("extends_broken.yaml"),
              ElementsAre(data("extends_broken.yaml") +
                              ":3:1: seed: duplicate key 'seed' (first defined at line 2)",
                          data("syntax_error.yaml") +
                              ":3:5: YAML syntax error: end of sequence flow not found"));
}

TEST(Document, LoadStringResolvesExtendsFromBaseDir) {
  const Document doc =
      Document::load_string("extends: child.yaml\nseed: 9\n", "inline.yaml", kData);
  Scenario s;
  read(doc, [&](Reader& r) { config_test::read_scenario(r, s); });
  EXPECT_EQ(s.seed, 9);
  EXPECT_EQ(s.horizon, 5);
}

TEST(Overrides, ReplaceScalarsIndexListsAndParseYaml) {
  const Scenario s =
      read_file("child.yaml", {"rate=0.75", "sites.0.miners=100", "weights=[4, 5]",
                               "start=2021-01-01", "economy.growth=-0.1", "tags=[x]"});
  EXPECT_EQ(s.rate, 0.75);
  EXPECT_EQ(s.sites[0].miners, 100);
  EXPECT_EQ(s.weights, (std::vector<double>{4, 5}));
  EXPECT_EQ(s.start, Date::from_ymd(2021, 1, 1));
  EXPECT_EQ(s.growth, -0.1);
  EXPECT_EQ(s.horizon, 5);
  EXPECT_EQ(s.tags, std::vector<std::string>{"x"});
}

TEST(Overrides, ValueMayContainEqualsSign) {
  const Document doc = Document::load_string("", "t.yaml", ".", {"a.b=x=y"});
  EXPECT_EQ(doc.root().find("a")->find("b")->text(), "x=y");
}

TEST(Overrides, CreatedKeysAreReportedAsUnknown) {
  EXPECT_THAT(read_errors(kMinimal, {"economy.grwoth=1", "sites.0.minres=2"}),
              ElementsAre("--set:1:1: economy.grwoth: unknown key 'grwoth'; did you mean "
                          "'growth'?",
                          "--set:2:1: sites[0].minres: unknown key 'minres'; did you mean "
                          "'miners'?"));
}

TEST(Overrides, MalformedOverridesAreAllReported) {
  EXPECT_THAT(read_errors(kMinimal, {"seed", "=3", "seed.x=1", "sites.5.miners=1",
                                     "sites.first.miners=1", "a..b=1", "rate=[1", "extends=x"}),
              ElementsAre("--set:1:1: expected key.path=value, got 'seed'",
                          "--set:2:1: empty key path in '=3'",
                          "--set:3:1: seed.x: cannot set 'seed.x': 'seed' is not a mapping or "
                          "list",
                          "--set:4:1: sites.5.miners: index 5 is out of range: 'sites' has 1 "
                          "items",
                          "--set:5:1: sites.first.miners: 'sites' has no item named 'first' "
                          "(it has north)",
                          "--set:6:1: a..b: empty segment in key path 'a..b'",
                          "--set:7:1: rate: in value: YAML syntax error: end of sequence flow "
                          "not found",
                          "--set:8:1: extends: 'extends' cannot be set from the command line"));
}

TEST(Overrides, AnEmptyValueIsAnErrorNotTheDefault) {
  EXPECT_THAT(read_errors(kMinimal, {"rate=", "seed= ",
                                     "name=Ke\xE9"
                                     "dougou"}),
              ElementsAre("--set:1:1: rate: no value after '='; give one (write null to set "
                          "null, '' for an empty text)",
                          "--set:2:1: seed: no value after '='; give one (write null to set "
                          "null, '' for an empty text)",
                          "--set:3:1: name: in value: byte 0xE9 is not UTF-8 (Latin-1 or "
                          "Windows-1252 text?); save the file as UTF-8"));
}

TEST(Overrides, ListItemsByNameOrByFromTo) {
  const char* text =
      "sites:\n"
      "  - {name: north, miners: 12}\n"
      "  - {name: south, miners: 5}\n"
      "routes:\n"
      "  - {from: north, to: south, days: 2}\n";
  const Document doc = Document::load_string(
      text, "s.yaml", ".",
      {"sites.south.miners=40", "routes.north-south.days=3", "sites.0.miners=1"});
  EXPECT_EQ(doc.root().find("sites")->child(1).find("miners")->text(), "40");
  EXPECT_EQ(doc.root().find("sites")->child(0).find("miners")->text(), "1");
  EXPECT_EQ(doc.root().find("routes")->child(0).find("days")->text(), "3");
}

TEST(Merge, ListItemsMergeByNameAndRoutesByTheirEnds) {
  std::vector<Diagnostic> problems;
  Node base =
      parse_yaml("routes: [{from: a, to: b, days: 2, fare: 5}]\nplaces: [{name: a, n: 1}]\n",
                 "b.yaml", problems);
  Node over = parse_yaml(
      "routes+: [{from: a, to: b, days: 4}, {from: b, to: c, days: 1}]\n"
      "places+: [{name: a, n: 2}, {name: c}]\n",
      "o.yaml", problems);
  base.merge(std::move(over));
  const Node& routes = *base.find("routes");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes.child(0).find("days")->text(), "4");
  EXPECT_EQ(routes.child(0).find("fare")->text(), "5");  // kept: merged, not replaced
  EXPECT_EQ(base.find("places")->size(), 2u);
  EXPECT_EQ(base.find("places")->child(0).find("n")->text(), "2");
}

}  // namespace
}  // namespace tipsim::config
