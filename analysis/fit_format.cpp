// Text table and JSON renderings of a Fit.
#include <array>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/fit.hpp"
#include "analysis/fit_ensemble.hpp"
#include "analysis/indicators.hpp"
#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

using detail::pad_left;
using detail::pad_right;
using detail::percent;

constexpr std::size_t kNameWidth = 22;      // characters of the target's name
constexpr std::size_t kQuantityWidth = 18;  // characters of its quantity
constexpr std::size_t kScopeWidth = 30;     // survey or date, department, estimator, country
constexpr std::size_t kValueWidth = 9;      // characters of a target or simulated value
constexpr std::size_t kTermWidth = 9;       // characters of n_effective and of a term

std::string fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  return buffer.data();
}

/// A share in percent, a count as the number it is; "-" when there is none.
std::string value_text(Quantity q, std::optional<double> value) {
  if (!value) return "-";
  return is_proportion(q) ? percent(value) : json_number(*value);
}

/// "baseline_2021 Saraya rds_ii": what the target is about, beyond its quantity.
std::string scope_text(const Target& t) {
  std::string scope = t.survey ? *t.survey : t.date ? t.date->iso() : std::string();
  for (const auto& part : {t.department, t.estimator, t.country})
    if (part) scope.append(" ").append(*part);
  return scope;
}

/// `text` in a column of `width`, with at least one space after it however long it is.
std::string column(std::string_view text, std::size_t width) {
  return pad_right(text, width - 1) + " ";
}

/// The text, or null.
void text_or_null(JsonWriter& j, const std::optional<std::string>& text) {
  if (text) {
    j.string(*text);
  } else {
    j.null();
  }
}

/// What a target is, as the first keys of its JSON object.
void target_keys(JsonWriter& j, const Target& t) {
  j.key("name").string(t.name);
  j.key("quantity").string(quantity_name(t.quantity));
  j.key("survey");
  text_or_null(j, t.survey);
  j.key("department");
  text_or_null(j, t.department);
  j.key("estimator");
  text_or_null(j, t.estimator);
  j.key("country");
  text_or_null(j, t.country);
  j.key("date");
  text_or_null(j, t.date ? std::optional<std::string>(t.date->iso()) : std::nullopt);
  j.key("target").number(t.value);
}

}  // namespace

std::string fit_table(const Fit& f) {
  std::string out;
  out.append("run       ").append(f.file).append("\n");
  out.append("targets   ").append(f.targets_file).append("\n\n");
  out.append("  ")
      .append(column("target", kNameWidth))
      .append(column("quantity", kQuantityWidth))
      .append(column("scope", kScopeWidth))
      .append(pad_left("target", kValueWidth))
      .append(pad_left("simulated", kValueWidth + 1))
      .append(pad_left("n eff", kTermWidth))
      .append(pad_left("sim n eff", kTermWidth + 1))
      .append(pad_left("term", kTermWidth))
      .append("\n");
  for (const TargetFit& r : f.targets) {
    const Target& t = r.target;
    out.append("  ")
        .append(column(t.name, kNameWidth))
        .append(column(quantity_name(t.quantity), kQuantityWidth))
        .append(column(scope_text(t), kScopeWidth))
        .append(pad_left(value_text(t.quantity, t.value), kValueWidth))
        .append(pad_left(value_text(t.quantity, r.simulated), kValueWidth + 1))
        .append(pad_left(r.n_effective ? fixed(*r.n_effective, 1) : "", kTermWidth))
        .append(pad_left(r.simulated_n_effective ? fixed(*r.simulated_n_effective, 1) : "",
                         kTermWidth + 1))
        .append(pad_left(fixed(r.term, 3), kTermWidth))
        .append("\n");
  }
  out.append("  ")
      .append(pad_right("total", kNameWidth + kQuantityWidth + kScopeWidth + 2 * kValueWidth + 1 +
                                     2 * kTermWidth + 1))
      .append(pad_left(fixed(f.total, 3), kTermWidth))
      .append("\n");
  return out;
}

