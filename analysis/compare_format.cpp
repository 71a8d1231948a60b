// Text table and JSON renderings of a Comparison. Every indicator comes from the lists in
// indicators.hpp, computed the same way for both runs, so the k-th entries of the two lists
// are the same indicator.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/indicators.hpp"
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

constexpr std::size_t kLabelWidth = 28;   // characters of the left-hand label column
constexpr std::size_t kColumnWidth = 16;  // characters of the base, other and difference columns

std::optional<double> difference(std::optional<double> base, std::optional<double> other) {
  if (!base || !other) return std::nullopt;
  return *other - *base;
}

// ---- JSON --------------------------------------------------------------------------------

/// `key: {"base": b, "other": o, "difference": o - b}`. A side a file lacks is null and
/// counts as 0 in the difference (an intervention not declared did nothing, spent nothing).
void triple(JsonWriter& j, std::string_view key, std::optional<std::int64_t> base,
            std::optional<std::int64_t> other) {
  j.key(key).begin_object();
  j.key("base");
  base ? j.integer(*base) : j.null();
  j.key("other");
  other ? j.integer(*other) : j.null();
  j.key("difference").integer(other.value_or(0) - base.value_or(0));
  j.end_object();
}

/// As triple(), for a share: the difference is null unless both shares exist.
void share_triple(JsonWriter& j, std::string_view key, std::optional<double> base,
                  std::optional<double> other) {
  j.key(key).begin_object();
  j.key("base").number(base);
  j.key("other").number(other);
  j.key("difference").number(difference(base, other));
  j.end_object();
}

void triples(JsonWriter& j, const std::vector<Count>& base, const std::vector<Count>& other) {
  for (std::size_t k = 0; k < base.size(); ++k)
    triple(j, base[k].key, base[k].value, other[k].value);
}

void run_object(JsonWriter& j, std::string_view key, const std::string& file, const Summary& s) {
  j.key(key).begin_object();
  j.key("file").string(file);
  j.key("scenario").string(s.scenario);
  j.key("seed").unsigned_integer(s.seed);
  j.key("replicate").integer(s.replicate);
  j.key("step_days").integer(s.step_days);
  j.key("start").string(s.start.iso());
  j.key("end").string(s.end.iso());
  j.end_object();
}

/// `name: {keys[k]: triple}` for the per-nationality and per-age-band columns.
template <std::size_t N>
void keyed_triples(JsonWriter& j, std::string_view name,
                   const std::array<std::string_view, N>& keys,
                   const std::array<std::int64_t, N>& base,
                   const std::array<std::int64_t, N>& other) {
  j.key(name).begin_object();
  for (std::size_t k = 0; k < N; ++k) triple(j, keys[k], base[k], other[k]);
  j.end_object();
}
template <std::size_t N>
void keyed_share_triples(JsonWriter& j, std::string_view name,
                         const std::array<std::string_view, N>& keys,
                         const std::array<std::optional<double>, N>& base,
                         const std::array<std::optional<double>, N>& other) {
  j.key(name).begin_object();
  for (std::size_t k = 0; k < N; ++k) share_triple(j, keys[k], base[k], other[k]);
  j.end_object();
}

