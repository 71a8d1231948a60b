#include "analysis/fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/fit_ensemble.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/json_reader.hpp"

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

/// The beta-binomial deviance computed the long way, for the tests: the likelihood ratio of
/// the reported count k = t n under the binomial at p = t and under the simulated survey's
/// Beta(s m + 1/2, (1 - s) m + 1/2), both integrals over p taken numerically (p = sin^2 u,
/// which removes the end-point singularities of the Jeffreys terms). The binomial
/// coefficient is common to both and cancels.
double reference_term(double t, double n, std::optional<double> s, double m) {
  const double a = s ? *s * m + 0.5 : 0.5, b = s ? (1 - *s) * m + 0.5 : 0.5;
  const double k = t * n;
  // integral over [0, 1] of p^(x - 1) (1 - p)^(y - 1) dp, by Simpson's rule in u.
  const auto beta_integral = [](double x, double y) {
    constexpr int kIntervals = 200000;
    const double pi = std::acos(-1.0), h = (pi / 2) / kIntervals;
    double sum = 0;
    for (int i = 0; i <= kIntervals; ++i) {
      const double u = i * h, sn = std::sin(u), cs = std::cos(u);
      // p^(x-1) (1-p)^(y-1) dp = 2 sin^(2x-1) u cos^(2y-1) u du
      const double f = 2 * std::pow(sn, 2 * x - 1) * std::pow(cs, 2 * y - 1);
      const double w = (i == 0 || i == kIntervals) ? 1 : (i % 2 == 1 ? 4 : 2);
      sum += w * (std::isfinite(f) ? f : 0.0);
    }
    return sum * h / 3;
  };
  const double binomial =
      (k > 0 ? k * std::log(t) : 0) + (n - k > 0 ? (n - k) * std::log(1 - t) : 0);
  const double predictive = std::log(beta_integral(k + a, n - k + b) / beta_integral(a, b));
  return 2 * (binomial - predictive);
}

TEST(FitTermTest, BetaBinomialDevianceAgainstNumericalIntegration) {
  for (const auto& [t, n, s, m] :
       std::vector<std::tuple<double, double, std::optional<double>, double>>{
           {0.2, 100, 0.25, 80},
           {0.08, 60, 0.0, 60},
           {0.19, 72.5, 0.21, 70.3},
           {0.0, 50, 0.1, 50},
           {1.0, 12, 0.7, 9},
           {0.1, 10, std::nullopt, 0}}) {
    EXPECT_NEAR(beta_binomial_deviance(t, n, s, m), reference_term(t, n, s, m), 1e-6)
        << t << " " << n << " " << m;
  }
  // Values computed independently (Python, math.lgamma).
  EXPECT_NEAR(beta_binomial_deviance(0.08, 60, 0.0, 60), 6.869534227898271, 1e-9);
  EXPECT_NEAR(beta_binomial_deviance(0.2, 100, 0.25, 80), 1.4470202006392867, 1e-9);
  EXPECT_NEAR(beta_binomial_deviance(0.1, 10, std::nullopt, 0), 2.8595230836968186, 1e-9);
}

