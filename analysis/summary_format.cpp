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

#include "sim/json.hpp"
#include "analysis/summary.hpp"

namespace tipsim::analysis {
namespace {

constexpr std::size_t kLabelWidth = 26;  // characters of the left-hand label column
constexpr std::size_t kCountWidth = 18;  // characters of a count column
constexpr std::size_t kShareWidth = 8;   // characters of a share column

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  std::string out;
  if (text.size() < width) out.assign(width - text.size(), ' ');
  out += text;
  return out;
}

/// A share as a percentage with one decimal; "-" when there is no denominator.
std::string percent(std::optional<double> share) {
  if (!share) return "-";
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f%%", *share * 100.0);
  return buffer.data();
}

/// One count of the totals or of the stocks at the end: its JSON key, its label in the
/// table and its unit. Listing each count once keeps the table and the JSON in step.
struct Count {
  std::string_view key;
  std::string_view label;
  std::int64_t value;
  std::string_view unit;
};

/// Totals before the exits, which the JSON nests in an object of their own.
std::vector<Count> arrival_counts(const WindowTotals& t) {
  return {{"recruited", "recruited", t.recruited, "persons"},
          {"arrived_at_sites", "arrived at sites", t.arrived_at_sites, "persons"},
          {"voluntary_arrivals", "voluntary arrivals", t.voluntary_arrivals, "persons"}};
}

std::vector<Count> exit_counts(const ExitTotals& e) {
  return {{"repaid", "exits: repaid", e.repaid, "persons"},
          {"escaped", "exits: escaped", e.escaped, "persons"},
          {"identified", "exits: identified", e.identified, "persons"},
          {"intercepted_in_transit", "exits: intercepted", e.intercepted_in_transit, "persons"},
          {"aged_out", "exits: aged out", e.aged_out, "persons"},
          {"died", "exits: died", e.died, "persons"}};
}

/// Totals after the exits.
std::vector<Count> later_counts(const WindowTotals& t) {
  return {
      {"sheltered", "sheltered", t.sheltered, "persons"},
      {"repatriated", "repatriated", t.repatriated, "persons"},
      {"reintegrated", "reintegrated", t.reintegrated, "persons"},
      {"arrests", "arrests", t.arrests, "persons"},
      {"convictions", "convictions", t.convictions, "persons"},
      {"became_madam", "became madam", t.became_madam, "persons"},
      {"replacements", "replacements", t.replacements, "persons"},
      {"victim_days_exploited", "victim-days exploited", t.victim_days_exploited, "person-days"},
      {"debt_imposed_fcfa", "debt imposed", t.debt_imposed_fcfa, "FCFA"},
      {"debt_paid_fcfa", "debt paid", t.debt_paid_fcfa, "FCFA"}};
}

std::vector<Count> stock_counts(const StocksAtEnd& e) {
  return {{"wecs", "WECS at sites", e.wecs, "persons"},
          {"wecs_18_30", "WECS 18-30", e.wecs_18_30, "persons"},
          {"trafficked_at_sites", "trafficked at sites", e.trafficked_at_sites, "persons"},
          {"in_transit", "in transit", e.in_transit, "persons"},
          {"shelter_occupancy", "in shelter", e.shelter_occupancy, "persons"},
          {"debt_outstanding_fcfa", "debt outstanding", e.debt_outstanding_fcfa, "FCFA"},
          {"houses_open", "houses open", e.houses_open, "houses"}};
}

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

  out += "Totals " + s.from.iso() + " .. " + s.to.iso() + "\n";
  lines(out, arrival_counts(s.totals));
  lines(out, exit_counts(s.totals.exits));
  lines(out, later_counts(s.totals));

  out += "\nAt end " + s.at_end.date.iso() + "\n";
  lines(out, stock_counts(s.at_end));
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

  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