void observation_json(JsonWriter& j, const ObservationPair& pair) {
  const ObservationSummary& b = pair.base;
  const ObservationSummary& o = pair.other;
  j.begin_object();
  j.key("date").string(b.date.iso());
  triple(j, "wecs_18_30", b.wecs_18_30, o.wecs_18_30);
  triple(j, "trafficked_18_30", b.trafficked_18_30, o.trafficked_18_30);
  share_triple(j, "trafficked_share_true", b.trafficked_share_true, o.trafficked_share_true);
  j.key("by_department").begin_object();
  for (std::size_t d = 0; d < b.by_department.size(); ++d) {
    const DepartmentCount& bd = b.by_department[d];
    const DepartmentCount& od = o.by_department[d];
    j.key(bd.name).begin_object();
    triple(j, "wecs_18_30", bd.wecs_18_30, od.wecs_18_30);
    triple(j, "trafficked_18_30", bd.trafficked_18_30, od.trafficked_18_30);
    share_triple(j, "trafficked_share_true", bd.trafficked_share_true, od.trafficked_share_true);
    j.end_object();
  }
  j.end_object();
  triple(j, "victims", b.victims, o.victims);
  keyed_triples(j, "victims_by_nationality", kNationalityKeys, b.victims_by_nationality,
                o.victims_by_nationality);
  keyed_share_triples(j, "victim_nationality_share", kNationalityKeys, b.victim_nationality_share,
                      o.victim_nationality_share);
  keyed_triples(j, "victims_by_age", kAgeBandKeys, b.victims_by_age, o.victims_by_age);
  keyed_share_triples(j, "victim_age_share", kAgeBandKeys, b.victim_age_share, o.victim_age_share);
  j.end_object();
}

void date_list(JsonWriter& j, std::string_view key, const std::vector<Date>& dates) {
  j.key(key).begin_array();
  for (const Date d : dates) j.string(d.iso());
  j.end_array();
}

void intervention_json(JsonWriter& j, const InterventionPair& pair) {
  const std::vector<Count> zeros = intervention_counts(InterventionTotals{});
  const std::vector<Count> base = intervention_counts(pair.base.value_or(InterventionTotals{}));
  const std::vector<Count> other = intervention_counts(pair.other.value_or(InterventionTotals{}));
  j.begin_object();
  j.key("name").string(pair.name);
  j.key("type").string(pair.type);
  j.key("in_base").boolean(pair.base.has_value());
  j.key("in_other").boolean(pair.other.has_value());
  for (std::size_t k = 0; k < zeros.size(); ++k) {
    triple(j, zeros[k].key, pair.base ? std::optional(base[k].value) : std::nullopt,
           pair.other ? std::optional(other[k].value) : std::nullopt);
  }
  j.end_object();
}

// ---- table -------------------------------------------------------------------------------

std::string signed_count(std::int64_t value) {
  std::string text = value > 0 ? "+" : "";
  return text.append(std::to_string(value));
}

/// A difference of shares in percentage points; "-" when a share is missing.
std::string points(std::optional<double> base, std::optional<double> other) {
  const auto d = difference(base, other);
  if (!d) return "-";
  if (*d == 0) return "0.0 pp";
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%+.1f pp", *d * 100.0);
  return buffer.data();
}

/// "label  base  other  difference unit". Built with append rather than
/// `"literal" + std::string`, on which GCC 12 gives a false -Wrestrict warning.
void row(std::string& out, std::string_view label, std::string_view base, std::string_view other,
         std::string_view diff, std::string_view unit) {
  out.append("  ")
      .append(pad_right(label, kLabelWidth))
      .append(pad_left(base, kColumnWidth))
      .append(pad_left(other, kColumnWidth))
      .append(pad_left(diff, kColumnWidth));
  if (!unit.empty()) out.append(" ").append(unit);
  out.append("\n");
}

/// A cost ratio rounded to the franc, in the difference column; "-" and the reason when
/// there is none.
void cost_row(std::string& out, std::string_view label, std::optional<double> value,
              std::string_view unit, std::string_view why_not) {
  if (!value) {
    row(out, label, "", "", "-", std::string("(") + std::string(why_not) + ")");
    return;
  }
  std::array<char, 48> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.0f", *value);
  row(out, label, "", "", buffer.data(), unit);
}

void count_row(std::string& out, std::string_view label, std::int64_t base, std::int64_t other,
               std::string_view unit) {
  row(out, label, std::to_string(base), std::to_string(other), signed_count(other - base), unit);
}

void share_row(std::string& out, std::string_view label, std::optional<double> base,
               std::optional<double> other) {
  row(out, label, percent(base), percent(other), points(base, other), "");
}

void count_rows(std::string& out, const std::vector<Count>& base, const std::vector<Count>& other) {
  for (std::size_t k = 0; k < base.size(); ++k)
    count_row(out, base[k].label, base[k].value, other[k].value, base[k].unit);
}

