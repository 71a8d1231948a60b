#pragma once
/// Reading scenario files into a ScenarioSpec: validation, defaults with their sources,
/// the JSON Schema and the parameter table all come from one reading function.
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/parameters.hpp"

namespace tipsim::config {
class Reader;
}

namespace tipsim::model {

/// A validated scenario and the texts that make it reproducible.
struct LoadedScenario {
  ScenarioSpec spec;
  std::string original_text;  ///< the scenario file exactly as given
  std::string resolved_yaml;  ///< every default filled in, `extends:` and overrides applied
  /// The files the scenario extends, nearest first, and each one's text exactly as read.
  std::vector<std::filesystem::path> extends_files;
  std::vector<std::string> extends_texts;
};

/// Reads one scenario from `reader`; every problem is recorded in the reader.
ScenarioSpec read_scenario(config::Reader& reader);

/// Loads, merges and validates a scenario file. Throws config::ScenarioError with every
/// problem found (file, line, column, key path, what was expected).
LoadedScenario load_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides = {});
/// Same from text, for tests and tools; `name` appears in messages.
LoadedScenario load_scenario_text(std::string_view text, const std::string& name,
                                  const std::vector<std::string>& overrides = {});

/// JSON Schema (draft 2020-12) of the scenario format.
std::string scenario_json_schema();

/// One line per observation or snapshot date that falls between steps (with `step_days` >
/// 1 steps are `start`, `start + step_days`, ...), naming the nearest steps: such a date is
/// not recorded, and the run says so rather than dropping it without a word.
std::vector<std::string> dates_between_steps(const ScenarioSpec& spec);
/// Markdown table rows of every parameter: path, default, unit, range, meaning, source.
std::string scenario_parameter_table();

const char* to_string(PlaceKind kind);

}  // namespace tipsim::model
