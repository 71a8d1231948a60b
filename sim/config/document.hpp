#pragma once
/// Loading scenario files: YAML parsing with locations, `extends` inheritance and `--set`
/// overrides, with every problem collected before failing.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/node.hpp"

namespace tipsim::config {

/// A loaded scenario: the merged tree plus the text of the top file.
class Document {
 public:
  /// Loads `file`, follows `extends:` (a top-level key holding a path relative to the extending
  /// file's directory; the base is loaded first and the child deep-merged over it: maps merge key
  /// by key, scalars and sequences are replaced whole), then applies `overrides` of the form
  /// `key.path=value` (value parsed as YAML; a numeric segment indexes a sequence; missing map
  /// keys are created). The `extends` key is removed from the result. Throws ScenarioError with
  /// every syntax error, duplicate key, unreadable file, circular extends and malformed override.
  /// Overrides are located at file `--set`, line = 1-based index of the override, column 1.
  static Document load_file(const std::filesystem::path& file,
                            const std::vector<std::string>& overrides = {});
  /// Same from text; `name` is the file name used in messages and `extends` is resolved
  /// relative to `base_dir`.
  static Document load_string(std::string_view text, std::string name,
                              const std::filesystem::path& base_dir = ".",
                              const std::vector<std::string>& overrides = {});
  /// Same, with the files it extends taken from `files` (path as `extends:` resolves it,
  /// lexically normal, -> text) instead of the file system, for tests and fuzzing.
  static Document load_string(std::string_view text, std::string name,
                              const std::filesystem::path& base_dir,
                              const std::vector<std::string>& overrides,
                              const std::map<std::string, std::string>& files);

  /// The merged tree: a map, or null for an empty file.
  [[nodiscard]] const Node& root() const { return root_; }
  /// The top file's text exactly as given, for provenance records.
  [[nodiscard]] const std::string& main_text() const { return main_text_; }

  /// A file read to make the document.
  struct Source {
    std::filesystem::path path;
    std::string text;  ///< exactly as read
  };
  /// Every file read: the top file first (when loaded from a file), then the files it
  /// extends, nearest first. An output must not replace any of them.
  [[nodiscard]] const std::vector<Source>& sources() const { return sources_; }

 private:
  Node root_;
  std::string main_text_;
  std::vector<Source> sources_;
};

/// Parses one YAML document from `text` into a located tree, appending syntax errors and
/// duplicate keys to `diagnostics`; returns a null node when the text cannot be parsed.
Node parse_yaml(std::string_view text, const std::string& file,
                std::vector<Diagnostic>& diagnostics);

}  // namespace tipsim::config
