#include "analysis/fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/config/diagnostics.hpp"

namespace tipsim::analysis {
namespace {

constexpr std::size_t kSample = 0, kRdsII = 2;

Date day(const char* iso) {
  return *Date::parse(iso);
}

/// A run as summarize() returns it: one observation date, a complete RDS survey, a complete
/// random one and one still in the field.
Summary run() {
  Summary s;
  ObservationSummary o;
  o.date = day("2021-11-15");
  o.by_department = {DepartmentCount{"Kedougou", 400, 100, 0.25},
                     DepartmentCount{"Saraya", 800, 120, 0.15}};
  o.wecs_18_30 = 1200;
  o.trafficked_18_30 = 220;
  s.observations.push_back(o);

  SurveySummary rds;
  rds.name = "baseline";
  rds.design = "rds";
  rds.complete = true;
  rds.n = 7;
  for (auto& e : rds.estimates.by_estimator) e = EstimateInterval{};
  rds.estimates.by_estimator[kSample] = EstimateInterval{0.5, 0.3, 0.7, std::nullopt};
  rds.estimates.by_estimator[kRdsII] = EstimateInterval{0.45, 0.25, 0.65, 2.0};
  SurveyDepartment kedougou{"Kedougou", 3, rds.estimates};
  kedougou.estimates.by_estimator[kRdsII] = EstimateInterval{0.55, 0.4, 0.7, 1.2};
  SurveyDepartment saraya{"Saraya", 4, {}};
  for (auto& e : saraya.estimates.by_estimator) e = EstimateInterval{};
  rds.by_department = {kedougou, saraya};
  rds.among_classified_trafficked.count = 5;
  rds.among_classified_trafficked.nationality_share = {0.4, 0.2, 0.0, 0.4};
  s.surveys.push_back(rds);

  SurveySummary random = rds;
  random.name = "endline";
  random.design = "random";
  for (std::size_t k = 1; k < kEstimatorKeys.size(); ++k) random.estimates.by_estimator[k].reset();
  s.surveys.push_back(random);

  SurveySummary late = rds;
  late.name = "late";
  late.complete = false;
  s.surveys.push_back(late);
  return s;
}

const char* const kTargets = R"(targets:
  - {name: p, survey: baseline, quantity: prevalence, estimator: rds_ii, value: 0.3, n: 20,
     source: "a report"}
  - {name: p_sample, survey: baseline, quantity: prevalence, estimator: sample, value: 0.5}
  - {name: p_kedougou, survey: baseline, quantity: prevalence, estimator: rds_ii,
     department: Kedougou, value: 0.55, n: 12}
  - {name: ng, survey: baseline, quantity: nationality_share, country: NG, value: 0.5}
  - {name: n_saraya, survey: baseline, quantity: sample_size, department: Saraya, value: 5}
  - {name: women, quantity: wecs_18_30, date: 2021-11-15, value: 1500, relative_sd: 0.2}
  - {name: victims_kedougou, quantity: trafficked_18_30, date: 2021-11-15,
     department: Kedougou, value: 100}
)";

/// 2 n [t ln(t/s) + (1-t) ln((1-t)/(1-s))], written out for the tests' own values.
double deviance(double t, double s, double n) {
  return 2 * n * (t * std::log(t / s) + (1 - t) * std::log((1 - t) / (1 - s)));
}

TEST(FitTermTest, BinomialDevianceByHand) {
  // 2 * 100 * (0.2 ln(0.2/0.25) + 0.8 ln(0.8/0.75))
  EXPECT_NEAR(binomial_deviance(0.2, 0.25, 100), 1.4004213294429981, 1e-12);
  // t = 0: only the second part, 2 n ln(1 / (1 - s)).
  EXPECT_NEAR(binomial_deviance(0.0, 0.1, 50), 100 * std::log(1 / 0.9), 1e-12);
  // s = 0 is clamped to 1e-6, so the term is large but finite.
  EXPECT_NEAR(binomial_deviance(0.1, 0.0, 10),
              20 * (0.1 * std::log(0.1 / 1e-6) + 0.9 * std::log(0.9 / (1 - 1e-6))), 1e-9);
  EXPECT_TRUE(std::isfinite(binomial_deviance(0.9, 1.0, 10)));
  EXPECT_EQ(binomial_deviance(0.3, 0.3, 500), 0.0);
  EXPECT_EQ(binomial_deviance(0.0, 0.0, 500), binomial_deviance(0.0, 1e-6, 500));
  EXPECT_GT(binomial_deviance(0.3, 0.4, 200), binomial_deviance(0.3, 0.4, 100));
}

TEST(FitTermTest, NormalTermByHand) {
  EXPECT_DOUBLE_EQ(normal_term(1500, 1200, 0.2), 1.0);  // (-300 / 300)^2
  EXPECT_DOUBLE_EQ(normal_term(500, 550, 0.1), 1.0);
  EXPECT_DOUBLE_EQ(normal_term(561, 550, 0.02), std::pow(11 / (0.02 * 561), 2));
  EXPECT_EQ(normal_term(186, 186, 0.02), 0.0);
}

TEST(FitTest, EveryTargetBesideTheRun) {
  const Fit f = fit_targets(run(), read_targets_text(kTargets, "t.yaml"), "run.h5", "t.yaml");
  EXPECT_EQ(f.file, "run.h5");
  EXPECT_EQ(f.targets_file, "t.yaml");
  ASSERT_EQ(f.targets.size(), 7U);
  const auto& p = f.targets[0];
  EXPECT_EQ(p.target.name, "p");
  EXPECT_EQ(p.simulated, 0.45);
  EXPECT_DOUBLE_EQ(*p.n_effective, 10.0);  // n 20 over the design effect 2
  EXPECT_NEAR(p.term, deviance(0.3, 0.45, 10), 1e-12);
  EXPECT_NEAR(p.term, 0.9434781467874437, 1e-12);
  EXPECT_EQ(p.target.source, "a report");

  // No design effect: 1. No n: the survey's respondents. A perfect match: 0.
  const auto& sample = f.targets[1];
  EXPECT_DOUBLE_EQ(*sample.n_effective, 7.0);
  EXPECT_EQ(sample.term, 0.0);
  EXPECT_FALSE(sample.target.source);

  const auto& kedougou = f.targets[2];
  EXPECT_EQ(kedougou.simulated, 0.55);
  EXPECT_DOUBLE_EQ(*kedougou.n_effective, 10.0);  // 12 / 1.2
  EXPECT_EQ(kedougou.term, 0.0);

  // Nationality: n is the number classified trafficked, without a design effect.
  const auto& ng = f.targets[3];
  EXPECT_EQ(ng.simulated, 0.4);
  EXPECT_DOUBLE_EQ(*ng.n_effective, 5.0);
  EXPECT_NEAR(ng.term, deviance(0.5, 0.4, 5), 1e-12);

  // Counts: normal terms, relative_sd 0.1 unless given; no effective sample size.
  const auto& saraya = f.targets[4];
  EXPECT_EQ(saraya.simulated, 4.0);
  EXPECT_FALSE(saraya.n_effective);
  EXPECT_DOUBLE_EQ(saraya.target.relative_sd, 0.1);
  EXPECT_DOUBLE_EQ(saraya.term, 4.0);  // ((4 - 5) / 0.5)^2
  const auto& women = f.targets[5];
  EXPECT_EQ(women.simulated, 1200.0);
  EXPECT_DOUBLE_EQ(women.term, 1.0);
  const auto& victims = f.targets[6];
  EXPECT_EQ(victims.simulated, 100.0);
  EXPECT_EQ(victims.term, 0.0);

  double sum = 0;
  for (const auto& t : f.targets) sum += t.term;
  EXPECT_DOUBLE_EQ(f.total, sum);
  EXPECT_NEAR(f.total, 0.9434781467874437 + deviance(0.5, 0.4, 5) + 4.0 + 1.0, 1e-12);
}

TEST(FitTest, PerfectMatchGivesZero) {
  const auto targets = read_targets_text(R"(targets:
  - {name: a, survey: baseline, quantity: prevalence, estimator: rds_ii, value: 0.45, n: 561}
  - {name: b, survey: baseline, quantity: nationality_share, country: other, value: 0.4}
  - {name: c, survey: baseline, quantity: sample_size, value: 7, relative_sd: 0.02}
  - {name: d, quantity: wecs_18_30, date: 2021-11-15, department: Saraya, value: 800}
)",
                                         "t.yaml");
  EXPECT_EQ(fit_targets(run(), targets).total, 0.0);
}

