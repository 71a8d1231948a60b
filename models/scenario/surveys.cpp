// Reading `acquaintance:`, `coercion:` and `surveys:`.
#include "models/scenario/surveys.hpp"

#include <algorithm>
#include <set>

#include "models/scenario/reading.hpp"
#include "sim/config/reader.hpp"

namespace tipsim::model {
namespace {

using config::Range;
using config::Reader;

using reading::kAssumption;
using reading::kShare;

void read_acquaintance(Reader& r, AcquaintanceSpec& s) {
  r.object(
      "acquaintance", {"ties among women at the sites, walked by RDS surveys", "", ""},
      [&](Reader& o) {
        s.ties_free = o.number("ties_free", 8.0, {0, 100},
                               {"mean ties a woman not controlled forms on arrival (her "
                                "network is about twice this, as later arrivals tie to her)",
                                "ties", kAssumption});
        s.ties_trafficked = o.number(
            "ties_trafficked", 5.0, {0, 100},
            {"mean ties a controlled woman forms on arrival (isolation)", "ties", kAssumption});
        s.same_site_share = o.number("same_site_share", 0.85, kShare,
                                     {"share of ties within her own site", "1", kAssumption});
        s.same_house_share = o.number(
            "same_house_share", 0.5, kShare,
            {"share of a controlled woman's own-site ties with her housemates", "1", kAssumption});
      });
}

void read_coercion(Reader& r, CoercionSpec& s) {
  r.object("coercion",
           {"elements of coercion in a controlled woman's situation, beyond recruitment, debt "
            "and control",
            "", ""},
           [&](Reader& o) {
             s.documents_confiscated =
                 o.number("documents_confiscated", 0.6, kShare,
                          {"share of controlled women whose documents are held", "1",
                           "case reports: documents are held; share assumed"});
             s.isolation =
                 o.number("isolation", 0.5, kShare,
                          {"share kept from contact with family or others", "1", kAssumption});
             s.threats_or_violence =
                 o.number("threats_or_violence", 0.5, kShare,
                          {"share threatened or subjected to violence", "1", kAssumption});
           });
}

class SurveyReader {
 public:
  explicit SurveyReader(const ScenarioSpec& spec) : spec_(spec) {
    for (const auto& p : spec.places)
      if (p.kind == PlaceKind::site) {
        sites_.insert(p.name);
        departments_.insert(p.department);
      }
  }

  void read(Reader& e, SurveySpec& s) {
    s.name = e.text("name", std::nullopt, {"unique survey name", "", ""});
    if (!e.schema_mode() && !s.name.empty() && !names_.insert(s.name).second)
      e.error("name", "survey name '" + s.name + "' is used twice");
    const std::size_t errors_before = e.error_count();
    s.start = e.date("start", std::nullopt, {"first day of fieldwork", "date", ""});
    s.end = e.date("end", std::nullopt, {"last day of fieldwork (inclusive)", "date", ""});
    if (!e.schema_mode() && e.error_count() == errors_before) {
      if (s.end < s.start)
        e.error("end", "end " + s.end.iso() + " is before start " + s.start.iso());
      if (s.start < spec_.simulation.start || s.end > spec_.simulation.end)
        e.error("start", "fieldwork " + s.start.iso() + " to " + s.end.iso() +
                             " is not inside the simulated period");
    }
    e.object("population", {"who is surveyed: women in commercial sex at the sites", "", ""},
             [&](Reader& p) {
               s.age_min = p.number("age_min", 18.0, {0, 100},
                                    {"youngest respondent", "years", "CenHTRO surveys: 18-30"});
               s.age_max = p.number("age_max", 30.0, {0, 100},
                                    {"oldest respondent (inclusive, whole years)", "years",
                                     "CenHTRO surveys: 18-30"});
               if (!p.schema_mode() && s.age_max < s.age_min)
                 p.error("age_max", "must not be below age_min (nobody would be surveyed)");
               s.departments = names(p, "departments", "only these departments (empty: all)",
                                     departments_, "department");
               s.sites = names(p, "sites", "only these sites, with those of the departments",
                               sites_, "site");
             });
    read_instrument(e, s.instrument);
    read_design(e, s);
    s.bootstrap_replicates =
        e.integer("bootstrap_replicates", 500, {50, 100000},
                  {"bootstrap replicates for each interval", "replicates", ""});
    s.confidence = e.number("confidence", 0.95, {0.5, 0.999}, {"interval level", "1", ""});
  }

 private:
  std::vector<std::string> names(Reader& r, std::string_view key, const char* what,
                                 const std::set<std::string>& known, const char* kind) {
    auto list = r.texts(key, std::vector<std::string>{}, {what, "", ""});
    reading::report_unknown(r, key, list, known, kind);
    return list;
  }

