// Reading `interventions:`: a tagged union on `type`, each type with its own parameters,
// target dimensions and unit of cost.
#include "models/scenario/interventions.hpp"

#include <algorithm>
#include <set>

#include "models/recording/series.hpp"
#include "models/scenario/reading.hpp"
#include "sim/config/reader.hpp"

namespace tipsim::model {
namespace {

using config::FieldDoc;
using config::Range;
using config::Reader;
using Type = InterventionType;

using reading::kAssumption;
using reading::kMoney;
using reading::kNonNegative;
using reading::kOddsRatio;
using reading::kShare;

/// Target dimensions a type uses; any other one given is an error.
enum Dimension : unsigned { kOrigins = 1, kSites = 2, kEdges = 4, kWomen = 8 };

unsigned dimensions_of(Type t) {
  switch (t) {
    case Type::awareness_campaign:
    case Type::economic_empowerment:
      return kOrigins | kWomen;
    case Type::vigilance_committees:
    case Type::demand_reduction:
    case Type::training:
    case Type::site_raids:
      return kSites;
    case Type::border_screening:
      return kEdges;
    case Type::network_disruption:
      return kOrigins | kSites;
    case Type::shelter_care:
    case Type::repatriation:
      return kWomen;
    case Type::cross_border_cooperation:
      return kOrigins | kEdges;
    case Type::count_:
      break;
  }
  return 0;
}

const char* cost_unit(Type t) {
  switch (t) {
    case Type::awareness_campaign:
      return "FCFA per woman reached directly";
    case Type::economic_empowerment:
      return "FCFA per woman enrolled";
    case Type::vigilance_committees:
      return "FCFA per committee per year";
    case Type::demand_reduction:
      return "FCFA per miner at the targeted sites per year";
    case Type::border_screening:
      return "FCFA per group screened";
    case Type::training:
      return "FCFA per officer trained";
    case Type::site_raids:
      return "FCFA per raid";
    case Type::network_disruption:
      return "FCFA per operation";
    case Type::shelter_care:
      return "FCFA per bed-day used";
    case Type::repatriation:
      return "FCFA per woman repatriated";
    case Type::cross_border_cooperation:
      return "FCFA per group screened or operation against a recruiter";
    case Type::count_:
      break;
  }
  return "FCFA";
}

class InterventionReader {
 public:
  explicit InterventionReader(const ScenarioSpec& spec) : spec_(spec) {
    for (const auto& p : spec.places) {
      countries_.insert(p.country);
      if (p.kind == PlaceKind::origin) all_origins_.push_back(p.name);
      if (p.kind == PlaceKind::site) {
        all_sites_.push_back(p.name);
        sites_.insert(p.name);
        departments_.insert(p.department);
      }
    }
    for (const auto& r : spec.routes) all_edges_.push_back(r.from + " -> " + r.to);
    for (const auto& s : spec.population.voluntary_nationality) countries_.insert(s.country);
    for (const auto& s : spec.organisation.madam_nationality) countries_.insert(s.country);
  }

  void read(Reader& e, InterventionSpec& s) {
    s.name = e.text("name", std::nullopt,
                    {"unique name, shown in reports and keying the random streams", "", ""});
    if (!e.schema_mode() && !s.name.empty() && !names_.insert(s.name).second)
      e.error("name", "intervention name '" + s.name + "' is used twice");
    std::vector<std::string> types(kInterventionTypeNames.begin(), kInterventionTypeNames.end());
    e.variant("type", {"kind of intervention (docs/INTERVENTIONS.md)", "", ""}, types,
              [&](Reader& v, const std::string& name) {
                s.type =
                    static_cast<Type>(std::find(types.begin(), types.end(), name) - types.begin());
                read_target(v, s);
                read_parameters(v, s);
                read_cost(v, s);
              });
    read_timing(e, s);
  }

