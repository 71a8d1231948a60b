#pragma once
/// Reading the location graph of a scenario, `places:` and `routes:` (part of read_scenario).
#include "models/scenario/parameters.hpp"

namespace tipsim::config {
class Reader;
}

namespace tipsim::model {

/// Reads `places:` and `routes:` into `spec`, checking names, the keys each kind of place
/// may have, the coordinates, and that every origin reaches a site.
void read_network(config::Reader& r, ScenarioSpec& spec);

}  // namespace tipsim::model
