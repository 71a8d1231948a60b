#pragma once
// Hand-written run files for the analysis tests: every number in them follows a formula, so
// that tests can state the sums and differences they expect.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/date.hpp"
#include "sim/h5/file.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::analysis::testing_support {

namespace fs = std::filesystem;

// Flow series the readers use, each filled with (k + 1) * (row + 1) for its index k.
inline const std::vector<std::string> kFlows = {"recruited",
                                                "arrived_at_sites",
                                                "voluntary_arrivals",
                                                "exit_repaid",
                                                "exit_escaped",
                                                "exit_identified",
                                                "exit_intercepted_in_transit",
                                                "exit_aged_out",
                                                "exit_died",
                                                "sheltered",
                                                "repatriated",
                                                "reintegrated",
                                                "arrests",
                                                "convictions",
                                                "became_madam",
                                                "replacements",
                                                "victim_days_exploited",
                                                "debt_imposed_fcfa",
                                                "debt_paid_fcfa",
                                                "exit_escaped_assisted",
                                                "re_trafficked"};
// Stock series, filled with 1000 * (k + 1) + row.
inline const std::vector<std::string> kStocks = {
    "wecs",       "wecs_18_30",        "trafficked_at_sites",
    "in_transit", "shelter_occupancy", "debt_outstanding_fcfa",
    "houses_open"};

inline std::int64_t flow_value(const std::string& name, std::size_t row) {
  for (std::size_t k = 0; k < kFlows.size(); ++k)
    if (kFlows[k] == name) return static_cast<std::int64_t>((k + 1) * (row + 1));
  ADD_FAILURE() << "no flow " << name;
  return 0;
}
inline std::int64_t stock_value(const std::string& name, std::size_t row) {
  for (std::size_t k = 0; k < kStocks.size(); ++k)
    if (kStocks[k] == name) return static_cast<std::int64_t>(1000 * (k + 1) + row);
  ADD_FAILURE() << "no stock " << name;
  return 0;
}
/// Sum of a flow over rows [first, last].
inline std::int64_t flow_sum(const std::string& name, std::size_t first, std::size_t last) {
  std::int64_t total = 0;
  for (std::size_t r = first; r <= last; ++r) total += flow_value(name, r);
  return total;
}

// Per-intervention series, filled with (s + 1) * 1000 * (i + 1) + row for series s and
// intervention i.
inline const std::vector<std::string> kInterventionSeries = {
    "active", "reached", "secondary_reached", "identified", "removed", "arrests", "spend_fcfa"};

inline std::int64_t intervention_value(const std::string& series, std::size_t intervention,
                                       std::size_t row) {
  for (std::size_t k = 0; k < kInterventionSeries.size(); ++k) {
    if (kInterventionSeries[k] == series)
      return static_cast<std::int64_t>((k + 1) * 1000 * (intervention + 1) + row);
  }
  ADD_FAILURE() << "no intervention series " << series;
  return 0;
}

// Per-site series: an integer stock 10 * (site + 1) + row and a float multiplier
// 1 + 0.25 * site + 0.5 * row (exact in binary).
inline std::int64_t site_count(std::size_t site, std::size_t row) {
  return static_cast<std::int64_t>(10 * (site + 1) + row);
}
inline double site_multiplier(std::size_t site, std::size_t row) {
  return 1.0 + 0.25 * static_cast<double>(site) + 0.5 * static_cast<double>(row);
}

/// One declared intervention of the hand-written file.
struct InterventionDecl {
  std::string name;
  std::string type;
};

/// Columns of `/surveys/*/respondents/*_indicators`, as the simulator writes them.
inline const std::vector<std::string> kIndicatorNames = {
    "deceptive_recruitment", "debt_bondage",      "documents_confiscated", "isolation",
    "threats_or_violence",   "forced_to_continue"};

/// One respondent of a hand-written survey; the columns the readers do not use get fixed
/// values.
struct RespondentDecl {
  std::int32_t department = 0;  ///< index into /departments
  float age_years = 20;
  std::int32_t nationality = 0;  ///< index into /countries
  std::uint8_t classified = 0;
  bool deceptive_recruitment = false;  ///< reported
  bool debt_bondage = false;           ///< reported
};

