#pragma once
/// `tipsim summary` of a sensitivity file: per output, the parameters ranked by importance
/// (mu* for Morris, the total index for Sobol) with their intervals, and the share of the
/// output's variance due to chance.
#include <string>

#include "sim/sensitivity/sensitivity_file.hpp"

namespace tipsim::analysis {

[[nodiscard]] std::string sensitivity_table(const std::string& file,
                                            const sensitivity::SensitivityResult& r);
[[nodiscard]] std::string sensitivity_json(const std::string& file,
                                           const sensitivity::SensitivityResult& r);

}  // namespace tipsim::analysis