 private:
  /// A dimension left out means all: its resolved value lists every name, so the resolved
  /// scenario reads back the same; a list given empty means none.
  void read_target(Reader& v, InterventionSpec& s) {
    const unsigned dims = dimensions_of(s.type);
    v.object(
        "target",
        {"where and to whom it applies; a key left out means all, an empty list none", "", ""},
        [&](Reader& t) {
          TargetSpec& g = s.target;
          if (dims & kOrigins) {
            g.all_origins = !t.has("origins");
            g.origins = names(t, "origins", "origin places", all_origins_, "origin place");
          }
          if (dims & kSites) {
            g.all_sites = !t.has("sites") && !t.has("departments");
            g.sites = names(t, "sites", "site places, with those of `departments`",
                            t.has("departments") ? std::vector<std::string>{} : all_sites_, "site",
                            &sites_);
            g.departments = names(t, "departments", "every site of these departments", {},
                                  "department", &departments_);
          }
          if (dims & kEdges) {
            g.all_edges = !t.has("edges");
            for (const auto& text :
                 t.texts_or("edges", all_edges_,
                            {"route edges written 'From -> To' (either direction of a "
                             "two-way route)",
                             "", ""})) {
              const auto arrow = text.find(" -> ");
              EdgeRef ref;
              if (arrow != std::string::npos) {
                ref.from = text.substr(0, arrow);
                ref.to = text.substr(arrow + 4);
              }
              if (t.schema_mode()) continue;
              if (arrow == std::string::npos) {
                t.error("edges", "expected 'From -> To', got '" + text + "'");
              } else if (!has_route(ref)) {
                t.error("edges", "no route between '" + ref.from + "' and '" + ref.to +
                                     "' is declared under routes:");
              }
              g.edges.push_back(ref);
            }
          }
          if (dims & kWomen) {
            g.all_nationalities = !t.has("nationalities");
            g.nationalities = names(t, "nationalities", "women of these nationalities (ISO codes)",
                                    {countries_.begin(), countries_.end()}, "country");
            g.age_min =
                t.number("age_min", 0.0, {0, 120}, {"youngest woman it applies to", "years", ""});
            g.age_max =
                t.number("age_max", 120.0, {0, 120}, {"oldest woman it applies to", "years", ""});
            g.history = t.text("history", std::string("any"),
                               {"women trafficked before (returnees), never, or any", "", ""},
                               {"any", "returnees", "never_trafficked"});
            if (!t.schema_mode() && g.age_max < g.age_min)
              t.error("age_max", "must not be below age_min");
          }
        });
  }

  /// Names under `key`, each one of `known` (by default, of `all`); `all` when left out.
  std::vector<std::string> names(Reader& t, std::string_view key, const char* what,
                                 const std::vector<std::string>& all, const char* kind,
                                 const std::set<std::string>* known = nullptr) {
    auto list = t.texts_or(key, all, {what, "", ""});
    reading::report_unknown(
        t, key, list, known != nullptr ? *known : std::set<std::string>(all.begin(), all.end()),
        kind);
    return list;
  }

  bool has_route(const EdgeRef& ref) const {
    return std::any_of(spec_.routes.begin(), spec_.routes.end(), [&](const RouteSpec& r) {
      return (r.from == ref.from && r.to == ref.to) ||
             (r.two_way && r.from == ref.to && r.to == ref.from);
    });
  }