/// One row of `/surveys/<name>/estimates`.
struct EstimateRow {
  std::string estimator;
  std::string department;  ///< empty for the whole survey population
  double value = 0;
  double ci_low = 0;
  double ci_high = 0;
  double design_effect = 1;
};

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// One survey of the hand-written file (`/surveys/<name>`).
struct SurveyDecl {
  std::string name = "baseline";
  std::string design = "rds";
  std::string start = "2020-01-03";
  std::string end = "2020-01-08";
  std::int64_t population_size = 100;
  double truth = 0.25;
  std::int64_t complete = 1;
  std::vector<std::int64_t> population_by_department{60, 40};  // per department
  std::vector<double> truth_by_department{0.3, kNaN};          // per department
  std::vector<RespondentDecl> respondents;                     ///< no respondents group when empty
  std::vector<EstimateRow> estimates;
};

/// A change to one /timeseries dataset: `add` added to `column` from row `from_row` on.
struct SeriesChange {
  std::string dataset;  ///< path under /timeseries, e.g. "recruited" or "by_site/gold_luck"
  std::size_t from_row = 0;
  std::size_t column = 0;
  double add = 1;
};

/// What the hand-written run file holds; defaults give a ten-day run with two observations.
struct RunSpec {
  std::string scenario = "test run";
  std::int64_t seed_bits = 42;
  std::int64_t replicate = 3;
  std::int64_t schema_version = 3;
  Date start = *Date::parse("2020-01-01");
  Date end = *Date::parse("2020-01-10");
  std::int32_t step_days = 1;
  std::vector<std::string> departments{"Kedougou", "Saraya"};
  std::vector<std::string> countries{"NG", "SN", "ML", "GN", "GH"};
  std::vector<Date> observation_dates{*Date::parse("2020-01-05"), *Date::parse("2020-01-10")};
  std::vector<std::int64_t> wecs{30, 10, 0, 0};                         // dates x departments
  std::vector<std::int64_t> trafficked{6, 4, 0, 0};                     // dates x departments
  std::vector<std::int64_t> by_country{10, 2, 3, 4, 1, 0, 0, 0, 0, 0};  // dates x countries
  std::vector<std::int64_t> by_age{2, 8, 6, 4, 0, 0, 0, 0};             // dates x 4
  /// Written to /departments instead of `departments` when not empty.
  std::vector<std::string> department_labels;
  std::vector<InterventionDecl> interventions{{"raids", "site_raids"}, {"care", "shelter_care"}};
  bool with_timeseries = true;
  bool with_observations = true;
  bool with_interventions = true;
  /// Rows written to the per-intervention series; the step count when empty.
  std::optional<std::uint64_t> intervention_rows;
  std::uint64_t sites = 2;  ///< columns of /timeseries/by_site
  std::vector<SeriesChange> changes;
  /// /timeseries datasets left out (e.g. "by_site/gold_luck").
  std::vector<std::string> omitted;
  /// Written to /surveys; no /surveys group at all when empty (a file written before runs
  /// had surveys).
  std::optional<std::vector<SurveyDecl>> surveys = std::vector<SurveyDecl>{};
};

