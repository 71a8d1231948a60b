#include "analysis/calibration_summary.hpp"

#include <cmath>
#include <cstdio>

#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

using calibration::AbcGeneration;
using calibration::CalibrationFile;

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

/// Four significant digits, as a column of parameters of every magnitude needs.
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return format("%.4g", v);
}

std::string prior_text(const calibration::CalibratedParameter& p) {
  const auto& q = p.prior;
  const std::string kind(calibration::prior_kind_name(q.kind()));
  std::string text =
      kind + "(" +
      number(q.kind() == calibration::PriorKind::log_normal ? std::exp(q.a()) : q.a()) + ", " +
      number(q.b()) + ")";
  // Bounds beyond the distribution's own support: a truncation to the valid range.
  const double natural_lower = q.kind() == calibration::PriorKind::normal ? -INFINITY : 0.0;
  const double natural_upper = q.kind() == calibration::PriorKind::beta ? 1.0 : INFINITY;
  const bool truncated = q.kind() != calibration::PriorKind::uniform &&
                         q.kind() != calibration::PriorKind::log_uniform &&
                         (q.lower() > natural_lower || q.upper() < natural_upper);
  if (truncated) text += " on [" + number(q.lower()) + ", " + number(q.upper()) + "]";
  return text;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s + " ";
}

std::string pad_left(const std::string& s, std::size_t width) {
  return (s.size() < width ? std::string(width - s.size(), ' ') : "") + s;
}

}  // namespace

std::string calibration_table(const std::string& file, const CalibrationFile& c) {
  std::string out = "calibration  " + file + "\n";
  const auto& gens = c.result.generations;
  std::uint64_t simulations = 0;
  for (const auto& g : gens) simulations += g.simulations;
  out += "ABC-SMC, " + std::to_string(c.run.options.population) + " particles, seed " +
         std::to_string(c.run.options.seed) + ", " + std::to_string(gens.size()) +
         " generations, " + std::to_string(simulations) + " simulations, " +
         (c.complete ? "stopped by " + std::string(calibration::stop_reason_name(c.result.stopped))
                     : std::string("not finished (rerun the command to go on)")) +
         "\n";
  if (gens.empty()) return out;
  const std::size_t np = c.run.parameters.size();
  const auto post = calibration::summarize_posterior(gens.back(), np);
  std::size_t width = 9;
  for (const auto& p : c.run.parameters) width = std::max(width, p.path.size());
  out += "\n  " + pad("parameter", width) + pad("prior", 30) + pad_left("mean", 10) +
         pad_left("median", 10) + pad_left("50% interval", 22) + pad_left("90% interval", 22) +
         "\n";
  for (std::size_t j = 0; j < np; ++j) {
    const auto& s = post[j];
    out += "  " + pad(c.run.parameters[j].path, width) + pad(prior_text(c.run.parameters[j]), 30) +
           pad_left(number(s.mean), 10) + pad_left(number(s.median), 10) +
           pad_left(number(s.q25) + " .. " + number(s.q75), 22) +
           pad_left(number(s.q05) + " .. " + number(s.q95), 22) + "\n";
  }
  out += "\n  generation   tolerance  acceptance      ESS  simulations   seconds\n";
  for (const AbcGeneration& g : gens) {
    out += pad_left(std::to_string(g.index), 12) + pad_left(number(g.tolerance), 12) +
           pad_left(format("%.1f%%", 100 * g.acceptance_rate), 12) +
           pad_left(format("%.0f", g.effective_sample_size), 9) +
           pad_left(std::to_string(g.simulations), 13) + pad_left(format("%.1f", g.seconds), 10) +
           "\n";
  }
  if (np > 1) {
    const auto r = calibration::posterior_correlation(gens.back(), np);
    out += "\n  correlations of the posterior\n";
    for (std::size_t a = 0; a < np; ++a) {
      out += "  " + pad(c.run.parameters[a].path, width);
      for (std::size_t b = 0; b < np; ++b) out += pad_left(format("%.2f", r[a * np + b]), 7);
      out += "\n";
    }
  }
  return out;
}

std::string calibration_json(const std::string& file, const CalibrationFile& c) {
  JsonWriter j;
  j.begin_object();
  j.key("file").string(file);
  j.key("file_kind").string("calibration");
  j.key("method").string("abc_smc");
  j.key("population").unsigned_integer(c.run.options.population);
  j.key("seed").unsigned_integer(c.run.options.seed);
  j.key("complete").boolean(c.complete);
  j.key("stopped");
  if (c.complete) {
    j.string(calibration::stop_reason_name(c.result.stopped));
  } else {
    j.null();
  }
  const auto& gens = c.result.generations;
  const std::size_t np = c.run.parameters.size();
  std::uint64_t simulations = 0;
  for (const auto& g : gens) simulations += g.simulations;
  j.key("simulations").unsigned_integer(simulations);
  j.key("parameters").begin_array();
  const auto post = gens.empty() ? std::vector<calibration::PosteriorSummary>{}
                                 : calibration::summarize_posterior(gens.back(), np);
  for (std::size_t p = 0; p < np; ++p) {
    const auto& par = c.run.parameters[p];
    j.begin_object();
    j.key("path").string(par.path);
    j.key("prior").string(calibration::prior_kind_name(par.prior.kind()));
    j.key("a").number(par.prior.a());
    j.key("b").number(par.prior.b());
    j.key("lower").number(par.prior.lower());
    j.key("upper").number(par.prior.upper());
    j.key("source").string(par.source);
    j.key("posterior");
    if (post.empty()) {
      j.null();
    } else {
      const auto& s = post[p];
      j.begin_object();
      j.key("mean").number(s.mean);
      j.key("sd").number(s.sd);
      j.key("median").number(s.median);
      j.key("interval_50").begin_array().number(s.q25).number(s.q75).end_array();
      j.key("interval_90").begin_array().number(s.q05).number(s.q95).end_array();
      j.end_object();
    }
    j.end_object();
  }
  j.end_array();
  j.key("generations").begin_array();
  for (const AbcGeneration& g : gens) {
    j.begin_object();
    j.key("index").unsigned_integer(g.index);
    j.key("tolerance").number(g.tolerance);
    j.key("acceptance_rate").number(g.acceptance_rate);
    j.key("effective_sample_size").number(g.effective_sample_size);
    j.key("simulations").unsigned_integer(g.simulations);
    j.key("failed").unsigned_integer(g.failed);
    j.key("seconds").number(g.seconds);
    j.end_object();
  }
  j.end_array();
  j.key("correlation");
  if (gens.empty()) {
    j.null();
  } else {
    const auto r = calibration::posterior_correlation(gens.back(), np);
    j.begin_array();
    for (std::size_t a = 0; a < np; ++a) {
      j.begin_array();
      for (std::size_t b = 0; b < np; ++b) j.number(r[a * np + b]);
      j.end_array();
    }
    j.end_array();
  }
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
