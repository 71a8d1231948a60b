#include "sim/ensemble/experiment.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "sim/ensemble/run_row.hpp"
#include "sim/json.hpp"

namespace tipsim::ensemble {

std::string Experiment::fingerprint() const {
  std::string f;
  const auto line = [&f](const std::string& key, const std::string& value) {
    f += key + ": " + value + "\n";
  };
  line("kind", kind);
  line("seed", std::to_string(seed));
  for (std::size_t i = 0; i < scenario_names.size(); ++i) {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx",
                  static_cast<unsigned long long>(fnv1a64(scenario_texts[i])));
    line("scenario " + std::to_string(i), scenario_names[i] + " (resolved text " + hash + ")");
  }
  for (const Cell& c : cells)
    line("cell " + c.name,
         "scenario " + std::to_string(c.scenario) + ", point " + std::to_string(c.point));
  for (const auto& w : windows) line("window", w);
  for (const auto& s : series) line("series", s);
  if (design) {
    line("design method", design->method);
    for (std::size_t p = 0; p < design->paths.size(); ++p)
      line("design parameter " + std::to_string(p), design->paths[p] + " " + design->scales[p]);
    std::string values;
    for (const double v : design->values) values += json_number(v) + " ";
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a64(values)));
    line("design points", std::to_string(design->points()) + " (values " + hash + ")");
  }
  if (posterior) {
    for (std::size_t p = 0; p < posterior->paths.size(); ++p)
      line("posterior parameter " + std::to_string(p), posterior->paths[p]);
    std::string values;
    for (const double v : posterior->values) values += json_number(v) + " ";
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a64(values)));
    line("posterior draws", std::to_string(posterior->points()) + " (values " + hash + ")");
  }
  return f;
}

std::string fingerprint_difference(const std::string& ours, const std::string& theirs) {
  const auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  const auto a = lines(ours), b = lines(theirs);
  const auto missing_from = [](const std::vector<std::string>& from,
                               const std::vector<std::string>& in) -> std::string {
    for (const auto& line : from)
      if (std::find(in.begin(), in.end(), line) == in.end()) return line;
    return "(nothing)";
  };
  if (a == b) return "";
  return "'" + missing_from(b, a) + "' there, '" + missing_from(a, b) + "' here";
}

std::vector<std::uint64_t> Experiment::wanted_runs() const {
  const std::uint64_t first = slice ? std::min(slice->first, plan.runs()) : 0;
  const std::uint64_t last = slice ? std::min(slice->last, plan.runs()) : plan.runs();
  std::vector<std::uint64_t> runs;
  for (std::uint64_t r = first; r < last; ++r) runs.push_back(r);
  return runs;
}

}  // namespace tipsim::ensemble
