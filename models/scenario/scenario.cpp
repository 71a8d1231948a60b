#include "models/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>

#include "models/scenario/interventions.hpp"
#include "models/scenario/network.hpp"
#include "models/scenario/reading.hpp"
#include "models/scenario/surveys.hpp"
#include "sim/config/document.hpp"
#include "sim/config/reader.hpp"

namespace tipsim::model {
namespace {

using config::FieldDoc;
using config::Range;
using config::Reader;

using reading::kAssumption;
using reading::kDailyMoney;
using reading::kMoney;
using reading::kNonNegative;
using reading::kOddsRatio;
using reading::kPositive;
using reading::kShare;

std::vector<NationalityShare> read_shares(Reader& r, std::string_view key, const FieldDoc& doc) {
  std::vector<NationalityShare> shares;
  const std::size_t errors_before = r.error_count();
  r.list(key, doc, [&](Reader& e, std::size_t) {
    NationalityShare s;
    s.country = e.text("country", std::nullopt, {"ISO 3166 alpha-2 code", "", ""});
    s.share = e.number("share", std::nullopt, kShare, {"share of the total", "1", ""});
    shares.push_back(s);
  });
  if (!r.schema_mode() && !shares.empty() && r.error_count() == errors_before) {
    double total = 0;
    for (const auto& s : shares) total += s.share;
    if (std::abs(total - 1.0) > 1e-6)
      r.error(key, "shares must sum to 1, they sum to " + std::to_string(total));
  }
  return shares;
}

/// Returns whether the clock was read without error (later date checks rely on it).
bool read_simulation(Reader& r, SimulationSpec& s) {
  const std::size_t errors_before = r.error_count();
  r.object(
      "simulation", {"clock and random seed", "", ""},
      [&](Reader& o) {
        s.start = o.date("start", std::nullopt, {"first simulated day", "date", ""});
        s.end = o.date("end", std::nullopt, {"last simulated day (inclusive)", "date", ""});
        s.step_days = static_cast<std::int32_t>(
            o.integer("step_days", 1, {1, 7},
                      {"length of one step", "days",
                       "assumption: daily steps resolve the daily client and debt process"}));
        s.seed = static_cast<std::uint64_t>(
            o.integer("seed", 1, {0, 9.0e15}, {"random seed (--seed overrides)", "", ""}));
        s.replicate = static_cast<std::uint32_t>(o.integer(
            "replicate", 0, {0, 4095}, {"replicate index, keys the random streams", "", ""}));
        if (!o.schema_mode() && o.error_count() == errors_before && s.end < s.start)
          o.error("end", "end " + s.end.iso() + " is before start " + s.start.iso());
      },
      true);
  return r.error_count() == errors_before;
}

void read_observation(Reader& r, ObservationSpec& s, const SimulationSpec& sim, bool clock_ok) {
  r.object("observation", {"what the run reports", "", ""}, [&](Reader& o) {
    auto read_dates = [&](std::string_view key, const char* what) {
      std::vector<Date> dates;
      for (const auto& text : o.texts(key, std::vector<std::string>{}, {what, "dates", ""})) {
        const auto d = Date::parse(text);
        if (!d) {
          o.error(key, "expected dates YYYY-MM-DD, got '" + text + "'");
        } else if (!o.schema_mode() && clock_ok && (*d < sim.start || *d > sim.end)) {
          o.error(key, "date " + text + " is outside the simulated period " + sim.start.iso() +
                           " to " + sim.end.iso());
        } else {
          dates.push_back(*d);
        }
      }
      for (std::size_t i = 1; i < dates.size(); ++i)
        if (dates[i] <= dates[i - 1]) {
          o.error(key, "dates must be in increasing order: " + dates[i].iso() + " follows " +
                           dates[i - 1].iso());
          break;
        }
      return dates;
    };
    s.dates = read_dates("dates", "observation dates reported by summary");
    s.snapshot_dates = read_dates("snapshot_dates", "dates of agent-state snapshots");
    s.wecs_age_min = o.number("wecs_age_min", 18.0, {0, 100},
                              {"youngest age counted as WECS 18-30", "years", "CenHTRO surveys"});
    s.wecs_age_max = o.number("wecs_age_max", 30.0, {0, 100},
                              {"oldest age counted (inclusive)", "years", "CenHTRO surveys"});
    s.write_events = o.boolean("write_events", true, {"write the event ledger", "", ""});
    if (!o.schema_mode() && s.wecs_age_max < s.wecs_age_min)
      o.error("wecs_age_max", "must not be below wecs_age_min");
  });
}

void read_population(Reader& r, PopulationSpec& s) {
  r.object("population", {"at-risk women and women in commercial sex", "", ""}, [&](Reader& o) {
    s.recruitable_age_min = o.number(
        "recruitable_age_min", 13.0, {0, 100},
        {"youngest age recruiters approach", "years", "TIP reports: victims as young as 11-13"});
    s.recruitable_age_max = o.number("recruitable_age_max", 32.0, {0, 100},
                                     {"oldest age recruiters approach", "years", kAssumption});
    s.poverty_share = o.number("poverty_share", 0.5, kShare,
                               {"share of at-risk women in poverty", "1", kAssumption});
    s.childhood_sexual_violence_share =
        o.number("childhood_sexual_violence_share", 0.1, kShare,
                 {"share with childhood sexual violence", "1", kAssumption});
    s.partner_violence_share = o.number("partner_violence_share", 0.25, kShare,
                                        {"share with intimate partner violence", "1", kAssumption});
    s.social_ties =
        o.integer("social_ties", 6, {2, 100},
                  {"mean degree of the small-world social network (even)", "ties", kAssumption});
    s.social_rewiring = o.number("social_rewiring", 0.1, kShare,
                                 {"Watts-Strogatz rewiring probability", "1", kAssumption});
    s.voluntary_age_min =
        o.number("voluntary_age_min", 18.0, {0, 100},
                 {"youngest age of non-trafficked arrivals", "years", kAssumption});
    s.voluntary_age_max = o.number("voluntary_age_max", 34.0, {0, 100},
                                   {"oldest age of non-trafficked arrivals", "years", kAssumption});
    s.voluntary_nationality = read_shares(
        o, "voluntary_nationality", {"nationality of non-trafficked arrivals", "", kAssumption});
    s.voluntary_stay_years =
        o.number("voluntary_stay_years", 2.0, kPositive,
                 {"mean stay of a non-trafficked woman at the sites", "years", kAssumption});
    s.exit_age =
        o.number("exit_age", 40.0, {0, 100},
                 {"age at which women leave commercial sex (aged out)", "years", kAssumption});
    s.death_rate_per_year = o.number("death_rate_per_year", 0.004, kNonNegative,
                                     {"mortality of women at the sites", "1/year", kAssumption});
    if (!o.schema_mode() && s.recruitable_age_max <= s.recruitable_age_min)
      o.error("recruitable_age_max", "must exceed recruitable_age_min");
    if (!o.schema_mode() && s.voluntary_age_max < s.voluntary_age_min)
      o.error("voluntary_age_max", "must not be below voluntary_age_min");
  });
}

void read_organisation(Reader& r, OrganisationSpec& s) {
  r.object("organisation", {"recruiters, transporters and madams", "", ""}, [&](Reader& o) {
    s.recruiters_per_madam = o.integer("recruiters_per_madam", 2, {1, 20},
                                       {"recruiters each madam orders from", "ties", kAssumption});
    s.tie_same_country =
        o.number("tie_same_country", 0.9, kShare,
                 {"chance a madam's recruiter is from her own country", "1", kAssumption});
    s.madam_nationality =
        read_shares(o, "madam_nationality",
                    {"nationality of madams", "", "CenHTRO: most victims and madams Nigerian"});
    s.transporters_per_recruiter =
        o.integer("transporters_per_recruiter", 2, {1, 20},
                  {"transporters each recruiter works with", "ties", kAssumption});
    s.recruiter_contacts = o.integer("recruiter_contacts", 30, {1, 10000},
                                     {"women a recruiter knows directly", "persons", kAssumption});
    s.replacement_delay_days =
        o.number("replacement_delay_days", 60.0, kNonNegative,
                 {"mean delay before a removed member is replaced", "days", kAssumption});
    s.madam_retirement_rate_per_year = o.number(
        "madam_retirement_rate_per_year", 0.1, kNonNegative,
        {"rate at which madams stop ordering and close their house", "1/year", kAssumption});
    s.house_capacity_min =
        o.integer("house_capacity_min", 3, {1, 100}, {"smallest house", "places", kAssumption});
    s.house_capacity_max =
        o.integer("house_capacity_max", 8, {1, 100}, {"largest house", "places", kAssumption});
    if (!o.schema_mode() && s.house_capacity_max < s.house_capacity_min)
      o.error("house_capacity_max", "must not be below house_capacity_min");
  });
}

void read_demand(Reader& r, DemandSpec& s, const SimulationSpec& sim) {
  r.object("demand", {"client demand at the sites", "", ""}, [&](Reader& o) {
    s.reference_date =
        o.date("reference_date", sim.start, {"date the miner counts refer to", "date", ""});
    s.miners_growth_per_year =
        o.number("miners_growth_per_year", 0.03, {-1, 1},
                 {"exponential growth of the mining workforce", "1/year", kAssumption});
    s.visits_per_miner_per_week =
        o.number("visits_per_miner_per_week", 0.5, kNonNegative,
                 {"commercial sex visits per miner", "1/week", kAssumption});
    s.gold_luck_persistence =
        o.number("gold_luck_persistence", 0.99, kShare,
                 {"daily AR(1) coefficient of log gold luck", "1", kAssumption});
    s.gold_luck_volatility =
        o.number("gold_luck_volatility", 0.03, kNonNegative,
                 {"daily standard deviation of log gold luck", "1", kAssumption});
    s.max_clients_per_day =
        o.number("max_clients_per_day", 12.0, kPositive,
                 {"most clients one woman serves in a day", "clients/day",
                  "press reports: gross 6,000-12,000 FCFA/day at 500-2,000 FCFA a client"});
    s.profitable_clients_per_day = o.number(
        "profitable_clients_per_day", 6.0, kPositive,
        {"clients per woman per day at which a madam fills her house; fewer, she orders less",
         "clients/day", "assumption: gross 6,000-12,000 FCFA/day at 500-2,000 FCFA a client"});
    s.order_interval_days = o.number("order_interval_days", 14.0, {1, 365},
                                     {"a madam reviews her house this often", "days", kAssumption});
  });
}

void read_recruitment(Reader& r, RecruitmentSpec& s) {
  r.object("recruitment", {"approaches and acceptance of offers", "", ""}, [&](Reader& o) {
    s.approaches_per_day =
        o.number("approaches_per_day", 0.5, kNonNegative,
                 {"approaches per recruiter with an open order (0 stops recruitment)", "1/day",
                  kAssumption});
    s.friend_of_friend_share =
        o.number("friend_of_friend_share", 0.5, kShare,
                 {"approaches made through a contact's tie", "1", kAssumption});
    s.untied_channel_share =
        o.number("untied_channel_share", 0.2, kShare,
                 {"approaches through online adverts and other untied channels", "1", kAssumption});
    s.base_acceptance =
        o.number("base_acceptance", 0.05, kShare,
                 {"acceptance of a false job offer with no risk factor", "1", kAssumption});
    s.poverty_odds_ratio =
        o.number("poverty_odds_ratio", 2.0, kOddsRatio,
                 {"odds ratio of acceptance for poverty", "1", "CenHTRO: poverty about 2x"});
    s.childhood_sexual_violence_odds_ratio =
        o.number("childhood_sexual_violence_odds_ratio", 8.0, kOddsRatio,
                 {"odds ratio for childhood sexual violence", "1", "CenHTRO: about 8x"});
    s.partner_violence_odds_ratio = o.number("partner_violence_odds_ratio", 1.5, kOddsRatio,
                                             {"odds ratio for partner violence", "1", kAssumption});
    s.deceptive_offer_share =
        o.number("deceptive_offer_share", 0.85, kShare,
                 {"share of offers that are false job offers", "1",
                  "CenHTRO 2021: false offers of well-paid jobs are the main route"});
    s.open_offer_acceptance_factor = o.number(
        "open_offer_acceptance_factor", 0.4, kOddsRatio,
        {"odds ratio for an offer of sex work with the conditions hidden", "1", kAssumption});
    s.family_complicity_share =
        o.number("family_complicity_share", 0.1, kShare,
                 {"share of approaches where the family is paid and complicit", "1", kAssumption});
    s.family_complicity_odds_ratio =
        o.number("family_complicity_odds_ratio", 2.0, kOddsRatio,
                 {"odds ratio of acceptance when the family is complicit", "1", kAssumption});
    s.retrafficking_odds_ratio =
        o.number("retrafficking_odds_ratio", 2.0, kOddsRatio,
                 {"odds ratio for a woman trafficked before", "1", kAssumption});
    s.group_max_wait_days = o.number(
        "group_max_wait_days", 14.0, {0, 365},
        {"a group leaves when its order is filled or after this wait", "days", kAssumption});
  });
}

void read_transit(Reader& r, TransitSpec& s) {
  r.object("transit", {"moving recruits along routes", "", ""}, [&](Reader& o) {
    s.route_choice =
        o.text("route_choice", std::string("time"),
               {"weight of the shortest path: expected days or cost", "", ""}, {"time", "cost"});
    s.cost_minimising_share =
        o.number("cost_minimising_share", 0.2, kShare,
                 {"transporters who take the cheapest route whatever route_choice says", "1",
                  "case reports: a Burkina Faso-Mali variant of the main route"});
    s.transporter_arrest_given_interception = o.number(
        "transporter_arrest_given_interception", 0.5, kShare,
        {"chance the transporter is arrested when a group is intercepted", "1", kAssumption});
  });
}

void read_exploitation(Reader& r, ExploitationSpec& s) {
  r.object("exploitation", {"debt bondage at the sites", "", ""}, [&](Reader& o) {
    const std::string tip = "US TIP report 2024 and case reports: 1.5M-2.5M FCFA";
    s.debt_min_fcfa =
        o.integer("debt_min_fcfa", 1'500'000, kMoney, {"smallest debt imposed", "FCFA", tip});
    s.debt_max_fcfa =
        o.integer("debt_max_fcfa", 2'500'000, kMoney, {"largest debt imposed", "FCFA", tip});
    const std::string napt = "case reports (NAPTIP, Kharakhena 2024): 350k-600k FCFA";
    s.purchase_price_min_fcfa =
        o.integer("purchase_price_min_fcfa", 350'000, kMoney,
                  {"lowest price a madam pays the recruiter per recruit", "FCFA", napt});
    s.purchase_price_max_fcfa = o.integer("purchase_price_max_fcfa", 600'000, kMoney,
                                          {"highest price per recruit", "FCFA", napt});
    const std::string press = "press reports from Khossanto and Diabougou: 500-2,000 FCFA";
    s.price_per_client_min_fcfa = o.integer("price_per_client_min_fcfa", 500, kDailyMoney,
                                            {"lowest price per client", "FCFA", press});
    s.price_per_client_max_fcfa = o.integer("price_per_client_max_fcfa", 2'000, kDailyMoney,
                                            {"highest price per client", "FCFA", press});
    s.victim_share = o.number("victim_share", 0.1, kShare,
                              {"share of gross earnings the victim keeps", "1", kAssumption});
    s.living_cost_per_day_fcfa =
        o.integer("living_cost_per_day_fcfa", 1'500, kDailyMoney,
                  {"living costs the madam charges each day", "FCFA/day", kAssumption});
    s.monthly_interest =
        o.number("monthly_interest", 0.0, {0, 1},
                 {"interest added to the outstanding debt each 30 days", "1/month", kAssumption});
    s.escape_rate_per_year =
        o.number("escape_rate_per_year", 0.1, kNonNegative,
                 {"escape hazard of a controlled victim", "1/year", kAssumption});
    s.initial_fill = o.number("initial_fill", 0.8, kShare,
                              {"share of house places filled at the start", "1", kAssumption});
    if (o.schema_mode()) return;
    if (s.debt_max_fcfa < s.debt_min_fcfa)
      o.error("debt_max_fcfa", "must not be below debt_min_fcfa");
    if (s.purchase_price_max_fcfa < s.purchase_price_min_fcfa)
      o.error("purchase_price_max_fcfa", "must not be below purchase_price_min_fcfa");
    if (s.price_per_client_max_fcfa < s.price_per_client_min_fcfa)
      o.error("price_per_client_max_fcfa", "must not be below price_per_client_min_fcfa");
  });
}

void read_freed(Reader& r, FreedSpec& s) {
  r.object(
      "freed", {"what a woman does once her debt is repaid (shares sum to 1)", "", ""},
      [&](Reader& o) {
        const std::string src = kAssumption;
        s.stay = o.number("stay", 0.5, kShare, {"stays at her site in commercial sex", "1", src});
        s.move_site = o.number("move_site", 0.15, kShare, {"moves to another site", "1", src});
        s.leave_region = o.number("leave_region", 0.15, kShare,
                                  {"leaves for Saly/Mbour or another destination", "1", src});
        s.return_home = o.number("return_home", 0.17, kShare, {"returns to her origin", "1", src});
        s.become_madam = o.number("become_madam", 0.03, kShare,
                                  {"opens a house of her own", "1",
                                   "case reports: freed victims may become madams; share assumed"});
        const double total = s.stay + s.move_site + s.leave_region + s.return_home + s.become_madam;
        if (!o.schema_mode() && std::abs(total - 1.0) > 1e-6)
          o.error("stay",
                  "the shares stay, move_site, leave_region, return_home and become_madam "
                  "must sum to 1, they sum to " +
                      std::to_string(total));
      });
}

void read_protection(Reader& r, ProtectionSpec& s) {
  r.object("protection", {"status-quo shelters and repatriation", "", ""}, [&](Reader& o) {
    s.shelter_beds = o.integer("shelter_beds", 10, kNonNegative,
                               {"shelter beds in the region", "beds", kAssumption});
    s.care_days = o.number("care_days", 60.0, kPositive,
                           {"mean length of a shelter stay", "days", kAssumption});
    s.max_wait_days = o.number(
        "max_wait_days", 30.0, kNonNegative,
        {"identified women who wait longer for a bed go without care", "days", kAssumption});
    s.repatriation_interval_days =
        o.number("repatriation_interval_days", 180.0, {1, 3650},
                 {"days between repatriation batches for foreign victims", "days",
                  "Free the Slaves and press: batches of 19 (Nov 2022) and 26 (Jun 2023)"});
    s.repatriation_batch_max =
        o.integer("repatriation_batch_max", 30, kNonNegative,
                  {"largest repatriation batch", "persons", "batches of 19 and 26 reported"});
    s.testimony_probability =
        o.number("testimony_probability", 0.2, kShare,
                 {"chance an identified victim testifies without care", "1", kAssumption});
    s.care_testimony_odds_ratio =
        o.number("care_testimony_odds_ratio", 2.0, kOddsRatio,
                 {"odds ratio of testimony after shelter care", "1", kAssumption});
  });
}

void read_prosecution(Reader& r, ProsecutionSpec& s) {
  r.object("prosecution", {"arrest, trial and prison", "", ""}, [&](Reader& o) {
    s.madam_arrest_given_identification = o.number(
        "madam_arrest_given_identification", 0.3, kShare,
        {"chance the controlling madam is arrested when a victim is identified", "1", kAssumption});
    s.investigation_days =
        o.number("investigation_days", 90.0, kNonNegative,
                 {"mean time from arrest to a trial-ready case", "days", kAssumption});
    s.court_cases_per_year =
        o.number("court_cases_per_year", 20.0, kNonNegative,
                 {"trafficking cases the courts can hear each year", "cases/year", kAssumption});
    s.conviction_probability = o.number("conviction_probability", 0.3, kShare,
                                        {"conviction without victim testimony", "1", kAssumption});
    s.conviction_with_testimony =
        o.number("conviction_with_testimony", 0.6, kShare,
                 {"conviction when a victim testifies", "1", kAssumption});
    s.sentence_years =
        o.number("sentence_years", 5.0, kNonNegative,
                 {"mean prison term", "years", "Senegal law 2005-06: 5-10 years for trafficking"});
    s.reoffend_probability = o.number(
        "reoffend_probability", 0.5, kShare,
        {"chance a released or acquitted member returns to the organisation", "1", kAssumption});
  });
}

/// The whole reading function: run in normal mode it validates, in schema mode it describes.
void read_all(Reader& r, ScenarioSpec& spec) {
  spec.name = r.text("name", std::string("scenario"), {"scenario name shown in reports", "", ""});
  const bool clock_ok = read_simulation(r, spec.simulation);
  read_observation(r, spec.observation, spec.simulation, clock_ok);
  read_network(r, spec);
  read_population(r, spec.population);
  read_organisation(r, spec.organisation);
  read_demand(r, spec.demand, spec.simulation);
  read_recruitment(r, spec.recruitment);
  read_transit(r, spec.transit);
  read_exploitation(r, spec.exploitation);
  read_freed(r, spec.freed);
  read_protection(r, spec.protection);
  read_prosecution(r, spec.prosecution);
  read_interventions(r, spec);
  read_surveys(r, spec);
}

LoadedScenario load(const config::Document& doc, bool from_file) {
  LoadedScenario loaded;
  loaded.resolved_yaml = config::read(doc, [&](Reader& r) { read_all(r, loaded.spec); });
  loaded.original_text = doc.main_text();
  // A document loaded from a file lists that file first; the rest are what it extends.
  const auto& sources = doc.sources();
  for (std::size_t i = from_file ? 1 : 0; i < sources.size(); ++i) {
    loaded.extends_files.push_back(sources[i].path);
    loaded.extends_texts.push_back(sources[i].text);
  }
  return loaded;
}

}  // namespace

ScenarioSpec read_scenario(Reader& reader) {
  ScenarioSpec spec;
  read_all(reader, spec);
  return spec;
}

LoadedScenario load_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides) {
  return load(config::Document::load_file(file, overrides), true);
}