void heading(std::string& out, std::string_view title) {
  out.append(pad_right(title, kLabelWidth + 2))
      .append(pad_left("base", kColumnWidth))
      .append(pad_left("other", kColumnWidth))
      .append(pad_left("difference", kColumnWidth))
      .append("\n");
}

std::string run_line(std::string_view role, const std::string& file, const Summary& s) {
  return pad_right(role, 9) + file + "   scenario " + s.scenario + "   seed " +
         std::to_string(s.seed) + "   replicate " + std::to_string(s.replicate) + "\n";
}

void observation_block(std::string& out, const ObservationPair& pair) {
  const ObservationSummary& b = pair.base;
  const ObservationSummary& o = pair.other;
  out += "\n";
  heading(out, "Observation " + b.date.iso());
  count_row(out, "WECS 18-30", b.wecs_18_30, o.wecs_18_30, "persons");
  count_row(out, "trafficked 18-30", b.trafficked_18_30, o.trafficked_18_30, "persons");
  share_row(out, "trafficked share", b.trafficked_share_true, o.trafficked_share_true);
  for (std::size_t d = 0; d < b.by_department.size(); ++d) {
    const DepartmentCount& bd = b.by_department[d];
    const DepartmentCount& od = o.by_department[d];
    out.append("  ").append(bd.name).append("\n");
    count_row(out, "  WECS 18-30", bd.wecs_18_30, od.wecs_18_30, "persons");
    count_row(out, "  trafficked 18-30", bd.trafficked_18_30, od.trafficked_18_30, "persons");
    share_row(out, "  trafficked share", bd.trafficked_share_true, od.trafficked_share_true);
  }
  count_row(out, "victims, any age", b.victims, o.victims, "persons");
  for (std::size_t k = 0; k < kNationalityKeys.size(); ++k) {
    const std::string key(kNationalityKeys[k]);
    count_row(out, "  " + key, b.victims_by_nationality[k], o.victims_by_nationality[k], "persons");
    share_row(out, "  " + key + " share", b.victim_nationality_share[k],
              o.victim_nationality_share[k]);
  }
  for (std::size_t k = 0; k < kAgeBandKeys.size(); ++k) {
    const std::string key(kAgeBandKeys[k]);
    count_row(out, "  aged " + key, b.victims_by_age[k], o.victims_by_age[k], "persons");
    share_row(out, "  aged " + key + " share", b.victim_age_share[k], o.victim_age_share[k]);
  }
}

void intervention_block(std::string& out, const InterventionPair& pair) {
  out.append("  ").append(pair.name).append(" (").append(pair.type).append(")");
  if (!pair.base) out.append(", only in other");
  if (!pair.other) out.append(", only in base");
  out.append("\n");
  const std::vector<Count> base = intervention_counts(pair.base.value_or(InterventionTotals{}));
  const std::vector<Count> other = intervention_counts(pair.other.value_or(InterventionTotals{}));
  for (std::size_t k = 0; k < base.size(); ++k) {
    row(out, std::string("  ") + std::string(base[k].label),
        pair.base ? std::to_string(base[k].value) : "-",
        pair.other ? std::to_string(other[k].value) : "-",
        signed_count(other[k].value - base[k].value), base[k].unit);
  }
}

std::string divergence_text(const Comparison& c) {
  if (c.first_divergence) return c.first_divergence->iso();
  return "none: the daily series agree on every step date both runs recorded";
}

}  // namespace

std::string pairing_text(const Comparison& c) {
  if (!c.same_key) return "no: seed or replicate differ, so the differences include chance";
  if (c.paired) return "yes: same seed and replicate (common random numbers)";
  return "no: same seed and replicate, but the runs part on " + c.first_divergence->iso() +
         ", before their scenarios differ (" + c.first_scenario_difference->iso() +
         "): the draws are not shared, so the differences include chance";
}

