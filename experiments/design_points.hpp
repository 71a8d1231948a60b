#pragma once
/// Design files of sweeps (docs/EXPERIMENTS.md): read with the scenario reader's strictness,
/// every parameter path and range checked against the scenario it sweeps.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/ensemble/design.hpp"
#include "sim/sensitivity/sensitivity.hpp"

namespace tipsim::experiments {

struct SweepDesign {
  ensemble::DesignSpec spec;
  ensemble::DesignTable table;  ///< the sampled points
};

/// Reads `design_file` and samples it. Each parameter path, with the range's ends (or each
/// listed value), is applied to `scenario_file` (after `sets`) as `--set` would be; a value
/// the scenario refuses is reported at the design file's line and column with the
/// scenario's own message. Throws config::ScenarioError with every problem found.
[[nodiscard]] SweepDesign load_design(const std::string& design_file,
                                      const std::string& scenario_file,
                                      const std::vector<std::string>& sets);
/// The same from text, for tests; `name` appears in messages.
[[nodiscard]] SweepDesign load_design_text(const std::string& text, const std::string& name,
                                           const std::string& scenario_file,
                                           const std::vector<std::string>& sets);

/// What the scenario says of `path` set to `value` (after `sets`), as `--set` would apply
/// it: empty when it accepts it, else its message about that value.
[[nodiscard]] std::string scenario_refusal(const std::string& scenario_file,
                                           std::vector<std::string> sets, const std::string& path,
                                           double value);

/// A design file read for a sensitivity analysis: its parameters (by range and scale), and
/// `trajectories` and `levels` (Morris) or `points` (Sobol's base sample).
struct SensitivityDesign {
  ensemble::DesignSpec spec;
  sensitivity::MorrisOptions morris;
  std::size_t sobol_points = 0;
  std::uint64_t seed = 1;
};
[[nodiscard]] SensitivityDesign load_sensitivity_design(const std::string& design_file,
                                                        const std::string& scenario_file,
                                                        const std::vector<std::string>& sets,
                                                        bool morris);

/// JSON Schema of design files read for a sensitivity analysis.
[[nodiscard]] std::string sensitivity_design_json_schema();

/// JSON Schema of design files.
[[nodiscard]] std::string design_json_schema();

/// `sets` followed by `path=value` for each parameter of point `point`.
[[nodiscard]] std::vector<std::string> with_point_overrides(std::vector<std::string> sets,
                                                            const SweepDesign& design,
                                                            std::size_t point);

/// "point_0007": the cell name of a design point.
[[nodiscard]] std::string point_name(std::size_t point);

}  // namespace tipsim::experiments