LoadedScenario load_scenario_text(std::string_view text, const std::string& name,
                                  const std::vector<std::string>& overrides) {
  return load(config::Document::load_string(text, name, ".", overrides), false);
}

std::vector<std::string> dates_between_steps(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  const auto& sim = spec.simulation;
  const auto check = [&](const std::vector<Date>& dates, const char* key) {
    for (const Date d : dates) {
      const std::int32_t offset = d.days - sim.start.days;
      const std::int32_t into = offset % sim.step_days;
      if (into == 0) continue;
      const Date before{d.days - into};
      const Date after{before.days + sim.step_days};
      out.push_back(std::string(key) + " " + d.iso() + " falls between steps (every " +
                    std::to_string(sim.step_days) + " days from " + sim.start.iso() +
                    ") and is not recorded; the nearest steps are " + before.iso() +
                    (after <= sim.end ? " and " + after.iso() : ""));
    }
  };
  check(spec.observation.dates, "observation.dates:");
  check(spec.observation.snapshot_dates, "observation.snapshot_dates:");
  return out;
}

std::string scenario_json_schema() {
  ScenarioSpec spec;
  return config::json_schema([&](Reader& r) { read_all(r, spec); }, "tipsim scenario");
}

std::string scenario_parameter_table() {
  ScenarioSpec spec;
  return config::markdown_parameters([&](Reader& r) { read_all(r, spec); });
}

}  // namespace tipsim::model
