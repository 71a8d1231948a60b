#pragma once
/// Reading the ties among women at the sites, the elements of coercion, and `surveys:`
/// (part of read_scenario).
#include "models/scenario/parameters.hpp"

namespace tipsim::config {
class Reader;
}

namespace tipsim::model {

/// Reads `acquaintance:`, `coercion:` and `surveys:` into `spec`, checking departments,
/// sites and dates against what `spec` already holds.
void read_surveys(config::Reader& r, ScenarioSpec& spec);

}  // namespace tipsim::model
