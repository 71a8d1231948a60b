// Text table and JSON renderings of a Summary.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "analysis/indicators.hpp"
#include "analysis/summary.hpp"
#include "analysis/survey_reading.hpp"
#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

using detail::arrival_counts;
using detail::Count;
using detail::exit_counts;
using detail::intervention_counts;
using detail::later_counts;
using detail::pad_left;
using detail::pad_right;
using detail::percent;
using detail::stock_counts;

constexpr std::size_t kLabelWidth = 26;   // characters of the left-hand label column
constexpr std::size_t kCountWidth = 18;   // characters of a count column
constexpr std::size_t kShareWidth = 8;    // characters of a share column
constexpr std::size_t kNumberWidth = 10;  // characters of a small count column

/// One "label  value unit" line per count. Built with append rather than
/// `"literal" + std::string`, on which GCC 12 gives a false -Wrestrict warning.
void lines(std::string& out, const std::vector<Count>& counts) {
  for (const Count& c : counts) {
    out.append("  ")
        .append(pad_right(c.label, kLabelWidth))
        .append(pad_left(std::to_string(c.value), kCountWidth))
        .append(" ")
        .append(c.unit)
        .append("\n");
  }
}

/// Members `key: value` of the current object, one per count.
void members(JsonWriter& j, const std::vector<Count>& counts) {
  for (const Count& c : counts) j.key(c.key).integer(c.value);
}

/// `name: {keys[0]: values[0], ...}`: the per-nationality and per-age-band columns. The
/// arrays share one length, so every key has its value.
template <typename T, std::size_t N>
void keyed_object(JsonWriter& j, std::string_view name, const std::array<std::string_view, N>& keys,
                  const std::array<T, N>& values) {
  j.key(name).begin_object();
  for (std::size_t k = 0; k < N; ++k) {
    j.key(keys[k]);
    if constexpr (std::is_same_v<T, std::int64_t>) {
      j.integer(values[k]);
    } else {
      j.number(values[k]);
    }
  }
  j.end_object();
}

void observation_block(std::string& out, const ObservationSummary& o) {
  out += "Observation " + o.date.iso() + "\n";
  out += "  " + pad_right("department", kLabelWidth) + pad_left("WECS 18-30", kCountWidth) +
         pad_left("trafficked 18-30", kCountWidth) + pad_left("share", kShareWidth) + "\n";
  const auto row = [&](std::string_view name, std::int64_t wecs, std::int64_t trafficked,
                       std::optional<double> share) {
    out += "  " + pad_right(name, kLabelWidth) + pad_left(std::to_string(wecs), kCountWidth) +
           pad_left(std::to_string(trafficked), kCountWidth) +
           pad_left(percent(share), kShareWidth) + "\n";
  };
  for (const DepartmentCount& d : o.by_department)
    row(d.name, d.wecs_18_30, d.trafficked_18_30, d.trafficked_share_true);
  row("all departments", o.wecs_18_30, o.trafficked_18_30, o.trafficked_share_true);

  // Victims of any age: nationality and age band side by side.
  std::string head =
      "  " + pad_right("victims, any age: " + std::to_string(o.victims), kLabelWidth);
  std::string counts = "  " + pad_right("  count", kLabelWidth);
  std::string shares = "  " + pad_right("  share", kLabelWidth);
  const auto column = [&](std::string_view key, std::int64_t count, std::optional<double> share) {
    head += pad_left(key, kShareWidth);
    counts += pad_left(std::to_string(count), kShareWidth);
    shares += pad_left(percent(share), kShareWidth);
  };
  for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
    column(kNationalityKeys[k], o.victims_by_nationality[k], o.victim_nationality_share[k]);
  for (std::size_t b = 0; b < kAgeBandKeys.size(); ++b)
    column(kAgeBandKeys[b], o.victims_by_age[b], o.victim_age_share[b]);
  out += head + "\n" + counts + "\n" + shares + "\n\n";
}

