#pragma once
/// Reading `/surveys` of a run file into SurveySummary values, and rendering them in the
/// summary's table and JSON. Not part of the public API.
#include <string>
#include <vector>

#include "analysis/run_reader.hpp"
#include "analysis/surveys.hpp"
#include "sim/json.hpp"

namespace tipsim::analysis::detail {

/// Every survey of the file, in `/surveys/names` order; none when the file has no
/// `/surveys` (written before runs had surveys). Throws IoError for a misshapen group.
[[nodiscard]] std::vector<SurveySummary> read_surveys(const RunReader& run);

/// A short block for the summary table: the estimates beside the truth per scope, then who
/// was classified trafficked.
void survey_block(std::string& out, const SurveySummary& survey);

/// The survey as one JSON object (docs/OUTPUT.md, `surveys` of the summary).
void survey_json(JsonWriter& j, const SurveySummary& survey);

}  // namespace tipsim::analysis::detail
