#pragma once
/// Whether a what-if may start from its base's checkpoint (`tipsim run OTHER
/// --from-checkpoint CK`).
#include <string>

#include "models/recording/checkpoint.hpp"
#include "models/scenario/scenario.hpp"

namespace tipsim::cli {

/// Throws ConfigError naming the first difference when `other` (read from `other_file`)
/// differs from the checkpoint's scenario before the checkpoint's day, in its random key,
/// or in its horizon (which sizes the at-risk population from the first day), or when
/// an intervention that starts before that day is not in the same place in both lists.
void refuse_branch(const model::Checkpoint& checkpoint, const model::LoadedScenario& other,
                   const std::string& other_file);

}  // namespace tipsim::cli
