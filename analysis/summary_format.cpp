// Text table and JSON renderings of a Summary.
#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "analysis/json.hpp"
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

/// One "label  value" line of the totals and stock blocks.
void line(std::string& out, std::string_view label, std::int64_t value, std::string_view unit) {
  out += "  " + pad_right(label, kLabelWidth) + pad_left(std::to_string(value), kCountWidth);
  if (!unit.empty()) out += " " + std::string(unit);
  out += '\n';
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

  const WindowTotals& t = s.totals;
  out += "Totals " + s.from.iso() + " .. " + s.to.iso() + "\n";
  line(out, "recruited", t.recruited, "persons");
  line(out, "arrived at sites", t.arrived_at_sites, "persons");
  line(out, "voluntary arrivals", t.voluntary_arrivals, "persons");
  line(out, "exits: repaid", t.exits.repaid, "persons");
  line(out, "exits: escaped", t.exits.escaped, "persons");
  line(out, "exits: identified", t.exits.identified, "persons");
  line(out, "exits: intercepted", t.exits.intercepted_in_transit, "persons");
  line(out, "exits: aged out", t.exits.aged_out, "persons");
  line(out, "exits: died", t.exits.died, "persons");
  line(out, "sheltered", t.sheltered, "persons");
  line(out, "repatriated", t.repatriated, "persons");
  line(out, "reintegrated", t.reintegrated, "persons");
  line(out, "arrests", t.arrests, "persons");
  line(out, "convictions", t.convictions, "persons");
  line(out, "became madam", t.became_madam, "persons");
  line(out, "replacements", t.replacements, "persons");
  line(out, "victim-days exploited", t.victim_days_exploited, "person-days");
  line(out, "debt imposed", t.debt_imposed_fcfa, "FCFA");
  line(out, "debt paid", t.debt_paid_fcfa, "FCFA");

  const StocksAtEnd& e = s.at_end;
  out += "\nAt end " + e.date.iso() + "\n";
  line(out, "WECS at sites", e.wecs, "persons");
  line(out, "WECS 18-30", e.wecs_18_30, "persons");
  line(out, "trafficked at sites", e.trafficked_at_sites, "persons");
  line(out, "in transit", e.in_transit, "persons");
  line(out, "in shelter", e.shelter_occupancy, "persons");
  line(out, "debt outstanding", e.debt_outstanding_fcfa, "FCFA");
  line(out, "houses open", e.houses_open, "houses");
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
    j.key("victims_by_nationality").begin_object();
    for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
      j.key(kNationalityKeys[k]).integer(o.victims_by_nationality[k]);
    j.end_object();
    j.key("victim_nationality_share").begin_object();
    for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
      j.key(kNationalityKeys[k]).number(o.victim_nationality_share[k]);
    j.end_object();
    j.key("victims_by_age").begin_object();
    for (std::size_t b = 0; b < kAgeBandKeys.size(); ++b)
      j.key(kAgeBandKeys[b]).integer(o.victims_by_age[b]);
    j.end_object();
    j.key("victim_age_share").begin_object();
    for (std::size_t b = 0; b < kAgeBandKeys.size(); ++b)
      j.key(kAgeBandKeys[b]).number(o.victim_age_share[b]);
    j.end_object();
    j.end_object();
  }
  j.end_array();

  const WindowTotals& t = s.totals;
  j.key("totals").begin_object();
  j.key("steps").integer(t.steps);
  j.key("recruited").integer(t.recruited);
  j.key("arrived_at_sites").integer(t.arrived_at_sites);
  j.key("voluntary_arrivals").integer(t.voluntary_arrivals);
  j.key("exits").begin_object();
  j.key("repaid").integer(t.exits.repaid);
  j.key("escaped").integer(t.exits.escaped);
  j.key("identified").integer(t.exits.identified);
  j.key("intercepted_in_transit").integer(t.exits.intercepted_in_transit);
  j.key("aged_out").integer(t.exits.aged_out);
  j.key("died").integer(t.exits.died);
  j.end_object();
  j.key("sheltered").integer(t.sheltered);
  j.key("repatriated").integer(t.repatriated);
  j.key("reintegrated").integer(t.reintegrated);
  j.key("arrests").integer(t.arrests);
  j.key("convictions").integer(t.convictions);
  j.key("became_madam").integer(t.became_madam);
  j.key("replacements").integer(t.replacements);
  j.key("victim_days_exploited").integer(t.victim_days_exploited);
  j.key("debt_imposed_fcfa").integer(t.debt_imposed_fcfa);
  j.key("debt_paid_fcfa").integer(t.debt_paid_fcfa);
  j.end_object();

  const StocksAtEnd& e = s.at_end;
  j.key("at_end").begin_object();
  j.key("date").string(e.date.iso());
  j.key("wecs").integer(e.wecs);
  j.key("wecs_18_30").integer(e.wecs_18_30);
  j.key("trafficked_at_sites").integer(e.trafficked_at_sites);
  j.key("in_transit").integer(e.in_transit);
  j.key("shelter_occupancy").integer(e.shelter_occupancy);
  j.key("debt_outstanding_fcfa").integer(e.debt_outstanding_fcfa);
  j.key("houses_open").integer(e.houses_open);
  j.end_object();

  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