  void read_instrument(Reader& e, InstrumentSpec& s) {
    e.object(
        "instrument", {"how a respondent is classified from what she reports", "", ""},
        [&](Reader& in) {
          in.object(
              "indicators", {"sensitivity and specificity of each question set", "", ""},
              [&](Reader& list) {
                for (std::size_t k = 0; k < kIndicatorCount; ++k) {
                  const std::string key(kIndicatorNames[k]);
                  list.object(key, {"reported " + key, "", ""}, [&](Reader& ind) {
                    s.indicators[k].sensitivity =
                        ind.number("sensitivity", 0.9, kShare,
                                   {"chance she reports it when it is true", "1", kAssumption});
                    s.indicators[k].specificity = ind.number(
                        "specificity", 0.98, kShare,
                        {"chance she does not report it when it is not true", "1", kAssumption});
                  });
                }
              });
          s.at_least = in.integer(
              "at_least", 2, {0, static_cast<double>(kIndicatorCount)},
              {"classified trafficked when at least this many indicators are reported", "", ""});
          std::vector<std::string> choices(kIndicatorNames.begin(), kIndicatorNames.end());
          s.required = in.texts("required", std::vector<std::string>{},
                                {"indicators that must all be reported as well", "", ""});
          if (in.schema_mode()) return;
          for (const auto& name : s.required)
            if (std::find(choices.begin(), choices.end(), name) == choices.end())
              in.error(
                  "required", "unknown indicator '" + name + "'; expected one of: " + [&] {
                    std::string all;
                    for (const auto& c : choices) all += (all.empty() ? "" : ", ") + c;
                    return all;
                  }());
        });
  }

  void read_design(Reader& e, SurveySpec& s) {
    DesignSpec& d = s.design;
    e.object("design", {"how respondents are reached", "", ""}, [&](Reader& g) {
      g.variant(
          "type", {"respondent-driven, venue-based (time-location) or simple random", "", ""},
          {"rds", "venue", "random"}, [&](Reader& v, const std::string& chosen) {
            d.type = chosen == "rds"     ? DesignType::rds
                     : chosen == "venue" ? DesignType::venue
                                         : DesignType::random;
            d.sample_size = v.integer("sample_size", std::nullopt, {1, 1e7},
                                      {"respondents wanted in all", "persons", ""});
            v.list("sample_size_by_department",
                   {"quotas per department (they sum to sample_size)", "", ""},
                   [&](Reader& q, std::size_t) {
                     const auto name = q.text("department", std::nullopt, {"department", "", ""});
                     if (!q.schema_mode() && !departments_.count(name))
                       q.error("department", "unknown department '" + name + "'");
                     else if (!q.schema_mode() && !s.departments.empty() &&
                              std::find(s.departments.begin(), s.departments.end(), name) ==
                                  s.departments.end())
                       q.error("department",
                               "department '" + name + "' is not in the survey's population");
                     d.sample_size_by_department.emplace_back(
                         name,
                         q.integer("n", std::nullopt, {0, 1e7}, {"respondents", "persons", ""}));
                   });
            if (!v.schema_mode() && !d.sample_size_by_department.empty()) {
              std::int64_t total = 0;
              for (const auto& [name, n] : d.sample_size_by_department) total += n;
              if (total != d.sample_size)
                v.error("sample_size_by_department", "quotas sum to " + std::to_string(total) +
                                                         ", not sample_size " +
                                                         std::to_string(d.sample_size));
            }
            if (chosen == "rds") {
              const std::string a = kAssumption;
              d.seeds = v.integer("seeds", 10, {1, 1e5}, {"initial respondents", "persons", a});
              d.seed_selection =
                  v.text("seed_selection", std::string("random"),
                         {"seeds drawn at random, or those with the largest networks", "", ""},
                         {"random", "largest_network"});
              d.coupons = v.integer(
                  "coupons", 3, {1, 100},
                  {"coupons given to each respondent", "coupons", "common RDS practice: 3"});
              d.coupon_use_probability =
                  v.number("coupon_use_probability", 0.6, kShare,
                           {"chance a coupon brings a new respondent", "1", a});
              d.max_waves = v.integer("max_waves", 30, {1, 1000}, {"longest chain", "waves", ""});
              d.days_per_wave = v.number("days_per_wave", 3.0, {0, 365},
                                         {"days from a coupon to its interview", "days", a});
              d.degree_report_cv =
                  v.number("degree_report_cv", 0.3, {0, 5},
                           {"multiplicative error of the reported network size (log-normal "
                            "coefficient of variation)",
                            "1", a});
              d.max_new_seeds = v.integer(
                  "max_new_seeds", 20, {0, 1e5},
                  {"seeds added when every chain has died before the quota", "persons", ""});
            } else if (chosen == "venue") {
              d.venue_visits = v.integer(
                  "venue_visits", 12, {1, 1000},
                  {"site visits, each drawn with probability proportional to size; the sample is "
                   "split evenly among them",
                   "visits", ""});
            }
          });
    });
  }

  const ScenarioSpec& spec_;
  std::set<std::string> names_, sites_, departments_;
};

}  // namespace

void read_surveys(Reader& r, ScenarioSpec& spec) {
  read_acquaintance(r, spec.acquaintance);
  read_coercion(r, spec.coercion);
  SurveyReader reader(spec);
  r.list("surveys", {"virtual surveys of women at the sites, in the order reported", "", ""},
         [&](Reader& e, std::size_t index) {
           // Each survey's draws are keyed by its index beside the step (64 of them).
           if (index == 64) e.error("name", "at most 64 surveys may be declared");
           SurveySpec s;
           reader.read(e, s);
           spec.surveys.push_back(std::move(s));
         });
}

}  // namespace tipsim::model
