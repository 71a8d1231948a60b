#include "sim/config/diagnostics.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace tipsim::config {

std::string Diagnostic::format() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  } else if (where.line > 0) {
    out += "line " + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
    out += ": ";
  }
  if (!key_path.empty()) out += key_path + ": ";
  out += message;
  return out;
}

void sort_by_location(std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::size_t> file_rank;
  for (const Diagnostic& d : diagnostics) file_rank.emplace(d.where.file, file_rank.size());
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::tuple(file_rank.at(a.where.file), a.where.line, a.where.column) <
                            std::tuple(file_rank.at(b.where.file), b.where.line, b.where.column);
                   });
}

namespace {

std::string join_formatted(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics, std::string subject)
    : ConfigError(join_formatted(diagnostics)),
      diagnostics_(std::move(diagnostics)),
      subject_(std::move(subject)) {}

}  // namespace tipsim::config
