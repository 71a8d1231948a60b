#include "models/recording/recorder.hpp"

#include <algorithm>
#include <cstddef>

#include "models/recording/record_writer.hpp"
#include "sim/h5/h5.hpp"
#include "tipsim/build_info.hpp"

namespace tipsim::model {
namespace {

using h5::DatasetOptions;

void write_provenance(h5::Group& root, const Simulation& sim, const LoadedScenario& scenario) {
  root.set_int_attribute("schema_version", kOutputSchemaVersion);
  root.set_string_attribute("tipsim_version", build_info::version);
  root.set_string_attribute("scenario_name", sim.spec().name);
  root.set_string_attribute("start_date", sim.spec().simulation.start.iso());
  root.set_string_attribute("end_date", sim.spec().simulation.end.iso());
  root.set_int_attribute("step_days", sim.spec().simulation.step_days);
  root.set_int_attribute("seed", static_cast<std::int64_t>(sim.seed()));
  root.set_int_attribute("replicate", sim.spec().simulation.replicate);
  auto prov = root.create_group("provenance");
  const std::vector<std::string> texts{scenario.original_text};
  prov.write_strings("scenario_text", texts,
                     DatasetOptions{}.with_description("the scenario file exactly as given"));
  // The files it extends, so that the run can be remade from its file alone even when the
  // bases have changed or gone.
  std::vector<std::string> extends_files;
  for (const auto& f : scenario.extends_files) extends_files.push_back(f.generic_string());
  prov.write_strings(
      "extends_files", extends_files,
      DatasetOptions{}.with_description("the files the scenario extends, nearest first, as named"));
  prov.write_strings("extends_texts", scenario.extends_texts,
                     DatasetOptions{}.with_description("each of them exactly as read"));
  const std::vector<std::string> resolved{scenario.resolved_yaml};
  prov.write_strings(
      "resolved_scenario", resolved,
      DatasetOptions{}.with_description("every default filled in, overrides applied"));
  prov.set_string_attribute("git_commit", build_info::git_commit);
  prov.set_string_attribute("build_type", build_info::build_type);
}

void write_run_info(h5::Group& root, const RunInfo& info) {
  auto prov = root.create_group("provenance");
  prov.set_string_attribute("command_line", info.command_line);
  prov.set_int_attribute("threads", info.threads);
  prov.set_double_attribute("build_seconds", info.build_seconds);
  prov.set_double_attribute("run_seconds", info.run_seconds);
}

void write_places(h5::Group& root, const World& w) {
  auto g = root.create_group("places");
  std::vector<std::string> names, kinds, countries, departments;
  std::vector<std::int32_t> site_index;
  for (const Place& p : w.places) {
    names.push_back(p.name);
    kinds.push_back(to_string(p.kind));
    countries.push_back(w.countries[p.country]);
    departments.push_back(p.department >= 0 ? w.departments[static_cast<std::size_t>(p.department)]
                                            : "");
    site_index.push_back(p.site);
  }
  g.write_strings("name", names);
  g.write_strings("kind", kinds);
  g.write_strings("country", countries);
  g.write_strings("department", departments);
  g.write("site_index", site_index, {}, DatasetOptions{}.with_description("-1 if not a site"));
  std::vector<std::int32_t> site_place;
  for (const Site& s : w.sites) site_place.push_back(s.place);
  g.write("site_place", site_place, {},
          DatasetOptions{}.with_description("place index of each site"));
  root.write_strings("countries", w.countries);
  root.write_strings("departments", w.departments);
}

void write_observations(h5::Group& root, const RunRecord& r, const World& w) {
  auto g = root.create_group("observations");
  std::vector<std::int32_t> dates;
  std::vector<std::int64_t> wecs, trafficked, by_country, by_age;
  for (const auto& o : r.observations) {
    dates.push_back(o.date.days);
    wecs.insert(wecs.end(), o.wecs_18_30.begin(), o.wecs_18_30.end());
    trafficked.insert(trafficked.end(), o.trafficked_18_30.begin(), o.trafficked_18_30.end());
    by_country.insert(by_country.end(), o.victims_by_country.begin(), o.victims_by_country.end());
    by_age.insert(by_age.end(), o.victims_by_age.begin(), o.victims_by_age.end());
  }
  const std::uint64_t n = dates.size();
  g.write("date", dates, {}, DatasetOptions{}.with_unit("days since 1970-01-01"));
  g.write(
      "wecs_18_30", wecs, {n, w.departments.size()},
      DatasetOptions{}.with_unit("persons").with_description("per department (see /departments)"));
  g.write("trafficked_18_30", trafficked, {n, w.departments.size()},
          DatasetOptions{}.with_unit("persons").with_description("ground truth, per department"));
  g.write("victims_by_country", by_country, {n, w.countries.size()},
          DatasetOptions{}.with_unit("persons").with_description(
              "trafficked women at the sites, any age"));
  g.write("victims_by_age", by_age, {n, 4}, DatasetOptions{}.with_unit("persons"));
  const std::vector<std::string> bands{"<18", "18-24", "25-30", ">30"};
  g.write_strings("age_bands", bands);
}

/// The routes of the scenario in declaration order, with the women who travelled each over
/// the run (docs/OUTPUT.md /routes).
void write_routes(h5::Group& root, const Simulation& sim) {
  const World& w = sim.world();
  const auto& routes = sim.spec().routes;
  std::vector<std::int32_t> from(routes.size()), to(routes.size());
  // A route's first edge runs the way it was declared; a two-way route's second runs back.
  std::vector<bool> seen(routes.size(), false);
  for (const Edge& e : w.edges) {
    if (seen[e.route]) continue;
    seen[e.route] = true;
    from[e.route] = e.from;
    to[e.route] = e.to;
  }
  std::vector<double> days_mean;
  std::vector<std::int64_t> cost, moved, intercepted;
  for (std::size_t r = 0; r < routes.size(); ++r) {
    days_mean.push_back(routes[r].days_mean);
    cost.push_back(routes[r].cost_fcfa);
    moved.push_back(sim.route_flows()[r].women_moved);
    intercepted.push_back(sim.route_flows()[r].women_intercepted);
  }
  auto g = root.create_group("routes");
  g.write("from", from, {}, DatasetOptions{}.with_description("place index (/places)"));
  g.write("to", to, {}, DatasetOptions{}.with_description("place index (/places)"));
  g.write("days_mean", days_mean, {},
          DatasetOptions{}.with_unit("days").with_description("expected travel time"));
  g.write("cost_fcfa", cost, {},
          DatasetOptions{}.with_unit("FCFA").with_description("fare and lodging per person"));
  g.write("women_moved", moved, {},
          DatasetOptions{}.with_unit("persons").with_description(
              "women who completed a leg along the route over the run, either way"));
  g.write("women_intercepted", intercepted, {},
          DatasetOptions{}.with_unit("persons").with_description(
              "of women_moved, those intercepted at the end of that leg"));
}

void write_intervention_table(h5::Group& root, const ScenarioSpec& spec) {
  auto g = root.create_group("interventions");
  const auto& specs = spec.interventions;
  std::vector<std::string> names, types, starts, ends;
  std::vector<std::int64_t> fixed, per_unit, budget;
  for (const auto& s : specs) {
    names.push_back(s.name);
    types.push_back(std::string(kInterventionTypeNames[static_cast<std::size_t>(s.type)]));
    starts.push_back(s.start.iso());
    ends.push_back(s.end.iso());
    fixed.push_back(s.cost.fixed_per_year_fcfa);
    per_unit.push_back(s.cost.per_unit_fcfa);
    budget.push_back(s.cost.budget_per_year_fcfa);
  }
  g.write_strings("name", names);
  g.write_strings("type", types);
  g.write_strings("start_date", starts);
  g.write_strings("end_date", ends);
  const auto money = DatasetOptions{}.with_unit("FCFA");
  g.write("fixed_per_year_fcfa", fixed, {}, money);
  g.write("per_unit_fcfa", per_unit, {}, money);
  g.write("budget_per_year_fcfa", budget, {}, money.with_description("0: no cap"));
}

void write_survey_index(h5::Group& root, const Simulation& sim) {
  auto g = root.create_group("surveys");
  std::vector<std::string> names;
  for (const auto& s : sim.surveys()) names.push_back(s.spec().name);
  g.write_strings("names", names,
                  DatasetOptions{}.with_description("surveys in the order the scenario declares"));
  const std::vector<std::string> indicators(kIndicatorNames.begin(), kIndicatorNames.end());
  g.write_strings("indicator_names", indicators);
}

}  // namespace

SurveyOutput survey_output(const Simulation& sim, std::size_t index) {
  const SurveyFieldwork& survey = sim.surveys()[index];
  SurveyOutput out{survey.spec(), survey.result(), {}, sim.world().departments};
  // Person ids in the file are the persons' draw keys (Population::draw_key), which do
  // not depend on the order in which events reached the at-risk women.
  for (const Respondent& x : out.result.respondents)
    out.person_ids.push_back(sim.world().people.draw_key[x.person]);
  return out;
}

void write_survey(h5::Group& root, const SurveyOutput& survey) {
  auto g = root.create_group("surveys");
  {
    const SurveySpec& spec = survey.spec;
    const SurveyResult& r = survey.result;
    auto s = g.create_group(spec.name);
    const char* design = spec.design.type == DesignType::rds     ? "rds"
                         : spec.design.type == DesignType::venue ? "venue"
                                                                 : "random";
    s.set_string_attribute("design", design);
    s.set_string_attribute("start_date", spec.start.iso());
    s.set_string_attribute("end_date", spec.end.iso());
    s.set_int_attribute("population_size", r.population_size);
    s.set_double_attribute("truth", r.truth);
    s.set_int_attribute("complete", r.done ? 1 : 0);
    s.write("population_by_department", r.population_by_department, {},
            DatasetOptions{}.with_unit("persons").with_description(
                "eligible women on the first day of fieldwork, per department"));
    s.write("truth_by_department", r.truth_by_department, {},
            DatasetOptions{}.with_unit("1").with_description(
                "true share trafficked, mean over fieldwork days, per department"));
    const auto& rs = r.respondents;
    const std::size_t n = rs.size();
    if (n > 0) {  // a survey that reached nobody has no respondents group
      auto resp = s.create_group("respondents");
      const auto column = [&](const char* name, auto get, const char* unit, const char* what) {
        using T = decltype(get(rs.front()));
        std::vector<T> values;
        for (const auto& x : rs) values.push_back(get(x));
        resp.write(name, values, {}, DatasetOptions{}.with_unit(unit).with_description(what));
      };
      const auto& ids = survey.person_ids;
      column(
          "person",
          [&](const Respondent& x) { return ids[static_cast<std::size_t>(&x - rs.data())]; }, "",
          "person id");
      column(
          "day", [](const Respondent& x) { return x.day; }, "days since 1970-01-01",
          "interview day");
      column(
          "wave", [](const Respondent& x) { return x.wave; }, "", "0 for seeds");
      column(
          "recruiter", [](const Respondent& x) { return x.recruiter; }, "",
          "row of the respondent whose coupon she brought, -1 for none");
      column(
          "recruiter_person",
          [&](const Respondent& x) {
            return x.recruiter < 0
                       ? std::int64_t{-1}
                       : static_cast<std::int64_t>(ids[static_cast<std::size_t>(x.recruiter)]);
          },
          "", "person id of the respondent whose coupon she brought, -1 for none");
      column(
          "cluster", [](const Respondent& x) { return x.cluster; }, "",
          "venue visit, -1 for other designs");
      column(
          "site", [](const Respondent& x) { return static_cast<std::int32_t>(x.site); }, "",
          "site index");
      column(
          "department", [](const Respondent& x) { return x.department; }, "",
          "index into /departments");
      column(
          "age_years", [](const Respondent& x) { return x.age_years; }, "years", "");
      column(
          "nationality",
          [](const Respondent& x) { return static_cast<std::int32_t>(x.nationality); }, "",
          "index into /countries");
      column(
          "true_degree", [](const Respondent& x) { return x.true_degree; }, "persons",
          "women of the survey population she knows");
      column(
          "reported_degree", [](const Respondent& x) { return x.reported_degree; }, "persons",
          "the network size she reports");
      column(
          "classified_trafficked", [](const Respondent& x) { return x.classified; }, "",
          "1 if the instrument classifies her as trafficked");
      column(
          "trafficked", [](const Respondent& x) { return x.trafficked; }, "",
          "ground truth: 1 if controlled by a madam at the interview");
      std::vector<std::uint8_t> reported, truth;
      for (const auto& x : rs) {
        reported.insert(reported.end(), x.reported.begin(), x.reported.end());
        truth.insert(truth.end(), x.truth.begin(), x.truth.end());
      }
      resp.write("reported_indicators", reported, {n, kIndicatorCount},
                 DatasetOptions{}.with_description("columns: /surveys/indicator_names"));
      resp.write("true_indicators", truth, {n, kIndicatorCount},
                 DatasetOptions{}.with_description("columns: /surveys/indicator_names"));
    }
    std::vector<std::string> estimator, department;
    std::vector<double> value, lo, hi, deff;
    for (const auto& e : r.estimates) {
      estimator.push_back(e.estimator);
      department.push_back(
          e.department < 0 ? "" : survey.departments[static_cast<std::size_t>(e.department)]);
      value.push_back(e.value);
      lo.push_back(e.lo);
      hi.push_back(e.hi);
      deff.push_back(e.design_effect);
    }
    auto est = s.create_group("estimates");
    est.write_strings("estimator", estimator);
    est.write_strings("department", department,
                      DatasetOptions{}.with_description("empty for the whole survey population"));
    est.write("value", value, {}, DatasetOptions{}.with_unit("1"));
    est.write("ci_low", lo, {}, DatasetOptions{}.with_unit("1"));
    est.write("ci_high", hi, {}, DatasetOptions{}.with_unit("1"));
    est.write("design_effect", deff, {}, DatasetOptions{}.with_unit("1"));
  }
}

std::uint64_t series_chunk_rows(const Simulation& sim) {
  return std::min<std::uint64_t>(sim.total_steps(), kSeriesChunkRows);
}

void write_run_header(h5::Group& root, const Simulation& sim, const LoadedScenario& scenario) {
  write_provenance(root, sim, scenario);
  write_places(root, sim.world());
  write_intervention_table(root, sim.spec());
  write_survey_index(root, sim);
}

void write_end_of_run(h5::Group& root, const Simulation& sim, const RunInfo& info,
                      const std::vector<bool>& surveys_written) {
  for (std::size_t i = 0; i < sim.surveys().size(); ++i)
    if (i >= surveys_written.size() || !surveys_written[i])
      write_survey(root, survey_output(sim, i));
  write_observations(root, sim.record(), sim.world());
  write_routes(root, sim);
  write_run_info(root, info);
}

void write_run_contents(h5::Group& root, const Simulation& sim, const LoadedScenario& scenario,
                        const RunInfo& info, bool with_ledger) {
  write_run_header(root, sim, scenario);
  RecordWriter record(root, sim.world().sites.size(), sim.spec().interventions.size(),
                      sim.total_steps(), series_chunk_rows(sim), kLedgerChunkRows, with_ledger);
  record.append(sim.record());
  write_end_of_run(root, sim, info, {});
}

void write_run(const std::filesystem::path& out, const Simulation& sim,
               const LoadedScenario& scenario, const RunInfo& info) {
  h5::AtomicOutput output(out);
  {
    auto file = h5::File::create(output.temp_path());
    {  // Every group closed before the file: a failed close must not leave HDF5 objects open.
      auto root = file.root();
      write_run_contents(root, sim, scenario, info);
    }
    file.close();
  }
  output.commit();
}

}  // namespace tipsim::model