  void read_parameters(Reader& v, InterventionSpec& s) {
    const std::string a = kAssumption;
    switch (s.type) {
      case Type::awareness_campaign:
        s.reach_per_year = v.number("reach_per_year", 0.0, kNonNegative,
                                    {"at-risk women reached directly (intensity)", "1/year", a});
        s.awareness_days = v.number("awareness_days", 365.0, {1, 36500},
                                    {"mean time a woman stays aware", "days", a});
        s.word_of_mouth_probability =
            v.number("word_of_mouth_probability", 0.1, kShare,
                     {"chance an aware woman tells each of her ties while aware", "1", a});
        s.acceptance_odds_ratio =
            v.number("acceptance_odds_ratio", 0.5, kOddsRatio,
                     {"odds ratio of accepting a false job offer while aware", "1", a});
        break;
      case Type::economic_empowerment:
        s.enrolled_per_year = v.number("enrolled_per_year", 0.0, kNonNegative,
                                       {"at-risk women enrolled (intensity)", "1/year", a});
        s.poverty_exit_probability =
            v.number("poverty_exit_probability", 0.5, kShare,
                     {"chance an enrolled woman in poverty leaves it for good", "1", a});
        s.acceptance_odds_ratio =
            v.number("acceptance_odds_ratio", 0.8, kOddsRatio,
                     {"odds ratio of accepting any offer after enrolment", "1", a});
        break;
      case Type::vigilance_committees:
        s.committees = v.number("committees", 0.0, {0, 1e6},
                                {"committees at full strength (intensity), spread over the "
                                 "targeted sites in turn",
                                 "committees", "programme reports: 19 committees"});
        s.ramp_days = v.number("ramp_days", 0.0, {0, 36500},
                               {"committees are set up evenly over this time", "days", a});
        s.identification_rate_per_year =
            v.number("identification_rate_per_year", 0.2, kNonNegative,
                     {"identification and referral hazard of a victim, per committee at her site",
                      "1/year", a});
        s.escape_support_rate_per_year =
            v.number("escape_support_rate_per_year", 0.05, kNonNegative,
                     {"assisted escape hazard of a victim, per committee at her site; she is "
                      "referred to care",
                      "1/year", a});
        break;
      case Type::demand_reduction:
        s.demand_reduction = v.number("demand_reduction", 0.0, kShare,
                                      {"share of client demand removed (intensity)", "1", a});
        s.ramp_days = v.number("ramp_days", 0.0, {0, 36500},
                               {"the reduction builds up linearly over this time", "days", a});
        break;
      case Type::border_screening:
        s.screening_probability =
            v.number("screening_probability", 0.0, kShare,
                     {"chance a group on a targeted edge is screened (intensity)", "1", a});
        s.bribe_resistance = v.number("bribe_resistance", 0.0, kShare,
                                      {"share of bribes the screeners refuse", "1", a});
        break;
      case Type::training:
        s.officers = v.number(
            "officers", 0.0, {0, 1e6},
            {"police, gendarmes, prosecutors and judges trained (intensity)", "persons", a});
        s.ramp_days = v.number("ramp_days", 0.0, {0, 36500},
                               {"officers are trained evenly over this time", "days", a});
        s.identification_gain_per_officer = v.number(
            "identification_gain_per_officer", 0.05, kNonNegative,
            {"relative rise of the police identification rate at a targeted site per trained "
             "officer posted there",
             "1/officer", a});
        s.conviction_odds_ratio =
            v.number("conviction_odds_ratio", 1.5, kOddsRatio,
                     {"odds ratio of conviction with every trained officer in post", "1", a});
        s.turnover_per_year =
            v.number("turnover_per_year", 0.15, kNonNegative,
                     {"rate at which trained officers leave their post", "1/year", a});
        break;
      case Type::site_raids:
        s.raids_per_year = v.number("raids_per_year", 0.0, kNonNegative,
                                    {"raids per targeted site (intensity)", "1/year", a});
        s.search_share = v.number("search_share", 0.5, kShare,
                                  {"chance a raid finds each victim at the site", "1", a});
        s.max_identified_per_raid =
            v.number("max_identified_per_raid", 20.0, kNonNegative,
                     {"victims a raid team can take into care at once", "persons", a});
        s.madam_arrest_probability =
            v.number("madam_arrest_probability", 0.5, kShare,
                     {"chance the madam of a house where victims are found is arrested", "1", a});
        s.displacement_probability =
            v.number("displacement_probability", 0.2, kShare,
                     {"chance each house of a raided site moves to another site", "1", a});
        s.leak_probability = v.number(
            "leak_probability", 0.1, kShare,
            {"chance a raid is known in advance: houses move before it, not after", "1", a});
        break;
      case Type::network_disruption:
        s.operations_per_year = v.number("operations_per_year", 0.0, kNonNegative,
                                         {"arrest operations (intensity)", "1/year", a});
        s.targeting = v.text("targeting", std::string("betweenness"),
                             {"whom an operation aims at: highest betweenness or degree "
                              "centrality in the organisation network, or anyone",
                              "", ""},
                             {"betweenness", "degree", "random"});
        s.intelligence_accuracy =
            v.number("intelligence_accuracy", 0.7, kShare,
                     {"chance the aimed-at member is the one found; else a random member", "1", a});
        s.arrest_probability = v.number("arrest_probability", 0.7, kShare,
                                        {"chance an operation ends in an arrest", "1", a});
        break;
      case Type::shelter_care:
        s.beds = v.number("beds", 0.0, {0, 1e6}, {"beds added (intensity)", "beds", a});
        s.care_days = v.number("care_days", 90.0, {1, 3650}, {"mean length of stay", "days", a});
        s.acceptance_odds_ratio = v.number(
            "acceptance_odds_ratio", 0.5, kOddsRatio,
            {"odds ratio of accepting a later offer after this care (re-trafficking)", "1", a});
        s.testimony_odds_ratio =
            v.number("testimony_odds_ratio", 3.0, kOddsRatio,
                     {"odds ratio of testifying after this care (psychosocial support)", "1", a});
        break;
      case Type::repatriation:
        s.dates = dates(v, "dates", "dates of batches");
        s.interval_days =
            v.number("interval_days", 0.0, {0, 3650},
                     {"days between batches from start; 0: only the dates", "days", ""});
        s.batch_max = v.number("batch_max", 0.0, {0, 1e6},
                               {"largest batch (intensity)", "persons",
                                "batches of 19 (Nov 2022) and 26 (Jun 2023) reported"});
        s.reintegration_share =
            v.number("reintegration_share", 0.5, kShare,
                     {"share of those repatriated who get reintegration support", "1", a});
        s.acceptance_odds_ratio =
            v.number("acceptance_odds_ratio", 0.5, kOddsRatio,
                     {"odds ratio of accepting a later offer after reintegration support", "1", a});
        s.reintegration_cost_fcfa =
            v.integer("reintegration_cost_fcfa", 0, kMoney,
                      {"cost of reintegration support per woman supported", "FCFA", a});
        break;
      case Type::cross_border_cooperation:
        s.origin_interception_probability = v.number(
            "origin_interception_probability", 0.0, kShare,
            {"chance a group leaving a targeted origin is stopped there (intensity)", "1", a});
        s.transit_interception_probability =
            v.number("transit_interception_probability", 0.0, kShare,
                     {"chance a group is stopped at each targeted edge crossing a border "
                      "(intensity)",
                      "1", a});
        s.bribe_resistance = v.number("bribe_resistance", 0.5, kShare,
                                      {"share of bribes the joint teams refuse", "1", a});
        s.operations_per_year = v.number(
            "operations_per_year", 0.0, kNonNegative,
            {"operations against recruiters at the targeted origins (intensity)", "1/year", a});
        s.arrest_probability = v.number("arrest_probability", 0.5, kShare,
                                        {"chance an operation ends in an arrest", "1", a});
        break;
      case Type::count_:
        break;
    }
  }

