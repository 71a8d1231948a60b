#pragma once
/// Scenario files written by tipsim: a scenario that `extends:` another and sets values at
/// key paths (as `--set` names them), each with a comment saying where it comes from. Lists
/// are extended with `key+:` items named as the base names them, so only the set values
/// change.
#include <filesystem>
#include <string>
#include <vector>

namespace tipsim::experiments {

struct ScenarioValue {
  std::string path;     ///< as --set takes it
  std::string yaml;     ///< the value, as YAML text
  std::string comment;  ///< written beside it; empty for none
};

/// The text of a scenario that extends `base_file` (referred to relative to `out`'s folder)
/// and sets `values`, after `header` (comment lines). `base_resolved` is the base resolved
/// (its own `extends:` followed): its lists tell which path segments name list items. Throws
/// ConfigError for a path through a list item that has no name (nor `from` and `to`), which
/// `key+:` cannot address, or a list item the base does not have.
[[nodiscard]] std::string extending_scenario(const std::filesystem::path& base_file,
                                             const std::string& base_resolved,
                                             const std::filesystem::path& out,
                                             const std::vector<ScenarioValue>& values,
                                             const std::string& header);

}  // namespace tipsim::experiments