TEST(FitTermTest, BetaBinomialDevianceBehaves) {
  // A share the simulated survey never saw is unlikely, not impossible.
  EXPECT_TRUE(std::isfinite(beta_binomial_deviance(0.08, 60, 0.0, 60)));
  EXPECT_TRUE(std::isfinite(beta_binomial_deviance(0.9, 60, 1.0, 60)));
  // Nothing reported, nothing to score.
  EXPECT_EQ(beta_binomial_deviance(0.3, 0, 0.6, 50), 0.0);
  // Never negative; grows with the distance; least where the two shares agree.
  double previous = -1;
  for (double s = 0.3; s <= 0.9; s += 0.05) {
    const double term = beta_binomial_deviance(0.3, 100, s, 100);
    EXPECT_GE(term, 0.0);
    EXPECT_GT(term, previous) << s;
    previous = term;
  }
  EXPECT_LT(beta_binomial_deviance(0.3, 100, 0.3, 100),
            beta_binomial_deviance(0.3, 100, 0.28, 100));
  // The more respondents behind a mismatch, the larger the term.
  EXPECT_GT(beta_binomial_deviance(0.3, 200, 0.4, 200), beta_binomial_deviance(0.3, 100, 0.4, 100));
  // A vast simulated survey leaves the binomial deviance of the reported count ...
  const auto binomial = [](double t, double s, double n) {
    return 2 * n * (t * std::log(t / s) + (1 - t) * std::log((1 - t) / (1 - s)));
  };
  EXPECT_NEAR(beta_binomial_deviance(0.2, 100, 0.25, 1e9), binomial(0.2, 0.25, 100), 1e-4);
  // ... and 0 when it agrees.
  EXPECT_NEAR(beta_binomial_deviance(0.2, 100, 0.2, 1e9), 0.0, 1e-4);
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
  EXPECT_DOUBLE_EQ(*p.n_effective, 10.0);           // n 20 over the design effect 2
  EXPECT_DOUBLE_EQ(*p.simulated_n_effective, 3.5);  // 7 respondents over 2
  EXPECT_NEAR(p.term, reference_term(0.3, 10, 0.45, 3.5), 1e-6);
  EXPECT_EQ(p.target.source, "a report");

  // No design effect: 1. No n: the survey's respondents on both sides.
  const auto& sample = f.targets[1];
  EXPECT_DOUBLE_EQ(*sample.n_effective, 7.0);
  EXPECT_DOUBLE_EQ(*sample.simulated_n_effective, 7.0);
  EXPECT_NEAR(sample.term, reference_term(0.5, 7, 0.5, 7), 1e-6);
  EXPECT_FALSE(sample.target.source);

  const auto& kedougou = f.targets[2];
  EXPECT_EQ(kedougou.simulated, 0.55);
  EXPECT_DOUBLE_EQ(*kedougou.n_effective, 10.0);           // 12 / 1.2
  EXPECT_DOUBLE_EQ(*kedougou.simulated_n_effective, 2.5);  // 3 / 1.2
  EXPECT_NEAR(kedougou.term, reference_term(0.55, 10, 0.55, 2.5), 1e-6);

  // Nationality: without n, the number classified trafficked on both sides (the sample
  // estimator has no design effect here).
  const auto& ng = f.targets[3];
  EXPECT_EQ(ng.simulated, 0.4);
  EXPECT_DOUBLE_EQ(*ng.n_effective, 5.0);
  EXPECT_DOUBLE_EQ(*ng.simulated_n_effective, 5.0);
  EXPECT_NEAR(ng.term, reference_term(0.5, 5, 0.4, 5), 1e-6);

  // Counts: normal terms, relative_sd 0.1 unless given; no effective sample size.
  const auto& saraya = f.targets[4];
  EXPECT_EQ(saraya.simulated, 4.0);
  EXPECT_FALSE(saraya.n_effective);
  EXPECT_FALSE(saraya.simulated_n_effective);
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
  EXPECT_NEAR(f.total, p.term + sample.term + kedougou.term + ng.term + 4.0 + 1.0 + 0.0, 1e-12);
}