namespace detail {

inline bool omitted(const RunSpec& spec, const std::string& dataset) {
  for (const auto& name : spec.omitted)
    if (name == dataset) return true;
  return false;
}

/// Applies the changes of `spec` to dataset `name` of `columns` columns.
template <typename T>
void apply_changes(const RunSpec& spec, const std::string& name, std::uint64_t columns,
                   std::vector<T>& values) {
  for (const SeriesChange& c : spec.changes) {
    if (c.dataset != name) continue;
    for (std::size_t at = c.from_row * columns + c.column; at < values.size(); at += columns)
      values[at] += static_cast<T>(c.add);
  }
}

/// Writes `/surveys` as models/recording/recorder.cpp does.
inline void write_surveys(h5::Group& root, const std::vector<SurveyDecl>& surveys) {
  auto g = root.create_group("surveys");
  std::vector<std::string> names;
  for (const auto& s : surveys) names.push_back(s.name);
  g.write_strings("names", names);
  g.write_strings("indicator_names", kIndicatorNames);
  for (const auto& s : surveys) {
    auto sg = g.create_group(s.name);
    sg.set_string_attribute("design", s.design);
    sg.set_string_attribute("start_date", s.start);
    sg.set_string_attribute("end_date", s.end);
    sg.set_int_attribute("population_size", s.population_size);
    sg.set_double_attribute("truth", s.truth);
    sg.set_int_attribute("complete", s.complete);
    sg.write("population_by_department", s.population_by_department);
    sg.write("truth_by_department", s.truth_by_department);
    if (!s.respondents.empty()) {
      auto r = sg.create_group("respondents");
      const auto column = [&](const char* name, auto get) {
        std::vector<decltype(get(s.respondents.front()))> values;
        for (const auto& x : s.respondents) values.push_back(get(x));
        r.write(name, values);
      };
      const std::uint64_t n = s.respondents.size();
      std::vector<std::int32_t> row(n);
      for (std::size_t i = 0; i < n; ++i) row[i] = static_cast<std::int32_t>(i);
      r.write("person", row);
      column("day", [](const RespondentDecl&) { return std::int32_t{18000}; });
      column("wave", [](const RespondentDecl&) { return std::int32_t{0}; });
      column("recruiter", [](const RespondentDecl&) { return std::int32_t{-1}; });
      column("cluster", [](const RespondentDecl&) { return std::int32_t{-1}; });
      column("site", [](const RespondentDecl& x) { return x.department; });
      column("department", [](const RespondentDecl& x) { return x.department; });
      column("age_years", [](const RespondentDecl& x) { return x.age_years; });
      column("nationality", [](const RespondentDecl& x) { return x.nationality; });
      column("true_degree", [](const RespondentDecl&) { return std::int32_t{5}; });
      column("reported_degree", [](const RespondentDecl&) { return std::int32_t{5}; });
      column("classified_trafficked", [](const RespondentDecl& x) { return x.classified; });
      column("trafficked", [](const RespondentDecl& x) { return x.classified; });
      std::vector<std::uint8_t> reported;
      for (const auto& x : s.respondents) {
        const std::array<std::uint8_t, 6> flags{
            x.deceptive_recruitment ? std::uint8_t{1} : std::uint8_t{0},
            x.debt_bondage ? std::uint8_t{1} : std::uint8_t{0},
            1,
            0,
            1,
            0};
        reported.insert(reported.end(), flags.begin(), flags.end());
      }
      r.write("reported_indicators", reported, {n, 6});
      r.write("true_indicators", reported, {n, 6});
    }
    auto e = sg.create_group("estimates");
    std::vector<std::string> estimator, department;
    std::vector<double> value, lo, hi, deff;
    for (const auto& row : s.estimates) {
      estimator.push_back(row.estimator);
      department.push_back(row.department);
      value.push_back(row.value);
      lo.push_back(row.ci_low);
      hi.push_back(row.ci_high);
      deff.push_back(row.design_effect);
    }
    e.write_strings("estimator", estimator);
    e.write_strings("department", department);
    e.write("value", value);
    e.write("ci_low", lo);
    e.write("ci_high", hi);
    e.write("design_effect", deff);
  }
}

}  // namespace detail

