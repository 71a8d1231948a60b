#include "analysis/scenario_difference.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

std::string emit(const YAML::Node& n) {
  YAML::Emitter out;
  out << n;
  return out.c_str();
}

Date date_of(const YAML::Node& n, const char* key, const std::string& what) {
  const auto d = n[key] ? Date::parse(n[key].as<std::string>()) : std::nullopt;
  if (!d) throw ConfigError("resolved scenario: " + what + " has no " + key + " date");
  return *d;
}

std::map<std::string, YAML::Node> by_name(const YAML::Node& list) {
  std::map<std::string, YAML::Node> out;
  if (!list || !list.IsSequence()) return out;
  for (const auto& item : list)
    if (item["name"]) out.emplace(item["name"].as<std::string>(), item);
  return out;
}

YAML::Node without(const YAML::Node& n, std::initializer_list<const char*> keys) {
  YAML::Node copy = YAML::Clone(n);
  for (const char* k : keys) copy.remove(k);
  return copy;
}

/// The first key path, in `a`'s order, where `a` and `b` differ; empty when they do not.
std::string first_different_path(const YAML::Node& a, const YAML::Node& b,
                                 const std::string& prefix) {
  if (emit(a) == emit(b)) return "";
  const auto join = [&](const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
  };
  if (a.IsMap() && b.IsMap()) {
    for (const auto& item : a) {
      const std::string key = item.first.as<std::string>();
      const std::string inner = first_different_path(item.second, b[key], join(key));
      if (!inner.empty()) return inner;
    }
    for (const auto& item : b)
      if (!a[item.first.as<std::string>()]) return join(item.first.as<std::string>());
  }
  if (a.IsSequence() && b.IsSequence() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string inner =
          first_different_path(a[i], b[i], prefix + "[" + std::to_string(i) + "]");
      if (!inner.empty()) return inner;
    }
  }
  return prefix.empty() ? "the scenario" : prefix;
}

}  // namespace

std::optional<Date> first_scenario_difference(const std::string& a_text,
                                              const std::string& b_text) {
  const auto d = describe_first_scenario_difference(a_text, b_text);
  return d ? std::optional<Date>(d->date) : std::nullopt;
}

std::optional<ScenarioDifference> describe_first_scenario_difference(const std::string& a_text,
                                                                     const std::string& b_text) {
  YAML::Node a, b;
  try {
    a = YAML::Load(a_text);
    b = YAML::Load(b_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(std::string("resolved scenario is not YAML: ") + e.what());
  }
  if (!a.IsMap() || !b.IsMap() || !a["simulation"] || !b["simulation"])
    throw ConfigError("resolved scenario has no simulation section");
  const Date start = std::min(date_of(a["simulation"], "start", "simulation"),
                              date_of(b["simulation"], "start", "simulation"));
  const Date end_a = date_of(a["simulation"], "end", "simulation");
  const Date end_b = date_of(b["simulation"], "end", "simulation");
  std::optional<ScenarioDifference> first;
  const auto consider = [&](Date d, std::string what) {
    if (!first || d < first->date) first = ScenarioDifference{d, std::move(what)};
  };

  const auto sim_a = without(a["simulation"], {"seed", "replicate", "end"});
  const auto sim_b = without(b["simulation"], {"seed", "replicate", "end"});
  if (emit(sim_a) != emit(sim_b)) consider(start, first_different_path(sim_a, sim_b, "simulation"));
  if (end_a != end_b) consider(Date{std::min(end_a, end_b).days + 1}, "simulation.end");
  const auto rest_a = without(a, {"name", "description", "simulation", "interventions"});
  const auto rest_b = without(b, {"name", "description", "simulation", "interventions"});
  if (emit(rest_a) != emit(rest_b)) consider(start, first_different_path(rest_a, rest_b, ""));

  const auto ia = by_name(a["interventions"]);
  const auto ib = by_name(b["interventions"]);
  for (const auto* side : {&ia, &ib}) {
    const auto& other = side == &ia ? ib : ia;
    for (const auto& [name, node] : *side) {
      const auto match = other.find(name);
      if (match == other.end()) {
        consider(date_of(node, "start", "intervention " + name),
                 "intervention '" + name + "' (in one scenario only)");
        continue;
      }
      if (emit(node) == emit(match->second)) continue;
      const Date s = std::min(date_of(node, "start", "intervention " + name),
                              date_of(match->second, "start", "intervention " + name));
      if (emit(without(node, {"end"})) != emit(without(match->second, {"end"}))) {
        consider(s, first_different_path(without(node, {"end"}), without(match->second, {"end"}),
                                         "intervention '" + name + "'"));
      } else {
        const Date e = std::min(date_of(node, "end", "intervention " + name),
                                date_of(match->second, "end", "intervention " + name));
        consider(Date{e.days + 1}, "intervention '" + name + "'.end");
      }
    }
  }
  return first;
}

}  // namespace tipsim::analysis
