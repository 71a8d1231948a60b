// The surveys of a summary, read from hand-written `/surveys` groups.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "run_file_support.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

namespace fs = std::filesystem;

using testing_support::EstimateRow;
using testing_support::kNaN;
using testing_support::RespondentDecl;
using testing_support::RunSpec;
using testing_support::SurveyDecl;
using testing_support::TempDirTest;

// Departments of the hand-written file: 0 Kedougou, 1 Saraya. Countries: 0 NG, 1 SN, 2 ML,
// 3 GN, 4 GH (the last two count as "other").
constexpr std::size_t kSample = 0, kRdsI = 1, kRdsII = 2, kSs = 3;

/// Seven respondents; five classified trafficked (the comments give why each counts where).
SurveyDecl rds_survey() {
  SurveyDecl s;
  s.respondents = {
      {0, 19.5F, 0, 1, true, true},    // NG, 18-24, both indicators
      {0, 24.99F, 3, 1, false, true},  // other (GN), 24 completed years: 18-24, debt
      {1, 25.0F, 1, 1, true, true},    // SN, 25-30, both
      {1, 30.9F, 0, 1, false, false},  // NG, 30 completed years: 25-30, neither
      {1, 22.0F, 2, 0, true, true},    // not classified: counts only in n
      {0, 31.2F, 4, 1, true, true},    // other (GH), 31: in no band, both
      {1, 20.0F, 0, 0, false, false},  // not classified
  };
  s.estimates = {
      {"sample", "", 0.5, 0.3, 0.7, 1.5},
      {"rds_i", "", kNaN, kNaN, kNaN, kNaN},
      {"rds_ii", "", 0.45, 0.25, 0.65, 2.0},
      {"ss", "", 0.4, 0.2, 0.6, 1.8},
      {"sample", "Kedougou", 0.6, 0.4, 0.8, 1.1},
      {"rds_ii", "Kedougou", 0.55, 0.35, 0.75, 1.2},
      {"a_later_estimator", "", 0.9, 0.9, 0.9, 1.0},
  };
  return s;
}

class SurveySummaryTest : public TempDirTest {
 protected:
  Summary summarize_surveys(std::vector<SurveyDecl> surveys) {
    RunSpec spec;
    spec.surveys = std::move(surveys);
    return summarize(write(spec, "run.h5"));
  }
};

TEST_F(SurveySummaryTest, ReadsTheHeaderAndCountsRespondentsByDepartment) {
  SurveyDecl endline = rds_survey();
  endline.name = "endline";
  endline.design = "venue";
  const Summary s = summarize_surveys({rds_survey(), endline});
  ASSERT_EQ(s.surveys.size(), 2U);
  const SurveySummary& v = s.surveys[0];
  EXPECT_EQ(v.name, "baseline");
  EXPECT_EQ(s.surveys[1].name, "endline");  // declaration order
  EXPECT_EQ(v.design, "rds");
  EXPECT_EQ(v.start, testing_support::day("2020-01-03"));
  EXPECT_EQ(v.end, testing_support::day("2020-01-08"));
  EXPECT_TRUE(v.complete);
  EXPECT_EQ(v.population_size, 100);
  EXPECT_EQ(v.n, 7);
  ASSERT_EQ(v.by_department.size(), 2U);
  EXPECT_EQ(v.by_department[0].name, "Kedougou");
  EXPECT_EQ(v.by_department[0].n, 3);
  EXPECT_EQ(v.by_department[1].name, "Saraya");
  EXPECT_EQ(v.by_department[1].n, 4);
}

TEST_F(SurveySummaryTest, EstimatesByScopeWithUndefinedValuesEmpty) {
  const SurveySummary v = summarize_surveys({rds_survey()}).surveys[0];
  const ScopeEstimates& all = v.estimates;
  ASSERT_TRUE(all.by_estimator[kSample]);
  EXPECT_EQ(all.by_estimator[kSample]->value, 0.5);
  EXPECT_EQ(all.by_estimator[kSample]->ci_low, 0.3);
  EXPECT_EQ(all.by_estimator[kSample]->ci_high, 0.7);
  EXPECT_EQ(all.by_estimator[kSample]->design_effect, 1.5);
  // NaN in the file: the estimator was used, its value is undefined.
  ASSERT_TRUE(all.by_estimator[kRdsI]);
  EXPECT_FALSE(all.by_estimator[kRdsI]->value);
  EXPECT_FALSE(all.by_estimator[kRdsI]->design_effect);
  EXPECT_EQ(all.find("rds_ii")->value, 0.45);
  EXPECT_EQ(all.find("ss")->design_effect, 1.8);
  EXPECT_EQ(all.find("a_later_estimator"), nullptr);
  EXPECT_EQ(all.truth, 0.25);

  const ScopeEstimates& kedougou = v.by_department[0].estimates;
  EXPECT_EQ(kedougou.find("sample")->value, 0.6);
  EXPECT_EQ(kedougou.find("rds_ii")->design_effect, 1.2);
  // RDS uses all four estimators; rows the file lacks are undefined, not absent.
  ASSERT_TRUE(kedougou.by_estimator[kSs]);
  EXPECT_FALSE(kedougou.by_estimator[kSs]->value);
  EXPECT_EQ(kedougou.truth, 0.3);
  const ScopeEstimates& saraya = v.by_department[1].estimates;
  for (const auto& e : saraya.by_estimator) {
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->value);
  }
  EXPECT_FALSE(saraya.truth);  // NaN: nobody eligible
}

