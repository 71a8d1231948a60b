// Virtual surveys on the small corridor: they never change the model; a perfect instrument
// over the whole population gives the truth; the acquaintance network stays consistent;
// designs follow their rules; the random design is unbiased and RDS-II corrects the bias of
// the sample proportion when trafficked women have more ties.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "model_test_support.hpp"
#include "sim/config/diagnostics.hpp"

namespace tipsim::model {
namespace {

const std::string kPerfect =
    "    instrument:\n"
    "      indicators:\n"
    "        deceptive_recruitment: {sensitivity: 1, specificity: 1}\n"
    "        debt_bondage: {sensitivity: 1, specificity: 1}\n"
    "        documents_confiscated: {sensitivity: 1, specificity: 1}\n"
    "        isolation: {sensitivity: 1, specificity: 1}\n"
    "        threats_or_violence: {sensitivity: 1, specificity: 1}\n"
    "        forced_to_continue: {sensitivity: 1, specificity: 1}\n";

std::string survey(const std::string& name, const std::string& window, const std::string& design,
                   const std::string& instrument = kPerfect) {
  return "  - name: " + name + "\n" + window + instrument + "    design: " + design + "\n";
}

const std::string kWindow = "    start: 2021-03-01\n    end: 2021-05-31\n";

struct SurveyRun {
  RunRecord record;
  std::vector<SurveyResult> results;
};

SurveyRun run(const std::string& surveys, std::uint64_t seed = 7,
              const std::vector<std::string>& overrides = {}, const std::string& extra = "") {
  const auto scenario =
      testing::load_small(overrides, extra + (surveys.empty() ? "" : "surveys:\n" + surveys));
  Simulation sim(scenario.spec, seed);
  sim.run();
  SurveyRun out{sim.record(), {}};
  for (const auto& s : sim.surveys()) out.results.push_back(s.result());
  return out;
}

const SurveyEstimate& estimate(const SurveyResult& r, const std::string& name,
                               std::int32_t department = -1) {
  for (const auto& e : r.estimates)
    if (e.estimator == name && e.department == department) return e;
  throw std::runtime_error("no estimate " + name);
}

TEST(Surveys, NeverChangeWhatTheModelDoes) {
  const auto without = run("");
  const auto with = run(survey("a", kWindow, "{type: rds, sample_size: 80, seeds: 4}") +
                        survey("b", kWindow, "{type: venue, sample_size: 60}") +
                        survey("c", kWindow, "{type: random, sample_size: 60}"));
  EXPECT_EQ(without.record.totals, with.record.totals);
  EXPECT_EQ(without.record.by_site, with.record.by_site);
  EXPECT_EQ(without.record.events.size(), with.record.events.size());
  ASSERT_EQ(with.results.size(), 3u);
  for (const auto& r : with.results) EXPECT_TRUE(r.done);
}

TEST(Surveys, ThreadCountDoesNotChangeAnyEstimate) {
  const std::string all = survey("a", kWindow, "{type: rds, sample_size: 80, seeds: 4}") +
                          survey("b", kWindow, "{type: venue, sample_size: 60}") +
                          survey("c", kWindow, "{type: random, sample_size: 60}");
  std::vector<SurveyResult> one;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = run(all).results;
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
  const auto four = run(all).results;
  ASSERT_EQ(one.size(), four.size());
  for (std::size_t k = 0; k < one.size(); ++k) {
    ASSERT_EQ(one[k].estimates.size(), four[k].estimates.size());
    ASSERT_FALSE(one[k].estimates.empty());
    for (std::size_t e = 0; e < one[k].estimates.size(); ++e) {
      const auto& x = one[k].estimates[e];
      const auto& y = four[k].estimates[e];
      EXPECT_EQ(x.estimator, y.estimator);
      EXPECT_EQ(std::memcmp(&x.value, &y.value, sizeof(double)), 0) << x.estimator;
      EXPECT_EQ(std::memcmp(&x.lo, &y.lo, sizeof(double)), 0) << x.estimator;
      EXPECT_EQ(std::memcmp(&x.hi, &y.hi, sizeof(double)), 0) << x.estimator;
    }
    ASSERT_EQ(one[k].respondents.size(), four[k].respondents.size());
    for (std::size_t i = 0; i < one[k].respondents.size(); ++i)
      EXPECT_EQ(one[k].respondents[i].person, four[k].respondents[i].person);
  }
}

TEST(Surveys, PerfectInstrumentOverTheWholePopulationGivesTheTruth) {
  // One fieldwork day and a sample larger than the population: a census.
  const auto r = run(survey("census", "    start: 2021-04-01\n    end: 2021-04-01\n",
                            "{type: random, sample_size: 100000}"))
                     .results[0];
  ASSERT_GT(r.population_size, 50);
  EXPECT_EQ(static_cast<std::int64_t>(r.respondents.size()), r.population_size);
  std::int64_t trafficked = 0;
  for (const auto& x : r.respondents) {
    EXPECT_EQ(x.classified, x.trafficked) << x.person;
    trafficked += x.trafficked;
  }
  EXPECT_GT(trafficked, 0);
  const double truth = static_cast<double>(trafficked) / static_cast<double>(r.respondents.size());
  EXPECT_DOUBLE_EQ(r.truth, truth);
  EXPECT_DOUBLE_EQ(estimate(r, "sample").value, truth);
}

TEST(Surveys, MeasurementErrorFollowsSensitivityAndSpecificity) {
  // Nothing reported: specificity 1, sensitivity 0; everything: specificity 0, sensitivity 1.
  std::string none = "    instrument:\n      indicators:\n", all = none;
  for (const auto& name : kIndicatorNames) {
    none += "        " + std::string(name) + ": {sensitivity: 0, specificity: 1}\n";
    all += "        " + std::string(name) + ": {sensitivity: 1, specificity: 0}\n";
  }
  const auto r = run(survey("none", kWindow, "{type: random, sample_size: 100}", none) +
                     survey("all", kWindow, "{type: random, sample_size: 100}", all));
  for (const auto& x : r.results[0].respondents) EXPECT_EQ(x.classified, 0);
  for (const auto& x : r.results[1].respondents) EXPECT_EQ(x.classified, 1);
  // A required indicator: classified only with documents held, true or reported.
  const auto req = run(survey("req", kWindow, "{type: random, sample_size: 150}",
                              kPerfect + "      required: [documents_confiscated]\n"));
  std::int64_t held = 0;
  for (const auto& x : req.results[0].respondents) {
    EXPECT_EQ(x.classified, x.trafficked && x.truth[2]);
    held += x.truth[2];
  }
  EXPECT_GT(held, 0);
}

TEST(Surveys, AcquaintanceTiesAreMutualAndOnlyAmongWomenAtTheSites) {
  const auto scenario = testing::load_small(
      {}, "surveys:\n" + survey("a", kWindow, "{type: random, sample_size: 10}"));
  Simulation sim(scenario.spec, 7);
  for (int day = 0; day < 500; ++day) sim.step();
  const auto& net = sim.acquaintances();
  const World& w = sim.world();
  std::size_t women = 0, ties = 0;
  for (std::uint16_t s = 0; s < w.sites.size(); ++s) {
    EXPECT_EQ(static_cast<std::int32_t>(net.women_at(s).size()), w.sites[s].women);
    for (const PersonId p : net.women_at(s)) {
      ++women;
      const Status st = w.people.status[p];
      ASSERT_TRUE(st == Status::exploited || st == Status::free_wecs);
      ASSERT_EQ(w.places[w.people.place[p]].site, s);
      for (const PersonId q : net.ties(p)) {
        const auto& back = net.ties(q);
        ASSERT_NE(std::find(back.begin(), back.end(), p), back.end());
        const Status other = w.people.status[q];
        ASSERT_TRUE(other == Status::exploited || other == Status::free_wecs);
        ++ties;
      }
    }
  }
  EXPECT_GT(women, 100u);
  EXPECT_EQ(ties, 2 * net.ties_total());
  EXPECT_GT(static_cast<double>(ties) / static_cast<double>(women), 4.0);
}

TEST(Surveys, RdsChainsFollowTheirRules) {
  const auto r = run(survey("rds", kWindow,
                            "{type: rds, sample_size: 120, seeds: 6, coupons: 3, max_waves: 5, "
                            "sample_size_by_department: [{department: Saraya, n: 80}, "
                            "{department: Kedougou, n: 40}]}"))
                     .results[0];
  ASSERT_GT(r.respondents.size(), 20u);
  std::vector<std::int64_t> by_dept(2, 0);
  std::vector<std::int64_t> recruits(r.respondents.size(), 0);
  std::set<PersonId> people;
  for (std::size_t i = 0; i < r.respondents.size(); ++i) {
    const auto& x = r.respondents[i];
    EXPECT_TRUE(people.insert(x.person).second) << "interviewed twice";
    ++by_dept[static_cast<std::size_t>(x.department)];
    if (x.recruiter < 0) {
      EXPECT_EQ(x.wave, 0);
      continue;
    }
    ASSERT_LT(static_cast<std::size_t>(x.recruiter), i);
    const auto& rec = r.respondents[static_cast<std::size_t>(x.recruiter)];
    EXPECT_EQ(x.wave, rec.wave + 1);
    EXPECT_LE(x.wave, 5);
    EXPECT_GT(x.day, rec.day);
    ++recruits[static_cast<std::size_t>(x.recruiter)];
  }
  for (const auto n : recruits) EXPECT_LE(n, 3);
  // Departments are in place order (Saraya, then Kedougou): quotas hold.
  EXPECT_LE(by_dept[0], 80);
  EXPECT_LE(by_dept[1], 40);
  EXPECT_NO_THROW(estimate(r, "rds_ii", 0));
  EXPECT_NO_THROW(estimate(r, "ss"));
}

TEST(Surveys, WeeklyStepsStillFieldTheSurvey) {
  const auto r =
      run(survey("w", kWindow, "{type: rds, sample_size: 60, seeds: 5, max_new_seeds: 0}") +
              survey("v", kWindow, "{type: venue, sample_size: 40, venue_visits: 4}"),
          7, {"simulation.step_days=7"});
  const auto& rds = r.results[0];
  EXPECT_TRUE(rds.done);
  EXPECT_GT(rds.population_size, 60);
  std::int64_t seeds = 0;
  for (const auto& x : rds.respondents) seeds += x.wave == 0 ? 1 : 0;
  EXPECT_EQ(seeds, 5);
  EXPECT_GT(rds.respondents.size(), 5u);
  EXPECT_EQ(r.results[1].respondents.size(), 40u);  // every visit happened
}

TEST(Surveys, SeedsCountInTheQuota) {
  const auto r = run(survey("s", kWindow, "{type: rds, sample_size: 5, seeds: 20}")).results[0];
  EXPECT_EQ(r.respondents.size(), 5u);
}

TEST(Surveys, ASurveyThatReachesNobodyIsComplete) {
  const auto r = run(survey("nobody",
                            "    start: 2021-03-01\n    end: 2021-03-31\n"
                            "    population: {age_min: 80, age_max: 90}\n",
                            "{type: random, sample_size: 10}"))
                     .results[0];
  EXPECT_TRUE(r.done);
  EXPECT_TRUE(r.respondents.empty());
  EXPECT_TRUE(r.estimates.empty());
}

TEST(Surveys, VenueSamplesComeInClustersOfOneSite) {
  const auto r =
      run(survey("v", kWindow, "{type: venue, sample_size: 60, venue_visits: 6}")).results[0];
  ASSERT_EQ(r.respondents.size(), 60u);
  std::map<std::int32_t, std::set<std::uint16_t>> sites_of;
  for (const auto& x : r.respondents) sites_of[x.cluster].insert(x.site);
  EXPECT_EQ(sites_of.size(), 6u);
  for (const auto& [cluster, sites] : sites_of) EXPECT_EQ(sites.size(), 1u) << cluster;
}

/// Mean over seeds of estimate minus truth, and its standard error.
struct Bias {
  double mean = 0, se = 0;
};
Bias bias(const std::string& surveys, const std::string& estimator, int seeds,
          const std::vector<std::string>& overrides = {}, const std::string& extra = "") {
  std::vector<double> d;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto r = run(surveys, static_cast<std::uint64_t>(seed), overrides, extra).results[0];
    d.push_back(estimate(r, estimator).value - r.truth);
  }
  Bias b;
  for (const double x : d) b.mean += x / static_cast<double>(d.size());
  double var = 0;
  for (const double x : d) var += (x - b.mean) * (x - b.mean) / static_cast<double>(d.size() - 1);
  b.se = std::sqrt(var / static_cast<double>(d.size()));
  return b;
}

TEST(Surveys, RandomDesignIsUnbiased) {
  const auto b = bias(survey("r", kWindow, "{type: random, sample_size: 60}"), "sample", 24);
  EXPECT_LT(std::abs(b.mean), 3 * b.se + 1e-3) << b.mean << " +- " << b.se;
}

TEST(Surveys, RdsIICorrectsTheBiasWhenTraffickedWomenHaveMoreTies) {
  const std::string net = "acquaintance: {ties_free: 1, ties_trafficked: 10}\n";
  const std::string rds =
      survey("rds", kWindow, "{type: rds, sample_size: 100, seeds: 6, coupons: 3}");
  const auto sample = bias(rds, "sample", 16, {}, net);
  const auto rds_ii = bias(rds, "rds_ii", 16, {}, net);
  // Chains oversample the well-connected: the sample proportion is too high; RDS-II moves it
  // down, towards the truth.
  EXPECT_GT(sample.mean, 0.0);
  EXPECT_LT(rds_ii.mean, sample.mean);
  EXPECT_LT(std::abs(rds_ii.mean), std::abs(sample.mean));
}

std::vector<std::string> errors(const std::string& surveys) {
  try {
    testing::load_small({}, "surveys:\n" + surveys);
  } catch (const config::ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.format());
    return out;
  }
  return {};
}