TEST(FitTest, NobodyClassifiedGivesNoShareAndNoEvidence) {
  Summary s = run();
  s.surveys[0].among_classified_trafficked = ClassifiedProfile{};
  const Fit f = fit_targets(s, read_targets_text(R"(targets:
  - {name: ng, survey: baseline, quantity: nationality_share, country: NG, value: 0.68}
)",
                                                 "t.yaml"));
  EXPECT_FALSE(f.targets[0].simulated);
  EXPECT_EQ(f.targets[0].n_effective, 0.0);
  EXPECT_EQ(f.targets[0].term, 0.0);
}

/// The diagnostics fit_targets() throws for `targets`.
std::vector<config::Diagnostic> problems(const std::string& targets) {
  try {
    (void)fit_targets(run(), read_targets_text(targets, "t.yaml"));
  } catch (const config::ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(FitTest, TargetsTheRunCannotAnswerAreNamedWithTheirPlace) {
  const auto found = problems(R"(targets:
  - {name: a, survey: baseline_2022, quantity: prevalence, estimator: rds_ii, value: 0.2}
  - {name: b, survey: baseline, quantity: sample_size, department: Dakar, value: 10}
  - {name: c, survey: endline, quantity: prevalence, estimator: rds_ii, value: 0.2}
  - {name: d, survey: baseline, quantity: prevalence, estimator: ss, department: Saraya,
     value: 0.2}
  - {name: e, survey: late, quantity: nationality_share, country: NG, value: 0.5}
  - {name: f, quantity: wecs_18_30, date: 2021-11-16, value: 10}
  - {name: g, quantity: trafficked_18_30, date: 2021-11-15, department: Dakar, value: 10}
)");
  ASSERT_EQ(found.size(), 7U);
  const auto expect = [&](std::size_t i, int line, const char* key, const char* text) {
    EXPECT_EQ(found[i].where.file, "t.yaml");
    EXPECT_EQ(found[i].where.line, line) << found[i].format();
    EXPECT_GT(found[i].where.column, 0);
    EXPECT_EQ(found[i].key_path, "targets[" + std::to_string(i) + "]." + key);
    EXPECT_NE(found[i].message.find(text), std::string::npos) << found[i].message;
  };
  expect(0, 2, "survey",
         "target 'a': the run has no survey 'baseline_2022' (its surveys: baseline, endline, "
         "late)");
  expect(1, 3, "department",
         "target 'b': the run has no department 'Dakar' (its departments: Kedougou, Saraya)");
  expect(2, 4, "estimator",
         "target 'c': survey 'endline' (random design) has no rds_ii estimate: its design does "
         "not use that estimator");
  expect(3, 5, "estimator",
         "target 'd': survey 'baseline' has no ss estimate in department Saraya: it is "
         "undefined");
  expect(4, 7, "survey", "target 'e': survey 'late' did not complete in this run");
  expect(5, 8, "date",
         "target 'f': the run has no observation on 2021-11-16 (its observation dates: "
         "2021-11-15)");
  expect(6, 9, "department", "target 'g': the run has no department 'Dakar'");
}

TEST(FitTest, SaysWhenNobodyWasSampledInTheDepartment) {
  const auto found = problems(R"(targets:
  - {name: a, survey: baseline, quantity: prevalence, estimator: sample, department: Saraya,
     value: 0.2}
)");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_NE(found[0].message.find("it is undefined"), std::string::npos);
  Summary s = run();
  s.surveys[0].by_department[1].n = 0;
  try {
    (void)fit_targets(s, read_targets_text(R"(targets:
  - {name: a, survey: baseline, quantity: prevalence, estimator: sample, department: Saraya,
     value: 0.2}
)",
                                           "t.yaml"));
    ADD_FAILURE() << "no error";
  } catch (const config::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("nobody was sampled there"), std::string::npos)
        << e.what();
  }
}

