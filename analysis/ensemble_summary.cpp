#include "analysis/ensemble_summary.hpp"

#include <cmath>
#include <cstdio>

#include "analysis/indicators.hpp"
#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

using detail::pad_left;
using detail::pad_right;

void spread_members(JsonWriter& j, const stats::Spread& s) {
  j.key("n").unsigned_integer(s.n);
  j.key("mean").number(s.mean);
  j.key("median").number(s.median);
  j.key("q10").number(s.q10);
  j.key("q90").number(s.q90);
  j.key("q025").number(s.q025);
  j.key("q975").number(s.q975);
}

}  // namespace

bool is_headline_indicator(const std::string& name) {
  const std::string base = name.substr(0, name.find('@'));
  if (base.starts_with("totals."))
    return !base.starts_with("totals.exits.") && base != "totals.steps";
  if (base.starts_with("surveys.")) return base.ends_with(".estimates.rds_ii.value");
  if (base.starts_with("observations."))
    return base.ends_with(".trafficked_share_true") &&
           base.find("by_department") == std::string::npos;
  return false;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "-";
  char buf[64];
  if (std::isinf(v))
    std::snprintf(buf, sizeof buf, "%s", v > 0 ? "inf" : "-inf");
  else if (std::fabs(v) >= 1000 || v == std::round(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

EnsembleSummary summarize_ensemble(const std::filesystem::path& file) {
  const EnsembleTable t = read_ensemble_table(file);
  EnsembleSummary s;
  s.file = t.file;
  s.kind = t.kind;
  s.seed = t.seed;
  s.replicates = t.replicates;
  s.runs_planned = t.runs_planned;
  s.windows = t.windows;
  for (std::size_t c = 0; c < t.cells.size(); ++c) {
    CellSummary cs;
    cs.name = t.cells[c].name;
    cs.scenario = t.scenarios[t.cells[c].scenario];
    cs.point = t.cells[c].point;
    if (t.design && cs.point >= 0)
      cs.parameters = t.design->point(static_cast<std::size_t>(cs.point));
    cs.done = t.done(c);
    cs.failed = t.failed(c);
    s.runs_done += cs.done;
    s.runs_failed += cs.failed;
    for (std::size_t k = 0; k < t.names.size(); ++k)
      cs.indicators.emplace_back(t.names[k], stats::spread(t.by_replicate(c, k)));
    s.cells.push_back(std::move(cs));
  }
  return s;
}

std::string ensemble_summary_table(const EnsembleSummary& s, bool all) {
  std::string out = s.file + ": " + s.kind + " of " + std::to_string(s.cells.size()) +
                    (s.kind == "sweep" ? " points" : " scenarios") + " x " +
                    std::to_string(s.replicates) + " replicates (seed " + std::to_string(s.seed) +
                    "): " + std::to_string(s.runs_done) + " runs done, " +
                    std::to_string(s.runs_failed) + " failed, " +
                    std::to_string(s.runs_planned - s.runs_done - s.runs_failed) + " not run\n";
  constexpr std::size_t kName = 58, kNumber = 13;
  for (const CellSummary& c : s.cells) {
    out += "\n" + std::string(s.kind == "sweep" ? "Point " : "Scenario ") + c.name;
    if (s.kind == "sweep") out += " (" + c.scenario + ")";
    out += ": " + std::to_string(c.done) + " replicates done, " + std::to_string(c.failed) +
           " failed\n";
    for (const auto& [path, value] : c.parameters)
      out += "  " + path + " = " + format_number(value) + "\n";
    out += "  " + pad_right("indicator", kName) + pad_left("mean", kNumber) +
           pad_left("median", kNumber) + pad_left("10%", kNumber) + pad_left("90%", kNumber) +
           pad_left("2.5%", kNumber) + pad_left("97.5%", kNumber) + "\n";
    for (const auto& [name, v] : c.indicators) {
      if (!all && !is_headline_indicator(name)) continue;
      if (v.n == 0) continue;
      out += "  " + pad_right(name, kName);
      for (const double x : {v.mean, v.median, v.q10, v.q90, v.q025, v.q975})
        out += pad_left(" " + format_number(x), kNumber);
      out += "\n";
    }
  }
  if (!all) out += "\n(--all lists every indicator; --json gives them as a document)\n";
  return out;
}

std::string ensemble_summary_json(const EnsembleSummary& s) {
  JsonWriter j;
  j.begin_object();
  j.key("file_kind").string(s.kind);
  j.key("seed").unsigned_integer(s.seed);
  j.key("replicates").integer(s.replicates);
  j.key("runs_planned").unsigned_integer(s.runs_planned);
  j.key("runs_done").unsigned_integer(s.runs_done);
  j.key("runs_failed").unsigned_integer(s.runs_failed);
  j.key("windows").begin_array();
  for (const auto& w : s.windows) j.string(w);
  j.end_array();
  j.key("cells").begin_array();
  for (const CellSummary& c : s.cells) {
    j.begin_object();
    j.key("name").string(c.name);
    j.key("scenario").string(c.scenario);
    if (c.point >= 0)
      j.key("point").integer(c.point);
    else
      j.key("point").null();
    j.key("parameters").begin_object();
    for (const auto& [path, value] : c.parameters) j.key(path).number(value);
    j.end_object();
    j.key("done").unsigned_integer(c.done);
    j.key("failed").unsigned_integer(c.failed);
    j.key("indicators").begin_object();
    for (const auto& [name, v] : c.indicators) {
      j.key(name).begin_object();
      spread_members(j, v);
      j.end_object();
    }
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