TEST(SurveyErrors, AreReportedWithTheirPlaceAndAllAtOnce) {
  const auto e = errors(
      "  - {name: a, start: 2021-03-01, end: 2022-05-01, design: {type: random, sample_size: "
      "10}}\n"
      "  - {name: a, start: 2021-03-01, end: 2021-04-01, population: {departments: [Dakar]}, "
      "design: {type: rds, sample_size: 10, sample_size_by_department: [{department: Saraya, n: "
      "4}]}, instrument: {required: [debt]}}\n"
      "  - {name: c, start: 2021-03-01, end: 2021-04-01, design: {type: snowball}}\n"
      "  - {name: d, start: 2021-03-01, end: 2021-04-01, design: {type: random, sample_size: 5, "
      "seeds: 3}}\n"
      "  - {name: e, start: 2021-03-01, end: 2021-04-01, population: {departments: [Kedougou]}, "
      "design: {type: random, sample_size: 5, sample_size_by_department: [{department: Saraya, "
      "n: 5}]}}\n");
  const std::vector<std::string> wanted = {
      "surveys[0].start: fieldwork 2021-03-01 to 2022-05-01 is not inside the simulated period",
      "surveys[1].name: survey name 'a' is used twice",
      "surveys[1].population.departments: unknown department 'Dakar'",
      "surveys[1].design.sample_size_by_department: quotas sum to 4, not sample_size 10",
      "surveys[1].design.sample_size_by_department[0].department: department 'Saraya' is not in "
      "the survey's population",
      "surveys[1].instrument.required: unknown indicator 'debt'",
      "surveys[2].design.type: expected one of: rds, venue, random, got 'snowball'",
      "surveys[3].design.seeds: unknown key 'seeds'",
      "surveys[4].design.sample_size_by_department[0].department: department 'Saraya' is not in "
      "the survey's population"};
  ASSERT_EQ(e.size(), wanted.size()) << ::testing::PrintToString(e);
  for (std::size_t i = 0; i < wanted.size(); ++i)
    EXPECT_NE(e[i].find(wanted[i]), std::string::npos) << e[i] << "\nwanted: " << wanted[i];
  for (const auto& line : e) EXPECT_EQ(line.rfind("small.yaml:", 0), 0u) << line;
}

}  // namespace
}  // namespace tipsim::model