/// What read_targets_text() reports for `text`, one formatted diagnostic per line.
std::string read_errors(const std::string& text) {
  try {
    (void)read_targets_text(text, "t.yaml");
  } catch (const config::ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(TargetsFileTest, ReportsEveryProblemWithFileLineAndColumn) {
  const std::string errors = read_errors(R"(targets:
  - {name: a, survey: s, quantity: prevalence, estimator: rds_iii, value: 1.2}
  - {name: a, survey: s, quantity: sample_size, value: 0, estimator: ss}
  - {name: c, quantity: wecs_18_30, date: 2021-13-01, value: 10, relative_sd: 0}
  - {name: d, quantity: bogus, value: 10}
  - {name: e, quantity: nationality_share, survey: s, country: GN, value: 0.1, n: 3}
  - {quantity: wecs_18_30, date: 2021-11-15, value: 10}
)");
  for (const char* expected :
       {"t.yaml:2:59: targets[0].estimator: expected one of: sample, rds_i, rds_ii, ss, got "
        "'rds_iii'",
        "t.yaml:2:75: targets[0].value: expected a number in [0, 1], got 1.2",
        "t.yaml:3:12: targets[1].name: target name 'a' is used twice",
        "t.yaml:3:56: targets[1].value: expected a positive count, got 0",
        "t.yaml:3:59: targets[1].estimator: unknown key 'estimator'",
        "t.yaml:4:43: targets[2].date: expected a date YYYY-MM-DD, got '2021-13-01'",
        "t.yaml:4:79: targets[2].relative_sd: expected a positive number, got 0",
        "t.yaml:5:25: targets[3].quantity: expected one of: prevalence, nationality_share, "
        "sample_size, wecs_18_30, trafficked_18_30, got 'bogus'",
        "t.yaml:6:64: targets[4].country: expected one of: NG, SN, ML, other, got 'GN'",
        "t.yaml:6:80: targets[4].n: unknown key 'n'",
        "t.yaml:7:5: targets[5].name: missing required key"}) {
    EXPECT_NE(errors.find(expected), std::string::npos) << expected << "\nin:\n" << errors;
  }
}

TEST(TargetsFileTest, NeedsAtLeastOneTarget) {
  EXPECT_NE(read_errors("targets: []\n").find("targets: expected at least 1 item"),
            std::string::npos);
  EXPECT_NE(read_errors("{}\n").find("targets: missing required key"), std::string::npos);
}

TEST(FitFormatTest, JsonKeysInTheirOrder) {
  const Fit f = fit_targets(run(),
                            read_targets_text(R"(targets:
  - {name: women, quantity: wecs_18_30, date: 2021-11-15, value: 1500, relative_sd: 0.2,
     source: "survey report"}
)",
                                              "t.yaml"),
                            "run.h5", "t.yaml");
  EXPECT_EQ(fit_json(f), R"json({
  "file": "run.h5",
  "targets_file": "t.yaml",
  "targets": [
    {
      "name": "women",
      "quantity": "wecs_18_30",
      "survey": null,
      "department": null,
      "estimator": null,
      "country": null,
      "date": "2021-11-15",
      "target": 1500,
      "simulated": 1200,
      "n_effective": null,
      "term": 1,
      "source": "survey report"
    }
  ],
  "total": 1
}
)json");
}

TEST(FitFormatTest, TableHasALinePerTargetAndTheTotal) {
  const Fit f = fit_targets(run(), read_targets_text(kTargets, "t.yaml"), "run.h5", "t.yaml");
  const std::string table = fit_table(f);
  EXPECT_NE(table.find("run       run.h5\ntargets   t.yaml\n"), std::string::npos) << table;
  EXPECT_NE(table.find("  p                     prevalence        baseline rds_ii"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("30.0%     45.0%     10.0    0.943\n"), std::string::npos) << table;
  EXPECT_NE(table.find("  n_saraya              sample_size       baseline Saraya"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("        5         4             4.000\n"), std::string::npos) << table;
  EXPECT_NE(table.find("  total "), std::string::npos) << table;
  EXPECT_TRUE(table.ends_with("6.148\n")) << table;
}

}  // namespace
}  // namespace tipsim::analysis
