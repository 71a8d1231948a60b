// Reading a run file into a Summary. Formatting lives in summary_format.cpp.
#include "analysis/summary.hpp"

#include <cstddef>
#include <string>
#include <utility>

#include "analysis/run_reader.hpp"
#include "analysis/survey_reading.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

using detail::RunReader;

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void read_header(const RunReader& run, Summary& s) {
  const h5::Group& root = run.root();
  run.require_schema_version();
  run.require_attribute("scenario_name");
  run.require_attribute("seed");
  s.scenario = root.string_attribute("scenario_name");
  // Written as the int64 bit pattern of the unsigned seed.
  s.seed = static_cast<std::uint64_t>(root.int_attribute("seed"));
  if (root.has_attribute("replicate")) s.replicate = root.int_attribute("replicate");
  if (root.has_attribute("step_days")) s.step_days = root.int_attribute("step_days");
  s.start = run.date_attribute("start_date");
  s.end = run.date_attribute("end_date");
  // Checked here, so that a broken file is not reported as a wrong window.
  if (s.end < s.start) {
    throw IoError(root.file_name() + ": end_date " + s.end.iso() + " is before start_date " +
                  s.start.iso());
  }
}

void resolve_window(const SummaryOptions& options, Summary& s) {
  const auto outside = [&](Date d) { return d < s.start || d > s.end; };
  const std::string run_span = s.start.iso() + " .. " + s.end.iso();
  if (options.from && options.to && *options.from > *options.to) {
    throw ConfigError("summary window: from " + options.from->iso() + " is after to " +
                      options.to->iso());
  }
  if (options.from && outside(*options.from)) {
    throw ConfigError("summary window: from " + options.from->iso() + " lies outside the run " +
                      run_span);
  }
  if (options.to && outside(*options.to)) {
    throw ConfigError("summary window: to " + options.to->iso() + " lies outside the run " +
                      run_span);
  }
  // start <= end (read_header), so a default bound cannot cross the other one.
  s.from = options.from.value_or(s.start);
  s.to = options.to.value_or(s.end);
}

void read_observations(const RunReader& run, Summary& s) {
  const std::vector<std::string> departments = run.read_strings("departments");
  const std::vector<std::string> countries = run.read_strings("countries");
  const std::vector<std::int32_t> dates = run.read_days("observations/date");
  const std::uint64_t n = dates.size();
  const auto wecs = run.read<std::int64_t>("observations/wecs_18_30", n, departments.size());
  const auto trafficked =
      run.read<std::int64_t>("observations/trafficked_18_30", n, departments.size());
  const auto by_country =
      run.read<std::int64_t>("observations/victims_by_country", n, countries.size());
  const auto by_age = run.read<std::int64_t>("observations/victims_by_age", n, kAgeBandKeys.size());

  // Column of each country in kNationalityKeys; the last key collects the rest.
  std::vector<std::size_t> nationality_slot(countries.size(), kNationalityKeys.size() - 1);
  for (std::size_t c = 0; c < countries.size(); ++c) {
    for (std::size_t k = 0; k + 1 < kNationalityKeys.size(); ++k)
      if (countries[c] == kNationalityKeys[k]) nationality_slot[c] = k;
  }

  s.observations.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ObservationSummary o;
    o.date = Date{dates[i]};
    for (std::size_t d = 0; d < departments.size(); ++d) {
      DepartmentCount count;
      count.name = departments[d];
      count.wecs_18_30 = wecs[i * departments.size() + d];
      count.trafficked_18_30 = trafficked[i * departments.size() + d];
      count.trafficked_share_true = share(count.trafficked_18_30, count.wecs_18_30);
      run.add(o.wecs_18_30, count.wecs_18_30, "observations/wecs_18_30");
      run.add(o.trafficked_18_30, count.trafficked_18_30, "observations/trafficked_18_30");
      o.by_department.push_back(std::move(count));
    }
    o.trafficked_share_true = share(o.trafficked_18_30, o.wecs_18_30);
    for (std::size_t c = 0; c < countries.size(); ++c) {
      const std::int64_t v = by_country[i * countries.size() + c];
      run.add(o.victims_by_nationality[nationality_slot[c]], v, "observations/victims_by_country");
      run.add(o.victims, v, "observations/victims_by_country");
    }
    std::int64_t aged = 0;
    for (std::size_t b = 0; b < kAgeBandKeys.size(); ++b) {
      o.victims_by_age[b] = by_age[i * kAgeBandKeys.size() + b];
      run.add(aged, o.victims_by_age[b], "observations/victims_by_age");
    }
    for (std::size_t k = 0; k < kNationalityKeys.size(); ++k)
      o.victim_nationality_share[k] = share(o.victims_by_nationality[k], o.victims);
    for (std::size_t b = 0; b < kAgeBandKeys.size(); ++b)
      o.victim_age_share[b] = share(o.victims_by_age[b], aged);
    s.observations.push_back(std::move(o));
  }
}

