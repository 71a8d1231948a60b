#pragma once
/// `tipsim summary` of a calibration file: each parameter's prior and posterior, the
/// generations, the posterior correlations (docs/OUTPUT.md, "Calibration files").
#include <filesystem>
#include <string>

#include "sim/calibration/calibration_file.hpp"

namespace tipsim::analysis {

/// A table: parameters (prior, posterior mean, median, 50% and 90% intervals), generations
/// (tolerance, acceptance, effective sample size, simulations), correlations.
[[nodiscard]] std::string calibration_table(const std::string& file,
                                            const calibration::CalibrationFile& c);
/// The same as JSON, keys in a fixed order.
[[nodiscard]] std::string calibration_json(const std::string& file,
                                           const calibration::CalibrationFile& c);

}  // namespace tipsim::analysis
