#pragma once
/// When two resolved scenarios start to differ in what they make happen: the test behind
/// calling two runs paired. Runs with the same random key share every draw until their
/// scenarios' first difference takes effect; if their series part before that date, the
/// draws are not shared after all and the runs are not paired.
#include <optional>
#include <string>
#include <utility>

#include "sim/date.hpp"

namespace tipsim::analysis {

/// The first day on which resolved scenarios `a` and `b` (YAML, as `tipsim validate` prints
/// them) can make a run differ; empty when they differ in nothing but their name,
/// description, seed and replicate. An intervention that only one declares, or that differs
/// in anything but its end, counts from its start (the earlier of the two); one that only
/// ends on another day counts from the day after the earlier end; a different horizon from
/// the day after the earlier end; any other difference from the first simulated day.
/// Throws ConfigError when a text is not a scenario.
[[nodiscard]] std::optional<Date> first_scenario_difference(const std::string& a,
                                                            const std::string& b);

/// The first difference and what it is: a key path ("recruitment.approaches_per_day",
/// "interventions 'raids'", "simulation.end").
struct ScenarioDifference {
  Date date;
  std::string what;
};
/// As first_scenario_difference, naming the difference that comes first (the first in
/// file order among those of the same day).
[[nodiscard]] std::optional<ScenarioDifference> describe_first_scenario_difference(
    const std::string& a, const std::string& b);

}  // namespace tipsim::analysis