std::string fit_json(const Fit& f) {
  JsonWriter j;
  j.begin_object();
  j.key("file").string(f.file);
  j.key("targets_file").string(f.targets_file);
  j.key("targets").begin_array();
  for (const TargetFit& r : f.targets) {
    const Target& t = r.target;
    j.begin_object();
    target_keys(j, t);
    j.key("simulated").number(r.simulated);
    j.key("n_effective").number(r.n_effective);
    j.key("simulated_n_effective").number(r.simulated_n_effective);
    j.key("term").number(r.term);
    j.key("source");
    text_or_null(j, t.source);
    j.end_object();
  }
  j.end_array();
  j.key("total").number(f.total);
  j.end_object();
  return j.str();
}

std::string ensemble_fit_table(const EnsembleFit& f) {
  std::string out;
  out.append("ensemble  ").append(f.file).append("\n");
  out.append("targets   ").append(f.targets_file).append("\n");
  for (const EnsembleCellFit& cell : f.cells) {
    out.append("\n").append(cell.cell).append(": ").append(std::to_string(cell.runs));
    out.append(cell.runs == 1 ? " run\n" : " runs\n");
    out.append("  ")
        .append(column("target", kNameWidth))
        .append(column("scope", kScopeWidth))
        .append(pad_left("target", kValueWidth))
        .append(pad_left("median", kValueWidth + 1))
        .append(pad_left("90% of runs", 2 * kValueWidth + 3))
        .append(pad_left("below", 7))
        .append(pad_left("term", kTermWidth))
        .append("\n");
    for (const EnsembleTargetFit& r : cell.targets) {
      const Target& t = r.target;
      const std::string range = r.simulated_low ? value_text(t.quantity, r.simulated_low) + " .. " +
                                                      value_text(t.quantity, r.simulated_high)
                                                : "-";
      out.append("  ")
          .append(column(t.name, kNameWidth))
          .append(column(scope_text(t), kScopeWidth))
          .append(pad_left(value_text(t.quantity, t.value), kValueWidth))
          .append(pad_left(value_text(t.quantity, r.simulated_median), kValueWidth + 1))
          .append(pad_left(range, 2 * kValueWidth + 3))
          .append(pad_left(r.observed_quantile ? percent(r.observed_quantile) : "-", 7))
          .append(pad_left(fixed(r.term, 3), kTermWidth))
          .append("\n");
    }
    out.append("  ")
        .append(pad_right("total (the runs' likelihood averaged)",
                          kNameWidth + kScopeWidth + 3 * kValueWidth + 4 + 7))
        .append(pad_left(fixed(cell.total, 3), kTermWidth))
        .append("\n");
  }
  return out;
}

std::string ensemble_fit_json(const EnsembleFit& f) {
  JsonWriter j;
  j.begin_object();
  j.key("file").string(f.file);
  j.key("targets_file").string(f.targets_file);
  j.key("cells").begin_array();
  for (const EnsembleCellFit& cell : f.cells) {
    j.begin_object();
    j.key("cell").string(cell.cell);
    j.key("runs").unsigned_integer(cell.runs);
    j.key("targets").begin_array();
    for (const EnsembleTargetFit& r : cell.targets) {
      j.begin_object();
      target_keys(j, r.target);
      j.key("simulated_median").number(r.simulated_median);
      j.key("simulated_low").number(r.simulated_low);
      j.key("simulated_high").number(r.simulated_high);
      j.key("observed_quantile").number(r.observed_quantile);
      j.key("term").number(r.term);
      j.key("mean_term").number(r.mean_term);
      j.key("source");
      text_or_null(j, r.target.source);
      j.end_object();
    }
    j.end_array();
    j.key("total").number(cell.total);
    j.key("mean_total").number(cell.mean_total);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
