#pragma once
// A small corridor for behaviour tests: two origins, one hub, a border, two sites.
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/step/simulation.hpp"

namespace tipsim::model::testing {

/// The scenario text; `extra` is appended (YAML top-level sections).
std::string small_corridor(const std::string& extra = "");

/// Loads the small corridor with `overrides` (key.path=value) applied.
LoadedScenario load_small(const std::vector<std::string>& overrides = {},
                          const std::string& extra = "");

/// Sum of a flow series over the whole run.
std::int64_t total(const RunRecord& r, Total t);
/// Value of a stock series on the last day.
std::int64_t last(const RunRecord& r, Total t);
/// Whether two event ledgers hold the same events, field by field (not their padding).
bool same_events(const std::vector<Event>& a, const std::vector<Event>& b);

}  // namespace tipsim::model::testing