TEST_F(SurveySummaryTest, OtherDesignsUseOnlyTheSampleProportion) {
  SurveyDecl random = rds_survey();
  random.design = "random";
  random.estimates = {{"sample", "", 0.5, 0.4, 0.6, 1.0}};
  const SurveySummary v = summarize_surveys({random}).surveys[0];
  EXPECT_TRUE(v.estimates.by_estimator[kSample]);
  EXPECT_FALSE(v.estimates.by_estimator[kRdsI]);
  EXPECT_FALSE(v.estimates.by_estimator[kRdsII]);
  EXPECT_FALSE(v.estimates.by_estimator[kSs]);
  EXPECT_EQ(v.estimates.find("rds_ii"), nullptr);
}

TEST_F(SurveySummaryTest, ProfileOfThoseClassifiedTrafficked) {
  const ClassifiedProfile p =
      summarize_surveys({rds_survey()}).surveys[0].among_classified_trafficked;
  EXPECT_EQ(p.count, 5);
  // NG 2 of 5, SN 1, ML 0, other (GN, GH) 2.
  EXPECT_DOUBLE_EQ(*p.nationality_share[0], 0.4);
  EXPECT_DOUBLE_EQ(*p.nationality_share[1], 0.2);
  EXPECT_DOUBLE_EQ(*p.nationality_share[2], 0.0);
  EXPECT_DOUBLE_EQ(*p.nationality_share[3], 0.4);
  // 18-24: 19.5 and 24.99; 25-30: 25.0 and 30.9; 31.2 in neither.
  EXPECT_DOUBLE_EQ(*p.age_share[0], 0.4);
  EXPECT_DOUBLE_EQ(*p.age_share[1], 0.4);
  EXPECT_DOUBLE_EQ(*p.false_job_offer, 0.6);  // 3 of 5
  EXPECT_DOUBLE_EQ(*p.debt_bondage, 0.8);     // 4 of 5
}

TEST_F(SurveySummaryTest, NobodyClassifiedLeavesTheSharesEmpty) {
  SurveyDecl s = rds_survey();
  for (auto& r : s.respondents) r.classified = 0;
  const ClassifiedProfile p = summarize_surveys({s}).surveys[0].among_classified_trafficked;
  EXPECT_EQ(p.count, 0);
  for (const auto& share : p.nationality_share) EXPECT_FALSE(share);
  for (const auto& share : p.age_share) EXPECT_FALSE(share);
  EXPECT_FALSE(p.false_job_offer);
  EXPECT_FALSE(p.debt_bondage);
}

TEST_F(SurveySummaryTest, IncompleteSurveyHasItsSizeAndNoEstimates) {
  SurveyDecl s = rds_survey();
  s.complete = 0;
  const SurveySummary v = summarize_surveys({s}).surveys[0];
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.n, 7);
  EXPECT_EQ(v.by_department[1].n, 4);
  for (const auto& e : v.estimates.by_estimator) {
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->value);
  }
  EXPECT_FALSE(v.estimates.truth);
  EXPECT_FALSE(v.by_department[0].estimates.truth);
}

TEST_F(SurveySummaryTest, SurveyThatReachedNobody) {
  SurveyDecl s = rds_survey();
  s.respondents.clear();
  s.estimates.clear();
  const SurveySummary v = summarize_surveys({s}).surveys[0];
  EXPECT_EQ(v.n, 0);
  EXPECT_EQ(v.by_department[0].n, 0);
  EXPECT_EQ(v.among_classified_trafficked.count, 0);
  EXPECT_FALSE(v.estimates.find("sample")->value);
}

TEST_F(SurveySummaryTest, FileWithoutSurveysHasNone) {
  RunSpec spec;
  spec.surveys.reset();
  EXPECT_TRUE(summarize(write(spec, "old.h5")).surveys.empty());
  EXPECT_TRUE(summarize_surveys({}).surveys.empty());
}

TEST_F(SurveySummaryTest, RefusesRespondentsOutsideTheDepartments) {
  SurveyDecl s = rds_survey();
  s.respondents[2].department = 2;
  RunSpec spec;
  spec.surveys = std::vector<SurveyDecl>{s};
  const fs::path path = write(spec, "bad.h5");
  EXPECT_THAT_MESSAGE(IoError, summarize(path), "respondents/department holds 2");
}

