#pragma once
/// Problems found in scenario input, each tied to a place in a file and a key path, so that a
/// user can fix every one of them in a single pass.
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace tipsim::config {

/// A position in an input file; `line` and `column` are 1-based, 0 means unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;

  friend bool operator==(const Location&, const Location&) = default;
};

/// One problem with the scenario input.
struct Diagnostic {
  Location where;
  /// Dotted key path such as `sites[2].miners`; empty when the problem is not about a key.
  std::string key_path;
  std::string message;

  /// `file:line:column: key.path: message`, leaving out the parts that are unknown.
  [[nodiscard]] std::string format() const;
};

/// Orders diagnostics for reading: grouped by file (in order of first appearance), then by
/// line and column; the order of equal positions is kept.
void sort_by_location(std::vector<Diagnostic>& diagnostics);

/// Thrown with every problem found; what() is all diagnostics, one per line.
class ScenarioError : public tipsim::ConfigError {
 public:
  /// `subject` names the input in a headline, e.g. "the design file".
  explicit ScenarioError(std::vector<Diagnostic> diagnostics, std::string subject = "the scenario");
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  [[nodiscard]] const std::string& subject() const { return subject_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::string subject_;
};

}  // namespace tipsim::config