namespace tipsim::model {
namespace {

TEST(Surveys, RowsForWomenAProgrammeReachedChangeNoRespondentOrAnswer) {
  // An awareness campaign that changes nothing women do still gives the women it reaches
  // rows, before and during fieldwork. The sample, every answer and every estimate must be
  // those of the run without it: survey draws and orders follow draw keys, not rows.
  const std::string rds =
      survey("a", kWindow, "{type: rds, sample_size: 60, seeds: 6, coupons: 3}");
  const std::string inert =
      "interventions:\n"
      "  - {name: inert, type: awareness_campaign, reach_per_year: 20000, "
      "acceptance_odds_ratio: 1, word_of_mouth_probability: 0}\n";
  const auto without = run(rds);
  const auto with = run(rds, 7, {}, inert);
  ASSERT_EQ(with.results.size(), 1u);
  const auto& a = without.results[0].respondents;
  const auto& b = with.results[0].respondents;
  ASSERT_GT(a.size(), 20u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].day, b[i].day) << i;
    EXPECT_EQ(a[i].recruiter, b[i].recruiter) << i;
    EXPECT_EQ(a[i].reported_degree, b[i].reported_degree) << i;
    EXPECT_EQ(a[i].classified, b[i].classified) << i;
  }
  for (std::size_t k = 0; k < without.results[0].estimates.size(); ++k)
    EXPECT_EQ(without.results[0].estimates[k].value, with.results[0].estimates[k].value) << k;
}

}  // namespace
}  // namespace tipsim::model
