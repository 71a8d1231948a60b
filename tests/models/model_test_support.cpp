#include "model_test_support.hpp"

namespace tipsim::model::testing {

std::string small_corridor(const std::string& extra) {
  return R"(name: small
simulation: {start: 2020-01-01, end: 2021-12-31, seed: 7}
observation: {dates: [2021-06-01], snapshot_dates: [2021-06-01]}
places:
  - {name: Edo, kind: origin, country: NG, at_risk_women: 4000, recruiters: 6, transporters: 2}
  - {name: Kayes, kind: origin, country: ML, at_risk_women: 2000, recruiters: 2, transporters: 1}
  - {name: Bamako, kind: transit, country: ML}
  - {name: Moussala, kind: border, country: SN}
  - {name: Khossanto, kind: site, country: SN, department: Saraya, miners: 3000, houses: 6,
     voluntary_arrivals_per_year: 80, initial_free_wecs: 100,
     police_identification_rate_per_year: 0.05, ngo_identification_rate_per_year: 0.05}
  - {name: Bantaco, kind: site, country: SN, department: Kedougou, miners: 2000, houses: 6,
     voluntary_arrivals_per_year: 40, initial_free_wecs: 60,
     police_identification_rate_per_year: 0.05, ngo_identification_rate_per_year: 0.05}
routes:
  - {from: Edo, to: Bamako, days_mean: 6, days_cv: 0.3, cost_fcfa: 60000, bribe_fcfa: 2000, screening_probability: 0.02, bribe_effect: 0.5}
  - {from: Kayes, to: Moussala, days_mean: 1, cost_fcfa: 8000}
  - {from: Bamako, to: Moussala, days_mean: 2, cost_fcfa: 20000, bribe_fcfa: 2000, screening_probability: 0.03}
  - {from: Moussala, to: Khossanto, days_mean: 1, cost_fcfa: 3000}
  - {from: Moussala, to: Bantaco, days_mean: 1, cost_fcfa: 3000}
organisation:
  madam_nationality: [{country: NG, share: 0.8}, {country: ML, share: 0.2}]
demand: {visits_per_miner_per_week: 3.0}
recruitment: {approaches_per_day: 1.0}
)" + extra;
}

LoadedScenario load_small(const std::vector<std::string>& overrides, const std::string& extra) {
  return load_scenario_text(small_corridor(extra), "small.yaml", overrides);
}

std::int64_t total(const RunRecord& r, Total t) {
  std::int64_t sum = 0;
  for (std::size_t s = 0; s < r.days.size(); ++s)
    sum += r.totals[s * kTotalCount + static_cast<std::size_t>(t)];
  return sum;
}

std::int64_t last(const RunRecord& r, Total t) {
  return r.totals[(r.days.size() - 1) * kTotalCount + static_cast<std::size_t>(t)];
}

bool same_events(const std::vector<Event>& a, const std::vector<Event>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].day != b[i].day || a[i].type != b[i].type || a[i].person != b[i].person ||
        a[i].place != b[i].place || a[i].other != b[i].other || a[i].value_fcfa != b[i].value_fcfa)
      return false;
  return true;
}

}  // namespace tipsim::model::testing
