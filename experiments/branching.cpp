#include "experiments/branching.hpp"

#include "analysis/scenario_difference.hpp"
#include "sim/error.hpp"

namespace tipsim::experiments {
namespace {

/// The first intervention that starts before `day` in `a` and is not at the same place in
/// `b`; null when there is none.
const model::InterventionSpec* moved_intervention(const model::ScenarioSpec& a,
                                                  const model::ScenarioSpec& b, Date day) {
  for (std::size_t i = 0; i < a.interventions.size(); ++i) {
    const auto& spec = a.interventions[i];
    if (spec.start >= day) continue;
    if (i < b.interventions.size() && b.interventions[i].name == spec.name) continue;
    return &spec;
  }
  return nullptr;
}

/// Interventions that start before `day` in `a` and are not at the same place in `b`.
void refuse_moved_interventions(const model::ScenarioSpec& a, const model::ScenarioSpec& b,
                                Date day, const std::string& where_a, const std::string& where_b) {
  if (const auto* moved = moved_intervention(a, b, day)) {
    const auto& spec = *moved;
    const auto i = static_cast<std::size_t>(moved - a.interventions.data());
    throw ConfigError("intervention '" + spec.name + "' starts on " + spec.start.iso() +
                      ", before the checkpoint's day " + day.iso() + ", and is number " +
                      std::to_string(i + 1) + " in " + where_a + " but not in " + where_b +
                      ": interventions that start before the checkpoint keep their places in the "
                      "list");
  }
}

}  // namespace

void refuse_branch(const model::Checkpoint& ck, const model::LoadedScenario& other,
                   const std::string& other_file) {
  const auto& base = ck.scenario.spec.simulation;
  const auto& sim = other.spec.simulation;
  const std::string prefix = "--from-checkpoint " + ck.file + ": " + other_file + " ";
  if (sim.seed != ck.seed || sim.replicate != ck.replicate)
    throw ConfigError(prefix + "runs with seed " + std::to_string(sim.seed) + ", replicate " +
                      std::to_string(sim.replicate) + "; the checkpoint's run with seed " +
                      std::to_string(ck.seed) + ", replicate " + std::to_string(ck.replicate) +
                      ": a what-if shares its base's random draws");
  // The horizon sizes the at-risk population from the first day (models/world/world.cpp,
  // count_origin_women), so runs that end on other days part at once.
  if (sim.end != base.end)
    throw ConfigError(prefix + "ends on " + sim.end.iso() + ", the checkpoint's run on " +
                      base.end.iso() +
                      ": the horizon sets the at-risk population from the first day, so a "
                      "what-if branched from a checkpoint keeps its base's end");
  const auto difference =
      analysis::describe_first_scenario_difference(ck.scenario.resolved_yaml, other.resolved_yaml);
  if (difference && difference->date < ck.date)
    throw ConfigError(prefix + "differs from the checkpoint's scenario (" + ck.scenario_file +
                      ") in " + difference->what + ", which can change the run from " +
                      difference->date.iso() + ", before the checkpoint's day " + ck.date.iso() +
                      (difference->date > base.start ? ": save a checkpoint on or before " +
                                                           difference->date.iso() + ", or run it "
                                                     : ": run it ") +
                      "from the start");
  refuse_moved_interventions(ck.scenario.spec, other.spec, ck.date, "the checkpoint's scenario",
                             other_file);
  refuse_moved_interventions(other.spec, ck.scenario.spec, ck.date, other_file,
                             "the checkpoint's scenario");
}

std::optional<Date> branch_day(const model::LoadedScenario& base,
                               const model::LoadedScenario& other) {
  const auto& a = base.spec.simulation;
  const auto& b = other.spec.simulation;
  if (a.start != b.start || a.end != b.end || a.step_days != b.step_days) return std::nullopt;
  const auto difference =
      analysis::describe_first_scenario_difference(base.resolved_yaml, other.resolved_yaml);
  // The last day the runs step on together, at or before their first difference.
  const Date until = difference ? std::min(difference->date, a.end) : a.end;
  const Date day{a.start.days + (until - a.start) / a.step_days * a.step_days};
  if (day <= a.start) return std::nullopt;
  if (moved_intervention(base.spec, other.spec, day) ||
      moved_intervention(other.spec, base.spec, day))
    return std::nullopt;
  return day;
}

}  // namespace tipsim::experiments
