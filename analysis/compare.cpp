// Reading two run files into a Comparison. Formatting lives in compare_format.cpp.
#include "analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/run_reader.hpp"
#include "analysis/scenario_difference.hpp"
#include "sim/error.hpp"

namespace tipsim::analysis {
namespace {

using detail::RunReader;

/// The window both summaries use: the given bounds, else the days both runs simulated.
SummaryOptions common_window(const std::filesystem::path& base, const std::filesystem::path& other,
                             const SummaryOptions& options) {
  const RunSpan b = run_span(base);
  const RunSpan o = run_span(other);
  const Date first = std::max(b.start, o.start);
  const Date last = std::min(b.end, o.end);
  if (first > last && (!options.from || !options.to)) {
    throw ConfigError("the runs share no day: " + base.string() + " covers " + b.start.iso() +
                      " .. " + b.end.iso() + ", " + other.string() + " covers " + o.start.iso() +
                      " .. " + o.end.iso());
  }
  return SummaryOptions{options.from.value_or(first), options.to.value_or(last)};
}

/// summarize(), with the file named in a window error (each file checks the window
/// against its own span).
Summary summarize_named(const std::filesystem::path& path, const SummaryOptions& window) {
  try {
    return summarize(path, window);
  } catch (const ConfigError& e) {
    throw ConfigError(path.string() + ": " + e.what());
  }
}

/// The observation dates both files have, with their departments aligned by name.
void pair_observations(Comparison& c) {
  for (const ObservationSummary& b : c.base.observations) {
    const auto o = std::find_if(c.other.observations.begin(), c.other.observations.end(),
                                [&](const ObservationSummary& x) { return x.date == b.date; });
    if (o == c.other.observations.end()) {
      c.observation_dates_only_in_base.push_back(b.date);
      continue;
    }
    ObservationPair pair{b, *o};
    pair.base.by_department.clear();
    pair.other.by_department.clear();
    for (const DepartmentCount& d : b.by_department) {
      const auto match = std::find_if(o->by_department.begin(), o->by_department.end(),
                                      [&](const DepartmentCount& x) { return x.name == d.name; });
      if (match == o->by_department.end()) continue;
      pair.base.by_department.push_back(d);
      pair.other.by_department.push_back(*match);
    }
    c.observations.push_back(std::move(pair));
  }
  for (const ObservationSummary& o : c.other.observations) {
    const bool in_base = std::any_of(c.base.observations.begin(), c.base.observations.end(),
                                     [&](const ObservationSummary& x) { return x.date == o.date; });
    if (!in_base) c.observation_dates_only_in_other.push_back(o.date);
  }
}

void pair_interventions(Comparison& c) {
  const auto find = [](const std::vector<InterventionTotals>& list, const std::string& name) {
    return std::find_if(list.begin(), list.end(),
                        [&](const InterventionTotals& i) { return i.name == name; });
  };
  for (const InterventionTotals& b : c.base.interventions) {
    InterventionPair pair{b.name, b.type, b, std::nullopt};
    const auto o = find(c.other.interventions, b.name);
    if (o != c.other.interventions.end()) {
      pair.type = o->type;
      pair.other = *o;
    }
    c.interventions.push_back(std::move(pair));
  }
  for (const InterventionTotals& o : c.other.interventions) {
    if (find(c.base.interventions, o.name) == c.base.interventions.end())
      c.interventions.push_back(InterventionPair{o.name, o.type, std::nullopt, o});
  }
}

// ---- first divergence ------------------------------------------------------------------

/// Rows of the step dates both files recorded, in date order.
struct CommonRows {
  std::vector<Date> dates;
  std::vector<std::size_t> base;
  std::vector<std::size_t> other;
};

CommonRows common_rows(const std::vector<std::int32_t>& base,
                       const std::vector<std::int32_t>& other) {
  const auto sorted_rows = [](const std::vector<std::int32_t>& days) {
    std::vector<std::size_t> rows(days.size());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
    std::stable_sort(rows.begin(), rows.end(),
                     [&](std::size_t a, std::size_t b) { return days[a] < days[b]; });
    return rows;
  };
  const auto b = sorted_rows(base);
  const auto o = sorted_rows(other);
  CommonRows common;
  std::size_t i = 0, k = 0;
  while (i < b.size() && k < o.size()) {
    if (base[b[i]] < other[o[k]]) {
      ++i;
    } else if (other[o[k]] < base[b[i]]) {
      ++k;
    } else {
      common.dates.push_back(Date{base[b[i]]});
      common.base.push_back(b[i++]);
      common.other.push_back(o[k++]);
    }
  }
  return common;
}

bool holds_floats(const h5::Group& root, const std::string& path) {
  const h5::Object object = root.open_object(path);
  const h5::Handle type(H5Dget_type(object.id()));
  return type.valid() && H5Tget_class(type.get()) == H5T_FLOAT;
}

bool same(std::int64_t a, std::int64_t b) {
  return a == b;
}
// A value missing in both (NaN) is no difference.
bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

/// Index into `common` of the first row where the two datasets differ; `limit` when none
/// does before it.
template <typename T>
std::size_t first_differing_row(const RunReader& base, const RunReader& other,
                                const std::string& path, const CommonRows& common,
                                std::uint64_t base_steps, std::uint64_t other_steps,
                                std::optional<std::uint64_t> columns, std::size_t limit) {
  const std::vector<T> b = base.read<T>(path, base_steps, columns);
  const std::vector<T> o = other.read<T>(path, other_steps, columns);
  const std::size_t width = columns.value_or(1);
  for (std::size_t k = 0; k < limit; ++k) {
    const std::size_t rb = common.base[k] * width;
    const std::size_t ro = common.other[k] * width;
    for (std::size_t c = 0; c < width; ++c)
      if (!same(b[rb + c], o[ro + c])) return k;
  }
  return limit;
}

/// Datasets directly under `group` in either file (subgroups left out), in name order.
std::set<std::string> dataset_names(const RunReader& base, const RunReader& other,
                                    const std::string& group) {
  std::set<std::string> names;
  for (const RunReader* run : {&base, &other}) {
    if (!run->root().exists(group)) continue;
    for (const std::string& name : run->root().open_group(group).children())
      if (!run->root().is_group(group + "/" + name)) names.insert(name);
  }
  return names;
}

/// The resolved scenario of a run file; empty for a file written without one (by another
/// tool), whose pairing then rests on the random key alone.
std::optional<std::string> resolved_scenario(const std::filesystem::path& path) {
  const RunReader run(path);
  if (!run.root().exists("provenance/resolved_scenario")) return std::nullopt;
  return run.read_strings("provenance/resolved_scenario", 1).front();
}

}  // namespace

std::optional<Date> first_divergence(const std::filesystem::path& base_path,
                                     const std::filesystem::path& other_path) {
  const RunReader base(base_path);
  const RunReader other(other_path);
  base.require_schema_version();
  other.require_schema_version();
  const auto base_days = base.read_days("timeseries/date");
  const auto other_days = other.read_days("timeseries/date");
  const CommonRows common = common_rows(base_days, other_days);

  // Only rows before the earliest divergence found so far need checking.
  std::size_t first = common.dates.size();
  for (const std::string group : {"timeseries", "timeseries/by_site"}) {
    for (const std::string& name : dataset_names(base, other, group)) {
      if (first == 0) break;
      if (name == "date" && group == "timeseries") continue;
      const std::string path = group + "/" + name;
      if (!base.root().exists(path) || !other.root().exists(path) || base.root().is_group(path) ||
          other.root().is_group(path)) {
        first = 0;
        break;
      }
      const auto base_dims = base.root().dims(path);
      const auto other_dims = other.root().dims(path);
      // Files with different sites cannot be matched column by column.
      if (base_dims.size() != other_dims.size() ||
          (base_dims.size() == 2 && base_dims[1] != other_dims[1])) {
        first = 0;
        break;
      }
      const std::optional<std::uint64_t> columns =
          base_dims.size() == 2 ? std::optional<std::uint64_t>(base_dims[1]) : std::nullopt;
      // Read as double when either holds floats, as int64 otherwise: both exact.
      first = holds_floats(base.root(), path) || holds_floats(other.root(), path)
                  ? first_differing_row<double>(base, other, path, common, base_days.size(),
                                                other_days.size(), columns, first)
                  : first_differing_row<std::int64_t>(base, other, path, common, base_days.size(),
                                                      other_days.size(), columns, first);
    }
  }
  if (first == common.dates.size()) return std::nullopt;
  return common.dates[first];
}

std::optional<double> cost_per_victim_removed(const WindowTotals& base, const WindowTotals& other) {
  const std::int64_t removed = other.victims_removed() - base.victims_removed();
  if (removed <= 0) return std::nullopt;
  return static_cast<double>(other.spend_fcfa - base.spend_fcfa) / static_cast<double>(removed);
}

std::optional<double> cost_per_victim_day_averted(const WindowTotals& base,
                                                  const WindowTotals& other) {
  const std::int64_t averted = base.victim_days_exploited - other.victim_days_exploited;
  if (averted <= 0) return std::nullopt;
  return static_cast<double>(other.spend_fcfa - base.spend_fcfa) / static_cast<double>(averted);
}

Comparison compare_runs(const std::filesystem::path& base, const std::filesystem::path& other,
                        const SummaryOptions& options) {
  const SummaryOptions window = common_window(base, other, options);
  Comparison c;
  c.base_file = base.string();
  c.other_file = other.string();
  c.base = summarize_named(base, window);
  c.other = summarize_named(other, window);
  c.same_key = c.base.seed == c.other.seed && c.base.replicate == c.other.replicate;
  c.first_divergence = first_divergence(base, other);
  const auto base_text = resolved_scenario(base);
  const auto other_text = resolved_scenario(other);
  if (base_text && other_text) {
    try {
      c.first_scenario_difference = first_scenario_difference(*base_text, *other_text);
    } catch (const ConfigError& e) {
      // The texts were written by tipsim: one that is not a scenario is a damaged file.
      std::string what = e.what();
      const bool base_broken = [&] {
        try {
          static_cast<void>(first_scenario_difference(*base_text, *base_text));
          return false;
        } catch (const ConfigError& own) {
          what = own.what();
          return true;
        }
      }();
      throw IoError((base_broken ? base : other).string() +
                    ": /provenance/resolved_scenario: " + what + ": a damaged file");
    }
  }
  c.paired = c.same_key && (!c.first_divergence || !c.first_scenario_difference ||
                            *c.first_divergence >= *c.first_scenario_difference);
  c.cost_per_victim_removed = cost_per_victim_removed(c.base.totals, c.other.totals);
  c.cost_per_victim_day_averted = cost_per_victim_day_averted(c.base.totals, c.other.totals);
  pair_observations(c);
  pair_interventions(c);
  return c;
}

}  // namespace tipsim::analysis
