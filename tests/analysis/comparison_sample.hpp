#pragma once
// A Comparison with distinctive numbers, as compare_runs() would return it, for the tests of
// its JSON and table.
#include <cstdint>
#include <optional>

#include "analysis/compare.hpp"

namespace tipsim::analysis::testing_support {

inline Date sample_day(const char* iso) {
  return *Date::parse(iso);
}

/// A run's summary with distinctive numbers; `k` scales the totals and the stocks.
inline Summary run_summary(std::int64_t k) {
  Summary s;
  s.scenario = "kedougou";
  s.seed = 7;
  s.start = sample_day("2015-01-01");
  s.end = sample_day("2025-12-31");
  s.from = sample_day("2021-01-01");
  s.to = sample_day("2021-12-31");
  s.totals.steps = 365;
  s.totals.recruited = 100 * k;
  s.totals.re_trafficked = 10 * k;
  s.totals.arrived_at_sites = 90 * k;
  s.totals.voluntary_arrivals = 50;
  s.totals.exits = ExitTotals{40, 20, 3 * k, 5 * k, 2 * k, 1, 2};
  s.totals.sheltered = 7 * k;
  s.totals.repatriated = 4 * k;
  s.totals.reintegrated = k;
  s.totals.arrests = 6 * k;
  s.totals.convictions = 3;
  s.totals.became_madam = 1;
  s.totals.replacements = 5;
  s.totals.victim_days_exploited = 100000 / k;
  s.totals.debt_imposed_fcfa = 90000000;
  s.totals.debt_paid_fcfa = 80000000;
  s.totals.spend_fcfa = 1000000 * (k - 1);
  s.at_end = StocksAtEnd{sample_day("2021-12-31"), 1500, 1400, 300 / k, 10, 5 * k, 30000000, 60};
  return s;
}

inline ObservationSummary observation(std::int64_t trafficked_saraya) {
  ObservationSummary o;
  o.date = sample_day("2021-11-15");
  o.wecs_18_30 = 1000;
  o.trafficked_18_30 = 100 + trafficked_saraya;
  o.trafficked_share_true = (100.0 + static_cast<double>(trafficked_saraya)) / 1000.0;
  o.by_department = {DepartmentCount{"Saraya", 500, trafficked_saraya,
                                     static_cast<double>(trafficked_saraya) / 500.0}};
  o.victims = 200;
  o.victims_by_nationality = {100, 50, 30, 20};
  o.victim_nationality_share = {0.5, 0.25, 0.15, 0.1};
  o.victims_by_age = {0, 0, 0, 0};  // no ages: shares are null
  return o;
}

/// BASE with no spend, OTHER with twice the removals, paired, diverging on 2021-01-01.
inline Comparison comparison_sample() {
  Comparison c;
  c.base_file = "base.h5";
  c.other_file = "other.h5";
  c.base = run_summary(1);
  c.other = run_summary(2);
  c.same_key = true;
  c.first_scenario_difference = sample_day("2021-01-01");
  c.paired = true;
  c.first_divergence = sample_day("2021-01-01");
  c.cost_per_victim_removed = 1000000.0 / 10.0;
  c.cost_per_victim_day_averted = 20.0;
  ObservationPair pair{observation(50), observation(25)};
  c.observations.push_back(pair);
  c.observation_dates_only_in_other = {sample_day("2024-01-15")};
  c.interventions = {
      InterventionPair{"raids", "site_raids", InterventionTotals{"raids", "site_raids", 4, 2, 1, 0},
                       InterventionTotals{"raids", "site_raids", 8, 5, 3, 400000}},
      InterventionPair{"care", "shelter_care", std::nullopt,
                       InterventionTotals{"care", "shelter_care", 20, 0, 0, 600000}}};
  return c;
}

}  // namespace tipsim::analysis::testing_support