/// Sums each intervention's series over the window rows, and their spend into the totals.
void read_interventions(const RunReader& run, const std::vector<std::size_t>& rows,
                        std::uint64_t steps, Summary& s) {
  const std::vector<std::string> names = run.read_strings("interventions/name");
  const std::uint64_t n = names.size();
  const std::vector<std::string> types = run.read_strings("interventions/type", n);
  const auto window_sums = [&](std::string_view series) {
    const std::string path = "interventions/" + std::string(series);
    const auto values = run.read<std::int64_t>(path, steps, n);
    std::vector<std::int64_t> sums(n, 0);
    for (const std::size_t r : rows)
      for (std::size_t i = 0; i < n; ++i) run.add(sums[i], values[r * n + i], path);
    return sums;
  };
  const auto reached = window_sums("reached");
  const auto removed = window_sums("removed");
  const auto arrests = window_sums("arrests");
  const auto spend = window_sums("spend_fcfa");
  s.interventions.clear();
  s.interventions.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.interventions.push_back(
        InterventionTotals{names[i], types[i], reached[i], removed[i], arrests[i], spend[i]});
    run.add(s.totals.spend_fcfa, spend[i], "interventions/spend_fcfa");
  }
}

void read_series(const RunReader& run, Summary& s) {
  const std::vector<std::int32_t> dates = run.read_days("timeseries/date");
  const std::uint64_t steps = dates.size();
  std::vector<std::size_t> rows;
  std::optional<std::size_t> last;
  for (std::size_t r = 0; r < dates.size(); ++r) {
    if (dates[r] < s.from.days || dates[r] > s.to.days) continue;
    rows.push_back(r);
    if (!last || dates[r] >= dates[*last]) last = r;
  }
  if (!last) {
    throw ConfigError("summary window " + s.from.iso() + " .. " + s.to.iso() +
                      " holds no recorded step (steps are " + std::to_string(s.step_days) +
                      " days apart)");
  }

  const auto series = [&](std::string_view name) {
    return run.read<std::int64_t>("timeseries/" + std::string(name), steps);
  };
  const auto sum = [&](std::string_view name) {
    const auto values = series(name);
    std::int64_t total = 0;
    for (const std::size_t r : rows) run.add(total, values[r], "timeseries/" + std::string(name));
    return total;
  };
  WindowTotals& t = s.totals;
  t.steps = static_cast<std::int64_t>(rows.size());
  t.recruited = sum("recruited");
  t.re_trafficked = sum("re_trafficked");
  t.arrived_at_sites = sum("arrived_at_sites");
  t.voluntary_arrivals = sum("voluntary_arrivals");
  t.exits.repaid = sum("exit_repaid");
  t.exits.escaped = sum("exit_escaped");
  t.exits.escaped_assisted = sum("exit_escaped_assisted");
  t.exits.identified = sum("exit_identified");
  t.exits.intercepted_in_transit = sum("exit_intercepted_in_transit");
  t.exits.aged_out = sum("exit_aged_out");
  t.exits.died = sum("exit_died");
  t.sheltered = sum("sheltered");
  t.repatriated = sum("repatriated");
  t.reintegrated = sum("reintegrated");
  t.arrests = sum("arrests");
  t.convictions = sum("convictions");
  t.became_madam = sum("became_madam");
  t.replacements = sum("replacements");
  t.victim_days_exploited = sum("victim_days_exploited");
  t.debt_imposed_fcfa = sum("debt_imposed_fcfa");
  t.debt_paid_fcfa = sum("debt_paid_fcfa");

  // Bounded as totals are, so that differences between two runs cannot overflow.
  const auto stock = [&](std::string_view name) {
    std::int64_t value = 0;
    run.add(value, series(name)[*last], "timeseries/" + std::string(name));
    return value;
  };
  StocksAtEnd& e = s.at_end;
  e.date = Date{dates[*last]};
  e.wecs = stock("wecs");
  e.wecs_18_30 = stock("wecs_18_30");
  e.trafficked_at_sites = stock("trafficked_at_sites");
  e.in_transit = stock("in_transit");
  e.shelter_occupancy = stock("shelter_occupancy");
  e.debt_outstanding_fcfa = stock("debt_outstanding_fcfa");
  e.houses_open = stock("houses_open");

  read_interventions(run, rows, steps, s);
}

}  // namespace

RunSpan run_span(const std::filesystem::path& run_file) {
  const RunReader run(run_file);
  Summary s;
  read_header(run, s);
  return RunSpan{s.start, s.end};
}

Summary summarize(const std::filesystem::path& run_file, const SummaryOptions& options) {
  return summarize(RunReader(run_file), options);
}

Summary summarize(const h5::Group& run_root, const std::string& name,
                  const SummaryOptions& options) {
  return summarize(RunReader(run_root, name), options);
}

Summary summarize(const detail::RunReader& run, const SummaryOptions& options) {
  Summary s;
  read_header(run, s);
  // Structure before the window, so that a wrong file is reported as such.
  for (const std::string_view path :
       {"timeseries/date", "observations/date", "departments", "countries", "interventions/name"}) {
    run.require(path);
  }
  resolve_window(options, s);
  read_observations(run, s);
  read_series(run, s);
  s.surveys = detail::read_surveys(run);
  return s;
}

}  // namespace tipsim::analysis
