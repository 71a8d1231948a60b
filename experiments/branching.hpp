#pragma once
/// Whether a what-if may start from its base's saved state instead of its first day: from a
/// checkpoint (`tipsim run OTHER --from-checkpoint CK`), or from the history an ensemble's
/// runs of one replicate share.
#include <optional>
#include <string>

#include "models/recording/checkpoint.hpp"
#include "models/scenario/scenario.hpp"

namespace tipsim::experiments {

/// Throws ConfigError naming the first difference when `other` (read from `other_file`)
/// differs from the checkpoint's scenario before the checkpoint's day, in its random key,
/// or in its horizon (which sizes the at-risk population from the first day), or when
/// an intervention that starts before that day is not in the same place in both lists.
void refuse_branch(const model::Checkpoint& checkpoint, const model::LoadedScenario& other,
                   const std::string& other_file);

/// The last day up to which runs of `other` and of `base` with one random key are the same
/// run (a day the runs step on, after their first), so that `other` may start from `base`'s
/// state on that day; nullopt when there is none (they differ from the first day, in their
/// horizon, or in the places of interventions that start before their first difference).
/// Scenarios that differ in nothing but their names share every day but the last.
[[nodiscard]] std::optional<Date> branch_day(const model::LoadedScenario& base,
                                             const model::LoadedScenario& other);

}  // namespace tipsim::experiments