TEST(FitTest, CountsMatchedExactlyGiveZeroAndSharesTheirSamplingNoise) {
  const auto targets = read_targets_text(R"(targets:
  - {name: a, survey: baseline, quantity: prevalence, estimator: rds_ii, value: 0.45, n: 561}
  - {name: b, survey: baseline, quantity: nationality_share, country: other, value: 0.4, n: 90}
  - {name: c, survey: baseline, quantity: sample_size, value: 7, relative_sd: 0.02}
  - {name: d, quantity: wecs_18_30, date: 2021-11-15, department: Saraya, value: 800}
)",
                                         "t.yaml");
  const Fit f = fit_targets(run(), targets);
  EXPECT_EQ(f.targets[2].term, 0.0);
  EXPECT_EQ(f.targets[3].term, 0.0);
  // A share matched exactly still scores what the simulated survey's few respondents leave
  // unknown: the reported n (over the design effect) on one side, the simulated on the other.
  EXPECT_DOUBLE_EQ(*f.targets[0].n_effective, 280.5);
  EXPECT_NEAR(f.targets[0].term, reference_term(0.45, 280.5, 0.45, 3.5), 1e-6);
  EXPECT_DOUBLE_EQ(*f.targets[1].n_effective, 90.0);
  EXPECT_NEAR(f.targets[1].term, reference_term(0.4, 90, 0.4, 5), 1e-6);
  EXPECT_GT(f.targets[0].term, 0.0);
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
  - {name: e, quantity: nationality_share, survey: s, country: GN, value: 0.1, relative_sd: 3}
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
        "t.yaml:4:79: targets[2].relative_sd: expected a number in [1e-04, 1000], got 0",
        "t.yaml:5:25: targets[3].quantity: expected one of: prevalence, nationality_share, "
        "sample_size, wecs_18_30, trafficked_18_30, got 'bogus'",
        "t.yaml:6:64: targets[4].country: expected one of: NG, SN, ML, other, got 'GN'",
        "t.yaml:6:80: targets[4].relative_sd: unknown key 'relative_sd'",
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
      "simulated_n_effective": null,
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
  EXPECT_NE(table.find("30.0%     45.0%     10.0       3.5    1.502\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find("  n_saraya              sample_size       baseline Saraya"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("        5         4                       4.000\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find("  total "), std::string::npos) << table;
  EXPECT_TRUE(table.ends_with("  total" + std::string(107, ' ') + "9.355\n")) << table;
}

TEST(FitEnsembleTest, AveragedDevianceIsTheDevianceOfTheMeanLikelihood) {
  EXPECT_TRUE(std::isnan(averaged_deviance({})));
  const std::vector<double> one{3.5};
  EXPECT_DOUBLE_EQ(averaged_deviance(one), 3.5);
  const std::vector<double> two{1.0, 3.0};
  EXPECT_NEAR(averaged_deviance(two), -2 * std::log((std::exp(-0.5) + std::exp(-1.5)) / 2), 1e-12);
  // One run that fits and one that cannot: the average likelihood is half the first's.
  const std::vector<double> far{0.0, 1e6};
  EXPECT_NEAR(averaged_deviance(far), 2 * std::log(2.0), 1e-12);
  // Large terms do not underflow to infinity.
  const std::vector<double> large{2000.0, 2002.0};
  EXPECT_NEAR(averaged_deviance(large), 2000 - 2 * std::log((1 + std::exp(-1.0)) / 2), 1e-9);
}

TEST(FitEnsembleTest, AFitFromARunsIndicatorsIsTheFitOfTheRun) {
  // The ensemble keeps a run as the numbers of its summary's JSON: read back, they give
  // the same fit as the summary itself.
  Summary whole = run();
  // A survey still in the field has no estimates (the fixture's "late" copies its figures).
  for (auto& e : whole.surveys[2].estimates.by_estimator)
    if (e) *e = EstimateInterval{};
  std::vector<std::string> names;
  std::vector<double> values;
  for (auto& [name, value] : flatten_numbers(parse_json(summary_json(whole)))) {
    names.push_back(name);
    values.push_back(value);
  }
  const Summary back = summary_from_indicators(names, values);
  // "late" did not complete: left out of the targets, its absence is reported alike.
  const auto targets = read_targets_text(kTargets, "t.yaml");
  const Fit a = fit_targets(whole, targets), b = fit_targets(back, targets);
  ASSERT_EQ(a.targets.size(), b.targets.size());
  for (std::size_t k = 0; k < a.targets.size(); ++k) {
    EXPECT_EQ(a.targets[k].simulated, b.targets[k].simulated) << k;
    EXPECT_EQ(a.targets[k].n_effective, b.targets[k].n_effective) << k;
    EXPECT_EQ(a.targets[k].simulated_n_effective, b.targets[k].simulated_n_effective) << k;
    EXPECT_DOUBLE_EQ(a.targets[k].term, b.targets[k].term) << k;
  }
  EXPECT_DOUBLE_EQ(a.total, b.total);
  const auto late = read_targets_text(
      "targets:\n  - {name: x, survey: late, quantity: sample_size, value: 7}\n", "t.yaml");
  EXPECT_THROW((void)fit_targets(back, late), config::ScenarioError);
}

}  // namespace
}  // namespace tipsim::analysis
