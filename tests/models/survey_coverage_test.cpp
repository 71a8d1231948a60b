// Long: how often each estimator's bootstrap interval covers the truth, over many seeds of
// the small corridor, for the three designs. Printed for docs/SURVEYS.md; asserted only
// loosely (an interval that almost never covers is a defect; exact coverage is not promised).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "model_test_support.hpp"

namespace tipsim::model {
namespace {

TEST(SurveyCoverage, IntervalsCoverTheTruthOverSeeds) {
  const std::string perfect =
      "    instrument:\n      indicators:\n"
      "        deceptive_recruitment: {sensitivity: 1, specificity: 1}\n"
      "        debt_bondage: {sensitivity: 1, specificity: 1}\n"
      "        documents_confiscated: {sensitivity: 1, specificity: 1}\n"
      "        isolation: {sensitivity: 1, specificity: 1}\n"
      "        threats_or_violence: {sensitivity: 1, specificity: 1}\n"
      "        forced_to_continue: {sensitivity: 1, specificity: 1}\n";
  const std::string window = "    start: 2021-03-01\n    end: 2021-05-31\n";
  const std::string surveys =
      "surveys:\n"
      "  - name: random\n" +
      window + perfect +
      "    design: {type: random, sample_size: 80}\n"
      "  - name: venue\n" +
      window + perfect +
      "    design: {type: venue, sample_size: 80, venue_visits: 8}\n"
      "  - name: rds\n" +
      window + perfect + "    design: {type: rds, sample_size: 80, seeds: 6}\n";
  const int seeds = 200;
  std::map<std::string, std::pair<int, int>> covered;  // design/estimator -> (covered, runs)
  std::map<std::string, double> width;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto scenario = testing::load_small({}, surveys);
    Simulation sim(scenario.spec, static_cast<std::uint64_t>(seed));
    sim.run();
    for (const auto& s : sim.surveys()) {
      const auto& r = s.result();
      for (const auto& e : r.estimates) {
        if (e.department >= 0 || std::isnan(e.lo)) continue;
        const std::string key = s.spec().name + " " + e.estimator;
        auto& [hit, runs] = covered[key];
        hit += (e.lo <= r.truth && r.truth <= e.hi) ? 1 : 0;
        ++runs;
        width[key] += (e.hi - e.lo) / seeds;
      }
    }
  }
  std::printf(
      "| design and estimator | coverage of the 95%% interval | mean width |\n|---|---|---|\n");
  for (const auto& [key, c] : covered) {
    const double share = static_cast<double>(c.first) / static_cast<double>(c.second);
    std::printf("| %s | %.2f (%d runs) | %.3f |\n", key.c_str(), share, c.second, width[key]);
    EXPECT_GT(share, 0.5) << key;
  }
}

}  // namespace
}  // namespace tipsim::model