  void read_cost(Reader& v, InterventionSpec& s) {
    v.object("cost", {"what it costs; spend is reported per day", "", ""}, [&](Reader& c) {
      s.cost.fixed_per_year_fcfa =
          c.integer("fixed_per_year_fcfa", 0, kMoney,
                    {"fixed cost while active, accrued daily", "FCFA/year", ""});
      s.cost.per_unit_fcfa =
          c.integer("per_unit_fcfa", 0, kMoney, {"cost per unit", cost_unit(s.type), ""});
      s.cost.budget_per_year_fcfa = c.integer(
          "budget_per_year_fcfa", 0, kNonNegative,
          {"cap on spend per calendar year, which limits what is done; 0: no cap", "FCFA", ""});
    });
  }

  std::vector<Date> dates(Reader& v, std::string_view key, const char* what) {
    std::vector<Date> out;
    for (const auto& text : v.texts(key, std::vector<std::string>{}, {what, "dates", ""})) {
      const auto d = Date::parse(text);
      if (!d) {
        v.error(key, "expected dates YYYY-MM-DD, got '" + text + "'");
      } else {
        if (!out.empty() && *d <= out.back()) v.error(key, "dates must be in increasing order");
        out.push_back(*d);
      }
    }
    return out;
  }

  void read_timing(Reader& e, InterventionSpec& s) {
    const auto& sim = spec_.simulation;
    s.start = e.date_or("start", sim.start,
                        {"first day it may act; left out: the first day of the run", "date", ""});
    // Dates outside the run are fine (a scenario with a shorter horizon may extend this
    // one): the intervention acts in the overlap, if any.
    const bool end_given = e.has("end");
    s.end = e.date_or("end", std::max(sim.end, s.start),
                      {"last day it may act; left out: the last day of the run", "date", ""});
    if (!e.schema_mode() && end_given && s.end < s.start)
      e.error("end", "end " + s.end.iso() + " is before start " + s.start.iso());
    std::vector<std::string> indicators(kTotalNames.begin(), kTotalNames.end());
    e.object(
        "trigger", {"switch it on only when an observed daily total crosses a threshold", "", ""},
        [&](Reader& t) {
          TriggerSpec& g = s.trigger;
          const auto indicator =
              t.optional_text("indicator",
                              {"a daily total of /timeseries: a stock's value on the check day, "
                               "or a flow summed since the last check",
                               "", ""},
                              indicators);
          const auto over = t.optional_number("above", {-1e18, 1e18},
                                              {"fires when the indicator is above this", "", ""});
          const auto under = t.optional_number("below", {-1e18, 1e18},
                                               {"fires when the indicator is below this", "", ""});
          g.enabled = indicator.has_value();
          g.indicator = indicator.value_or("");
          g.above = !under.has_value();
          g.threshold = under.value_or(over.value_or(0.0));
          if (!t.schema_mode() && !t.has("indicator") && (t.has("above") || t.has("below")))
            t.error(t.has("above") ? "above" : "below", "a trigger needs an indicator");
          if (!t.schema_mode() && g.enabled && over.has_value() == under.has_value())
            t.error("indicator", "a trigger needs exactly one of 'above' and 'below'");
          g.check_every_days = static_cast<std::int32_t>(
              t.integer("check_every_days", 30, {1, 3650},
                        {"the indicator is checked this often", "days", ""}));
          g.duration_days = static_cast<std::int32_t>(
              t.integer("duration_days", 0, {0, 36500},
                        {"active this long once fired; 0: until end", "days", ""}));
          g.repeat = t.boolean("repeat", false, {"may fire again once a spell is over", "", ""});
        });
  }

  const ScenarioSpec& spec_;
  std::set<std::string> names_, countries_, sites_, departments_;
  std::vector<std::string> all_origins_, all_sites_, all_edges_;
};

}  // namespace

void read_interventions(Reader& r, ScenarioSpec& spec) {
  InterventionReader reader(spec);
  r.list("interventions", {"what is done, where, to whom, when, how hard and at what cost", "", ""},
         [&](Reader& e, std::size_t) {
           InterventionSpec s;
           reader.read(e, s);
           // A switched-off intervention is read and checked like the others, then left out:
           // the run is the run without it (its streams are keyed by name, so the others'
           // draws do not move) and it costs nothing.
           const bool enabled = e.boolean(
               "enabled", true,
               {"false switches it off (an inherited one, say): not run, costs nothing", "", ""});
           if (enabled) spec.interventions.push_back(std::move(s));
         });
}

}  // namespace tipsim::model