/// One line per intervention: name, type and its totals over the window.
void interventions_block(std::string& out, const Summary& s) {
  if (s.interventions.empty()) return;
  out += "\nInterventions " + s.from.iso() + " .. " + s.to.iso() + "\n";
  out.append("  ")
      .append(pad_right("name", kLabelWidth))
      .append(pad_right("type", kLabelWidth))
      .append(pad_left("reached", kNumberWidth))
      .append(pad_left("removed", kNumberWidth))
      .append(pad_left("arrests", kNumberWidth))
      .append(pad_left("spend FCFA", kCountWidth))
      .append("\n");
  for (const InterventionTotals& i : s.interventions) {
    // A name longer than its column still gets a space before the type.
    out.append("  ").append(pad_right(i.name, kLabelWidth - 1)).append(" ");
    out.append(pad_right(i.type, kLabelWidth))
        .append(pad_left(std::to_string(i.reached), kNumberWidth))
        .append(pad_left(std::to_string(i.victims_removed), kNumberWidth))
        .append(pad_left(std::to_string(i.arrests), kNumberWidth))
        .append(pad_left(std::to_string(i.spend_fcfa), kCountWidth))
        .append("\n");
  }
}

}  // namespace

std::string summary_table(const Summary& s) {
  std::string out;
  out += "scenario " + s.scenario + "   seed " + std::to_string(s.seed) + "   replicate " +
         std::to_string(s.replicate) + "\n";
  out += "run      " + s.start.iso() + " .. " + s.end.iso() + "   step " +
         std::to_string(s.step_days) + (s.step_days == 1 ? " day" : " days") + "\n";
  out += "window   " + s.from.iso() + " .. " + s.to.iso() + "   " + std::to_string(s.totals.steps) +
         (s.totals.steps == 1 ? " step" : " steps") + "\n\n";

  if (s.observations.empty()) out += "No observation dates in this run.\n\n";
  for (const ObservationSummary& o : s.observations) observation_block(out, o);
  for (const SurveySummary& survey : s.surveys) detail::survey_block(out, survey);

  out += "Totals " + s.from.iso() + " .. " + s.to.iso() + "\n";
  lines(out, arrival_counts(s.totals));
  lines(out, exit_counts(s.totals.exits));
  lines(out, later_counts(s.totals));

  out += "\nAt end " + s.at_end.date.iso() + "\n";
  lines(out, stock_counts(s.at_end));
  interventions_block(out, s);
  return out;
}

std::string summary_json(const Summary& s) {
  JsonWriter j;
  j.begin_object();
  j.key("scenario").string(s.scenario);
  j.key("seed").unsigned_integer(s.seed);
  j.key("replicate").integer(s.replicate);
  j.key("step_days").integer(s.step_days);
  j.key("start").string(s.start.iso());
  j.key("end").string(s.end.iso());
  j.key("from").string(s.from.iso());
  j.key("to").string(s.to.iso());

  j.key("observations").begin_array();
  for (const ObservationSummary& o : s.observations) {
    j.begin_object();
    j.key("date").string(o.date.iso());
    j.key("wecs_18_30").integer(o.wecs_18_30);
    j.key("trafficked_18_30").integer(o.trafficked_18_30);
    j.key("trafficked_share_true").number(o.trafficked_share_true);
    j.key("by_department").begin_object();
    for (const DepartmentCount& d : o.by_department) {
      j.key(d.name).begin_object();
      j.key("wecs_18_30").integer(d.wecs_18_30);
      j.key("trafficked_18_30").integer(d.trafficked_18_30);
      j.key("trafficked_share_true").number(d.trafficked_share_true);
      j.end_object();
    }
    j.end_object();
    j.key("victims").integer(o.victims);
    keyed_object(j, "victims_by_nationality", kNationalityKeys, o.victims_by_nationality);
    keyed_object(j, "victim_nationality_share", kNationalityKeys, o.victim_nationality_share);
    keyed_object(j, "victims_by_age", kAgeBandKeys, o.victims_by_age);
    keyed_object(j, "victim_age_share", kAgeBandKeys, o.victim_age_share);
    j.end_object();
  }
  j.end_array();

  j.key("totals").begin_object();
  j.key("steps").integer(s.totals.steps);
  members(j, arrival_counts(s.totals));
  j.key("exits").begin_object();
  members(j, exit_counts(s.totals.exits));
  j.end_object();
  members(j, later_counts(s.totals));
  j.end_object();

  j.key("at_end").begin_object();
  j.key("date").string(s.at_end.date.iso());
  members(j, stock_counts(s.at_end));
  j.end_object();

  j.key("interventions").begin_array();
  for (const InterventionTotals& i : s.interventions) {
    j.begin_object();
    j.key("name").string(i.name);
    j.key("type").string(i.type);
    members(j, intervention_counts(i));
    j.end_object();
  }
  j.end_array();

  j.key("surveys").begin_array();
  for (const SurveySummary& survey : s.surveys) detail::survey_json(j, survey);
  j.end_array();

  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
