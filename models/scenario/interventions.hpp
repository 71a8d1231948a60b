#pragma once
/// Reading the `interventions:` list of a scenario (part of read_scenario).
#include "models/scenario/parameters.hpp"

namespace tipsim::config {
class Reader;
}

namespace tipsim::model {

/// Reads `interventions:` into spec.interventions, checking names, targets and dates against
/// the places, routes and clock already in `spec`.
void read_interventions(config::Reader& r, ScenarioSpec& spec);

}  // namespace tipsim::model