inline void write_run(const fs::path& path, const RunSpec& spec) {
  auto file = h5::File::create(path);
  auto root = file.root();
  root.set_int_attribute("schema_version", spec.schema_version);
  root.set_string_attribute("scenario_name", spec.scenario);
  root.set_string_attribute("start_date", spec.start.iso());
  root.set_string_attribute("end_date", spec.end.iso());
  root.set_int_attribute("step_days", spec.step_days);
  root.set_int_attribute("seed", spec.seed_bits);
  root.set_int_attribute("replicate", spec.replicate);
  root.write_strings("departments",
                     spec.department_labels.empty() ? spec.departments : spec.department_labels);
  root.write_strings("countries", spec.countries);
  std::vector<std::int32_t> dates;
  for (Date d = spec.start; d <= spec.end; d = d + spec.step_days) dates.push_back(d.days);
  const std::uint64_t steps = dates.size();
  if (spec.with_timeseries) {
    auto ts = root.create_group("timeseries");
    ts.write("date", dates);
    const auto write_column = [&](const std::string& name, auto value) {
      if (detail::omitted(spec, name)) return;
      std::vector<std::int64_t> column(steps);
      for (std::size_t r = 0; r < steps; ++r) column[r] = value(name, r);
      detail::apply_changes(spec, name, 1, column);
      ts.write(name, column);
    };
    for (const auto& name : kFlows) write_column(name, flow_value);
    for (const auto& name : kStocks) write_column(name, stock_value);
    std::vector<std::int64_t> counts(steps * spec.sites);
    std::vector<double> multipliers(steps * spec.sites);
    for (std::size_t r = 0; r < steps; ++r) {
      for (std::size_t s = 0; s < spec.sites; ++s) {
        counts[r * spec.sites + s] = site_count(s, r);
        multipliers[r * spec.sites + s] = site_multiplier(s, r);
      }
    }
    detail::apply_changes(spec, "by_site/trafficked", spec.sites, counts);
    detail::apply_changes(spec, "by_site/gold_luck", spec.sites, multipliers);
    auto by_site = ts.create_group("by_site");
    if (!detail::omitted(spec, "by_site/trafficked"))
      by_site.write("trafficked", counts, {steps, spec.sites});
    if (!detail::omitted(spec, "by_site/gold_luck"))
      by_site.write("gold_luck", multipliers, {steps, spec.sites});
  }
  if (spec.with_interventions) {
    auto g = root.create_group("interventions");
    std::vector<std::string> names, types;
    for (const auto& i : spec.interventions) {
      names.push_back(i.name);
      types.push_back(i.type);
    }
    g.write_strings("name", names);
    g.write_strings("type", types);
    const std::uint64_t rows = spec.intervention_rows.value_or(steps);
    const std::uint64_t n = names.size();
    std::vector<std::int64_t> table(rows * n);
    for (const auto& series : kInterventionSeries) {
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t i = 0; i < n; ++i) table[r * n + i] = intervention_value(series, i, r);
      g.write(series, table, {rows, n});
    }
  }
  if (spec.with_observations) {
    auto obs = root.create_group("observations");
    std::vector<std::int32_t> observed;
    for (Date d : spec.observation_dates) observed.push_back(d.days);
    const std::uint64_t n = observed.size();
    obs.write("date", observed);
    obs.write("wecs_18_30", spec.wecs, {n, spec.departments.size()});
    obs.write("trafficked_18_30", spec.trafficked, {n, spec.departments.size()});
    obs.write("victims_by_country", spec.by_country, {n, spec.countries.size()});
    obs.write("victims_by_age", spec.by_age, {n, 4});
  }
  if (spec.surveys) detail::write_surveys(root, *spec.surveys);
  file.close();
}

/// A fresh directory per test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("tipsim_analysis_" + std::to_string(::getpid()) + "_" +
                                        info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Writes `spec` to `name` in the test's directory.
  fs::path write(const RunSpec& spec, const std::string& name) {
    const fs::path path = dir_ / name;
    write_run(path, spec);
    return path;
  }

  fs::path dir_;
};

inline Date day(const char* iso) {
  return *Date::parse(iso);
}

/// What the `E` thrown by `f` says; fails the test when `f` throws nothing (another type
/// escapes and fails it too).
template <typename E, typename F>
std::string message_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "nothing thrown";
  return {};
}

}  // namespace tipsim::analysis::testing_support

/// Expects `expr` to throw an `error_type` whose message contains `text`. A macro, so that a
/// failure names the line of the call.
#define EXPECT_THAT_MESSAGE(error_type, expr, text)                                         \
  do {                                                                                      \
    const std::string message =                                                             \
        ::tipsim::analysis::testing_support::message_of<error_type>([&] { (void)(expr); }); \
    EXPECT_NE(message.find(text), std::string::npos) << "message: " << message;             \
  } while (false)
