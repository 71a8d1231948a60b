#pragma once
/// Priors files of calibrations (docs/CALIBRATION.md): the scenario values to calibrate, each
/// named by its key path with a prior distribution, read with the scenario reader's
/// strictness; each prior is truncated to the values the scenario accepts for its path.
#include <string>
#include <vector>

#include "sim/calibration/calibration_file.hpp"

namespace tipsim::experiments {

/// A target's weight in the distance (targets not listed weigh 1).
struct TargetWeight {
  std::string target;
  double weight = 1;
};

struct PriorsFile {
  std::vector<calibration::CalibratedParameter> parameters;
  std::vector<TargetWeight> weights;
};

/// Reads `priors_file` for `scenario_file` (after `sets`). A path the scenario does not
/// know, a prior whose support holds values the scenario refuses (uniform, log-uniform:
/// their ends; the others are truncated to what it accepts), a weight of an unknown target
/// (`target_names`) are reported at the file's line and column. Throws
/// config::ScenarioError with every problem found.
[[nodiscard]] PriorsFile load_priors(const std::string& priors_file,
                                     const std::string& scenario_file,
                                     const std::vector<std::string>& sets,
                                     const std::vector<std::string>& target_names);
/// The same from text, for tests; `name` appears in messages.
[[nodiscard]] PriorsFile load_priors_text(const std::string& text, const std::string& name,
                                          const std::string& scenario_file,
                                          const std::vector<std::string>& sets,
                                          const std::vector<std::string>& target_names);

/// JSON Schema of priors files.
[[nodiscard]] std::string priors_json_schema();

}  // namespace tipsim::experiments