TEST_F(SurveySummaryTest, RefusesEstimatesOfAnUnknownDepartment) {
  SurveyDecl s = rds_survey();
  s.estimates.push_back({"sample", "Dakar", 0.1, 0.1, 0.1, 1});
  RunSpec spec;
  spec.surveys = std::vector<SurveyDecl>{s};
  const fs::path path = write(spec, "bad.h5");
  EXPECT_THAT_MESSAGE(IoError, summarize(path), "names 'Dakar', which is not in /departments");
}

TEST_F(SurveySummaryTest, DateWindowDoesNotApplyToSurveys) {
  RunSpec spec;
  spec.surveys = std::vector<SurveyDecl>{rds_survey()};
  const fs::path path = write(spec, "run.h5");
  const Summary s = summarize(path, {testing_support::day("2020-01-09"), std::nullopt});
  ASSERT_EQ(s.surveys.size(), 1U);
  EXPECT_EQ(s.surveys[0].n, 7);
}

/// A random-design survey of two respondents in one department, as summarize() returns it.
SurveySummary small_survey() {
  SurveySummary v;
  v.name = "quick";
  v.design = "random";
  v.start = testing_support::day("2020-02-01");
  v.end = testing_support::day("2020-02-02");
  v.complete = true;
  v.population_size = 40;
  v.n = 2;
  v.estimates.by_estimator[kSample] = EstimateInterval{0.5, 0.0, 1.0, 1.25};
  v.estimates.truth = 0.25;
  SurveyDepartment d;
  d.name = "Saraya";
  d.n = 2;
  d.estimates.by_estimator[kSample] = EstimateInterval{0.5, std::nullopt, std::nullopt, 2.0};
  v.by_department.push_back(d);
  ClassifiedProfile& p = v.among_classified_trafficked;
  p.count = 1;
  p.nationality_share = {1.0, 0.0, 0.0, 0.0};
  p.age_share = {0.0, 1.0};
  p.false_job_offer = 1.0;
  p.debt_bondage = 0.0;
  return v;
}

TEST(SurveyJsonTest, MatchesTheContractExactly) {
  Summary s;
  s.surveys.push_back(small_survey());
  const std::string json = summary_json(s);
  const std::size_t at = json.find("  \"surveys\": [");
  ASSERT_NE(at, std::string::npos) << json;
  EXPECT_EQ(json.substr(at), R"json(  "surveys": [
    {
      "name": "quick",
      "design": "random",
      "start": "2020-02-01",
      "end": "2020-02-02",
      "n": 2,
      "n_by_department": {
        "Saraya": 2
      },
      "population_size": 40,
      "estimates": {
        "sample": {
          "value": 0.5,
          "ci": [
            0,
            1
          ],
          "design_effect": 1.25
        },
        "rds_i": null,
        "rds_ii": null,
        "ss": null
      },
      "truth": 0.25,
      "by_department": {
        "Saraya": {
          "sample": {
            "value": 0.5,
            "ci": [
              null,
              null
            ],
            "design_effect": 2
          },
          "rds_i": null,
          "rds_ii": null,
          "ss": null,
          "truth": null
        }
      },
      "among_classified_trafficked": {
        "count": 1,
        "nationality": {
          "NG": 1,
          "SN": 0,
          "ML": 0,
          "other": 0
        },
        "age_band": {
          "18-24": 0,
          "25-30": 1
        },
        "false_job_offer": 1,
        "debt_bondage": 0
      }
    }
  ]
}
)json");
}

TEST(SurveyTableTest, ShowsEachScopeAndWhoWasClassified) {
  Summary s;
  s.surveys.push_back(small_survey());
  const std::string table = summary_table(s);
  EXPECT_NE(table.find("Survey quick   random   fieldwork 2020-02-01 .. 2020-02-02   40 women "
                       "eligible\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  department             n   truth  sample\n"), std::string::npos) << table;
  EXPECT_NE(table.find("  Saraya                 2       -  50.0%\n"), std::string::npos) << table;
  EXPECT_NE(table.find("  all departments        2   25.0%  50.0% (0.0-100.0)\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  classified trafficked: 1"), std::string::npos) << table;
  EXPECT_NE(table.find("100.0%    0.0%    0.0%    0.0%    0.0%  100.0%           100.0%"),
            std::string::npos)
      << table;
}

TEST(SurveyTableTest, SaysWhenASurveyIsNotComplete) {
  Summary s;
  SurveySummary v = small_survey();
  v.complete = false;
  s.surveys.push_back(v);
  EXPECT_NE(summary_table(s).find("  not complete: no estimates\n"), std::string::npos);
}

}  // namespace
}  // namespace tipsim::analysis
