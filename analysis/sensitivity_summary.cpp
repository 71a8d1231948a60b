#include "analysis/sensitivity_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

std::string g4(double v) {
  if (std::isnan(v)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

std::string left(std::string s, std::size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s + " ";
}

std::string right(const std::string& s, std::size_t w) {
  return (s.size() < w ? std::string(w - s.size(), ' ') : "") + s;
}

/// Parameters from most to least important for output `o`.
std::vector<std::size_t> ranking(const sensitivity::OutputIndices& o, std::size_t k) {
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto importance = [&](std::size_t j) {
    return o.morris.empty() ? o.sobol[j].total : o.morris[j].mu_star;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return importance(a) > importance(b); });
  return order;
}

}  // namespace

std::string sensitivity_table(const std::string& file, const sensitivity::SensitivityResult& r) {
  const std::size_t k = r.parameters.size();
  const bool morris = r.method == "morris";
  std::string out = "sensitivity  " + file + "\n";
  out += (morris ? "Morris, " : "Sobol, ") + std::to_string(r.plan.size()) + " points x " +
         std::to_string(r.replicates) + " replicate" + (r.replicates == 1 ? "" : "s") +
         ", runs in " + r.runs_file + "\n";
  std::size_t width = 9;
  for (const auto& p : r.parameters) width = std::max(width, p.path.size());
  for (const auto& o : r.outputs) {
    out += "\n" + o.name + "   (share of variance due to chance: " +
           (std::isnan(o.chance_share) ? std::string("- with one replicate")
                                       : g4(100 * o.chance_share) + "%") +
           ")\n";
    if (morris) {
      out += "  " + left("parameter", width) + right("mu*", 11) + right("95% interval", 25) +
             right("mu", 12) + right("sigma", 11) + "\n";
    } else {
      out += "  " + left("parameter", width) + right("total", 9) + right("95% interval", 22) +
             right("first", 10) + right("95% interval", 22) + "\n";
    }
    for (const std::size_t j : ranking(o, k)) {
      out += "  " + left(r.parameters[j].path, width);
      if (morris) {
        const auto& m = o.morris[j];
        out += right(g4(m.mu_star), 11) +
               right(g4(m.mu_star_interval.low) + " .. " + g4(m.mu_star_interval.high), 25) +
               right(g4(m.mu), 12) + right(g4(m.sigma), 11) + "\n";
      } else {
        const auto& s = o.sobol[j];
        out += right(g4(s.total), 9) +
               right(g4(s.total_interval.low) + " .. " + g4(s.total_interval.high), 22) +
               right(g4(s.first), 10) +
               right(g4(s.first_interval.low) + " .. " + g4(s.first_interval.high), 22) + "\n";
      }
    }
  }
  if (morris)
    out +=
        "\nmu*: mean absolute change of the output over a parameter's whole range (per unit "
        "of the range)\n";
  return out;
}

std::string sensitivity_json(const std::string& file, const sensitivity::SensitivityResult& r) {
  JsonWriter j;
  j.begin_object();
  j.key("file").string(file);
  j.key("file_kind").string("sensitivity");
  j.key("method").string(r.method);
  j.key("points").unsigned_integer(r.plan.size());
  j.key("replicates").unsigned_integer(r.replicates);
  j.key("runs_file").string(r.runs_file);
  j.key("parameters").begin_array();
  for (const auto& p : r.parameters) {
    j.begin_object();
    j.key("path").string(p.path);
    j.key("min").number(p.min);
    j.key("max").number(p.max);
    j.key("scale").string(p.log ? "log" : "linear");
    j.end_object();
  }
  j.end_array();
  j.key("outputs").begin_array();
  for (const auto& o : r.outputs) {
    j.begin_object();
    j.key("name").string(o.name);
    j.key("chance_share");
    if (std::isnan(o.chance_share)) {
      j.null();
    } else {
      j.number(o.chance_share);
    }
    j.key("indices").begin_array();
    for (std::size_t p = 0; p < r.parameters.size(); ++p) {
      j.begin_object();
      j.key("path").string(r.parameters[p].path);
      if (!o.morris.empty()) {
        const auto& m = o.morris[p];
        j.key("mu").number(m.mu);
        j.key("mu_star").number(m.mu_star);
        j.key("mu_star_interval")
            .begin_array()
            .number(m.mu_star_interval.low)
            .number(m.mu_star_interval.high)
            .end_array();
        j.key("sigma").number(m.sigma);
      } else {
        const auto& s = o.sobol[p];
        j.key("first").number(s.first);
        j.key("first_interval")
            .begin_array()
            .number(s.first_interval.low)
            .number(s.first_interval.high)
            .end_array();
        j.key("total").number(s.total);
        j.key("total_interval")
            .begin_array()
            .number(s.total_interval.low)
            .number(s.total_interval.high)
            .end_array();
      }
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
