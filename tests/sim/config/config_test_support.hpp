#pragma once
// Shared fixtures for the config tests: a small scenario format read the way model code would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/document.hpp"
#include "sim/config/reader.hpp"

namespace tipsim::config::config_test {

struct Site {
  std::string name;
  std::int64_t miners = 0;
  double yield = 0;
};

struct Scenario {
  std::int64_t seed = 0;
  double rate = 0;
  bool verbose = false;
  std::string mode;
  Date start;
  std::vector<double> weights;
  std::vector<std::string> tags;
  double growth = 0;
  std::int64_t horizon = 0;
  std::vector<Site> sites;
};

inline void read_scenario(Reader& r, Scenario& s) {
  s.seed = r.integer("seed", std::nullopt, Range{0, 1e9}, {"Random seed.", "", ""});
  s.rate = r.number("rate", 0.25, Range{0, 1}, {"Infection rate", "1/day", "assumption: typical"});
  s.verbose = r.boolean("verbose", false, {"Log more.", "", ""});
  s.mode = r.text("mode", std::string("fast"), {"Solver mode.", "", ""}, {"fast", "exact"});
  s.start = r.date("start", Date::from_ymd(2020, 1, 1), {"First simulated day.", "", ""});
  s.weights = r.numbers("weights", std::vector<double>{1, 2}, Range{0, 10}, {"Weights.", "", ""});
  s.tags = r.texts("tags", std::vector<std::string>{}, {"Free labels.", "", ""});
  r.object("economy", {"Economic settings.", "", ""}, [&](Reader& e) {
    s.growth = e.number("growth", 0.02, Range{-1, 1}, {"Annual growth.", "1/year", "IMF 2021"});
    s.horizon = e.integer("horizon", 10, Range{.min = 1}, {"Years ahead.", "year", ""});
  });
  r.list(
      "sites", {"Mining sites.", "", ""},
      [&](Reader& site, std::size_t) {
        Site v;
        v.name = site.text("name", std::nullopt, {"Site name.", "", ""});
        v.miners = site.integer("miners", std::nullopt, Range{0, 1e6}, {"Miners.", "people", ""});
        v.yield = site.number("yield", 1.5, Range{.min = 0}, {"Yield.", "g/day", ""});
        s.sites.push_back(v);
      },
      false, 1);
}

/// Diagnostics thrown by `f`, formatted; fails the test when nothing is thrown.
template <typename F>
std::vector<std::string> errors_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  ADD_FAILURE() << "expected a ScenarioError";
  return {};
}

/// Loads `text` as scenario.yaml and reads it with read_scenario.
inline std::string read_text(const std::string& text, Scenario& s,
                             const std::vector<std::string>& overrides = {}) {
  const Document doc = Document::load_string(text, "scenario.yaml", ".", overrides);
  return read(doc, [&](Reader& r) { read_scenario(r, s); });
}

/// Diagnostics of loading and reading `text`.
inline std::vector<std::string> read_errors(const std::string& text,
                                            const std::vector<std::string>& overrides = {}) {
  return errors_of([&] {
    Scenario s;
    read_text(text, s, overrides);
  });
}

inline const char* const kMinimal =
    "seed: 7\n"
    "sites:\n"
    "  - name: north\n"
    "    miners: 12\n";

}  // namespace tipsim::config::config_test