std::string comparison_table(const Comparison& c) {
  const Summary& b = c.base;
  const Summary& o = c.other;
  std::string out;
  out += run_line("base", c.base_file, b);
  out += run_line("other", c.other_file, o);
  out += "paired   " + pairing_text(c) + "\n";
  out += "window   " + b.from.iso() + " .. " + b.to.iso() + "\n";
  out += "first divergence   " + divergence_text(c) + "\n\n";

  heading(out, "Totals " + b.from.iso() + " .. " + b.to.iso());
  count_row(out, "steps", b.totals.steps, o.totals.steps, "");
  count_rows(out, arrival_counts(b.totals), arrival_counts(o.totals));
  count_rows(out, exit_counts(b.totals.exits), exit_counts(o.totals.exits));
  count_rows(out, later_counts(b.totals), later_counts(o.totals));
  cost_row(out, "cost per victim removed", c.cost_per_victim_removed, "FCFA per person",
           "no more victims removed");
  cost_row(out, "cost per victim-day averted", c.cost_per_victim_day_averted, "FCFA per person-day",
           "no victim-days averted");
  out += "\n";

  std::string at_end = "At end ";
  at_end.append(b.at_end.date.iso());
  if (o.at_end.date != b.at_end.date) at_end.append(" / ").append(o.at_end.date.iso());
  heading(out, at_end);
  count_rows(out, stock_counts(b.at_end), stock_counts(o.at_end));

  for (const ObservationPair& pair : c.observations) observation_block(out, pair);
  if (!c.observation_dates_only_in_base.empty() || !c.observation_dates_only_in_other.empty()) {
    out += "\nObservation dates not compared (in one run only):";
    for (const Date d : c.observation_dates_only_in_base)
      out.append(" ").append(d.iso()).append(" (base)");
    for (const Date d : c.observation_dates_only_in_other)
      out.append(" ").append(d.iso()).append(" (other)");
    out += "\n";
  }

  if (!c.interventions.empty()) {
    out += "\n";
    heading(out, "Interventions");
    for (const InterventionPair& pair : c.interventions) intervention_block(out, pair);
  }
  return out;
}

std::string comparison_json(const Comparison& c) {
  const Summary& b = c.base;
  const Summary& o = c.other;
  JsonWriter j;
  j.begin_object();
  run_object(j, "base", c.base_file, b);
  run_object(j, "other", c.other_file, o);
  j.key("from").string(b.from.iso());
  j.key("to").string(b.to.iso());
  j.key("paired").boolean(c.paired);
  j.key("same_key").boolean(c.same_key);
  j.key("first_scenario_difference");
  c.first_scenario_difference ? j.string(c.first_scenario_difference->iso()) : j.null();
  j.key("first_divergence");
  c.first_divergence ? j.string(c.first_divergence->iso()) : j.null();
  j.key("cost_per_victim_removed").number(c.cost_per_victim_removed);
  j.key("cost_per_victim_day_averted").number(c.cost_per_victim_day_averted);

  j.key("totals").begin_object();
  triple(j, "steps", b.totals.steps, o.totals.steps);
  triples(j, arrival_counts(b.totals), arrival_counts(o.totals));
  j.key("exits").begin_object();
  triples(j, exit_counts(b.totals.exits), exit_counts(o.totals.exits));
  j.end_object();
  triples(j, later_counts(b.totals), later_counts(o.totals));
  j.end_object();

  j.key("at_end").begin_object();
  j.key("date").begin_object();
  j.key("base").string(b.at_end.date.iso());
  j.key("other").string(o.at_end.date.iso());
  j.end_object();
  triples(j, stock_counts(b.at_end), stock_counts(o.at_end));
  j.end_object();

  j.key("observations").begin_array();
  for (const ObservationPair& pair : c.observations) observation_json(j, pair);
  j.end_array();
  j.key("observation_dates_not_compared").begin_object();
  date_list(j, "base", c.observation_dates_only_in_base);
  date_list(j, "other", c.observation_dates_only_in_other);
  j.end_object();

  j.key("interventions").begin_array();
  for (const InterventionPair& pair : c.interventions) intervention_json(j, pair);
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
