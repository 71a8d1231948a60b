// Reading ensemble files into an EnsembleComparison. Formatting lives in
// ensemble_compare_format.cpp.
#include "analysis/ensemble_compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "analysis/ensemble_table.hpp"
#include "analysis/scenario_difference.hpp"
#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kBootstrapReplicates = 2000;

/// One scenario (or point) of one file.
struct Side {
  const EnsembleTable* table;
  std::size_t cell;
  std::map<std::string, std::size_t> columns;  ///< name without window suffix -> column

  Side(const EnsembleTable& t, std::size_t c, const std::string& window) : table(&t), cell(c) {
    for (auto& [k, name] : window_columns(t, window)) columns.emplace(std::move(name), k);
  }
  [[nodiscard]] std::vector<double> values(const std::string& name) const {
    const auto it = columns.find(name);
    if (it == columns.end()) return std::vector<double>(table->replicates, kNaN);
    return table->by_replicate(cell, it->second);
  }
  [[nodiscard]] const std::string& name() const { return table->cells[cell].name; }
  [[nodiscard]] const std::string& scenario_text() const {
    return table->scenario_texts.at(table->cells[cell].scenario);
  }
  /// A design point's (path, value) pairs; empty outside a sweep.
  [[nodiscard]] std::vector<std::pair<std::string, double>> point_values() const {
    const std::int64_t point = table->cells[cell].point;
    if (!table->design || point < 0) return {};
    return table->design->point(static_cast<std::size_t>(point));
  }
};

double mean(const std::vector<double>& v) {
  return stats::spread(v).mean;
}

/// Both vectors cut to their common length, with NaN wherever the other has none: the
/// statistics of a paired comparison then rest on the same replicates on both sides.
void keep_common_replicates(std::vector<double>& a, std::vector<double>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  a.resize(n);
  b.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    if (std::isnan(a[r])) b[r] = kNaN;
    if (std::isnan(b[r])) a[r] = kNaN;
  }
}

/// The first day either side simulated.
Date first_day(const Side& a, const Side& b) {
  std::optional<Date> first;
  for (const Side* side : {&a, &b}) {
    auto file = h5::File::open_read(side->table->file);
    const auto days = file.root().read<std::int32_t>("series/" + side->name() + "/date");
    if (!days.empty()) first = first ? std::min(*first, Date{days.front()}) : Date{days.front()};
  }
  return first.value_or(Date{0});
}

/// Earliest day on which replicate r of both sides has different stored series.
std::optional<Date> series_divergence(const Side& a, const Side& b) {
  auto fa = h5::File::open_read(a.table->file);
  auto fb = h5::File::open_read(b.table->file);
  const auto ra = fa.root();
  const auto rb = fb.root();
  const std::string ga = "series/" + a.name() + "/", gb = "series/" + b.name() + "/";
  const auto da = ra.read<std::int32_t>(ga + "date");
  const auto db = rb.read<std::int32_t>(gb + "date");
  std::vector<std::pair<std::size_t, std::size_t>> common;  // (index in a, index in b)
  for (std::size_t i = 0, j = 0; i < da.size() && j < db.size();) {
    if (da[i] == db[j])
      common.emplace_back(i++, j++);
    else if (da[i] < db[j])
      ++i;
    else
      ++j;
  }
  const auto names_a = ra.read_strings("series_names");
  const auto names_b = rb.read_strings("series_names");
  std::size_t first = common.size();
  const std::uint32_t reps = std::min(a.table->replicates, b.table->replicates);
  for (const auto& name : names_a) {
    if (std::find(names_b.begin(), names_b.end(), name) == names_b.end()) continue;
    const auto ma = ra.read<double>(ga + name);
    const auto mb = rb.read<double>(gb + name);
    if (ma.size() < reps * da.size() || mb.size() < reps * db.size()) continue;
    for (std::uint32_t r = 0; r < reps; ++r) {
      for (std::size_t k = 0; k < first; ++k) {
        const double x = ma[r * da.size() + common[k].first];
        const double y = mb[r * db.size() + common[k].second];
        if (std::isnan(x) || std::isnan(y)) break;  // a replicate one side did not run
        if (x != y) {
          first = k;
          break;
        }
      }
    }
  }
  if (first == common.size()) return std::nullopt;
  return Date{da[common[first].first]};
}

ScenarioComparison compare_sides(const Side& base, const Side& other, bool same_file,
                                 std::uint64_t bootstrap_seed, std::uint32_t index) {
  ScenarioComparison s;
  s.name = other.name();
  s.file = other.table->file;
  s.same_key = same_file || base.table->seed == other.table->seed;
  s.first_scenario_difference =
      first_scenario_difference(base.scenario_text(), other.scenario_text());
  // Design points differ in their parameters from the first day (the resolved text of a
  // sweep is its scenario before the point's values are applied).
  if (base.point_values() != other.point_values())
    s.first_scenario_difference = first_day(base, other);
  if (s.same_key) s.first_divergence = series_divergence(base, other);
  // Replicates both sides ran: with none, there is nothing to pair.
  {
    auto b = base.values("totals.steps"), o = other.values("totals.steps");
    keep_common_replicates(b, o);
    s.common_replicates = static_cast<std::size_t>(
        std::count_if(b.begin(), b.end(), [](double x) { return !std::isnan(x); }));
  }
  s.paired = s.same_key && s.common_replicates > 0 &&
             (!s.first_divergence || !s.first_scenario_difference ||
              *s.first_divergence >= *s.first_scenario_difference);
  for (const auto& [name, column] : base.columns) {
    if (!other.columns.contains(name)) continue;
    IndicatorComparison ic;
    ic.name = name;
    auto b = base.values(name), o = other.values(name);
    if (s.paired) keep_common_replicates(b, o);
    ic.base = stats::spread(b);
    ic.other = stats::spread(o);
    if (s.paired)
      ic.paired = stats::paired_difference(b, o);
    else
      ic.unpaired = stats::unpaired_difference(b, o);
    s.indicators.push_back(std::move(ic));
  }
  std::sort(s.indicators.begin(), s.indicators.end(),
            [&](const IndicatorComparison& x, const IndicatorComparison& y) {
              return base.columns.at(x.name) < base.columns.at(y.name);
            });
  auto spend_b = base.values("totals.spend_fcfa"), spend_o = other.values("totals.spend_fcfa");
  auto rem_b = base.values("totals.victims_removed"),
       rem_o = other.values("totals.victims_removed");
  auto days_b = base.values("totals.victim_days_exploited"),
       days_o = other.values("totals.victim_days_exploited");
  if (s.paired) {
    keep_common_replicates(spend_b, spend_o);
    keep_common_replicates(rem_b, rem_o);
    keep_common_replicates(days_b, days_o);
  }
  const RandomKey key(bootstrap_seed, 0);
  Draws removed_draws(key, Stream::experiment, 0, 2 * index);
  Draws averted_draws(key, Stream::experiment, 0, 2 * index + 1);
  std::vector<double> averted_b(days_b.size()), averted_o(days_o.size());
  for (std::size_t r = 0; r < days_b.size(); ++r) averted_b[r] = -days_b[r];
  for (std::size_t r = 0; r < days_o.size(); ++r) averted_o[r] = -days_o[r];
  if (s.paired) {
    // Over the replicates both ran (the others stay NaN, which the ratio leaves out).
    std::vector<double> dspend(spend_b.size(), kNaN), drem(spend_b.size(), kNaN),
        daverted(spend_b.size(), kNaN);
    for (std::size_t r = 0; r < spend_b.size(); ++r) {
      dspend[r] = spend_o[r] - spend_b[r];
      drem[r] = rem_o[r] - rem_b[r];
      daverted[r] = days_b[r] - days_o[r];
    }
    s.cost_per_victim_removed =
        stats::ratio_of_means(dspend, drem, removed_draws, kBootstrapReplicates);
    s.cost_per_victim_day_averted =
        stats::ratio_of_means(dspend, daverted, averted_draws, kBootstrapReplicates);
  } else {
    s.cost_per_victim_removed = stats::ratio_of_mean_differences(
        spend_b, rem_b, spend_o, rem_o, removed_draws, kBootstrapReplicates);
    s.cost_per_victim_day_averted = stats::ratio_of_mean_differences(
        spend_b, averted_b, spend_o, averted_o, averted_draws, kBootstrapReplicates);
  }
  return s;
}

EnsembleComparison compare(const std::vector<Side>& sides, bool same_file) {
  EnsembleComparison c;
  const Side& base = sides.front();
  c.base_file = base.table->file;
  c.base = base.name();
  for (std::uint32_t i = 1; i < sides.size(); ++i)
    c.others.push_back(compare_sides(base, sides[i], same_file, base.table->seed, i));
  // Paired, the table's means rest on the replicates every scenario ran, so that their
  // differences are the paired ones; otherwise each scenario's own replicates.
  const bool all_paired = std::all_of(c.others.begin(), c.others.end(),
                                      [](const ScenarioComparison& x) { return x.paired; });
  std::vector<bool> common;
  if (all_paired) {
    std::size_t n = base.table->replicates;
    for (const Side& side : sides) n = std::min<std::size_t>(n, side.table->replicates);
    common.assign(n, true);
    for (const Side& side : sides)
      for (const char* key : {"totals.spend_fcfa", "totals.victims_removed",
                              "totals.victim_days_exploited", "totals.recruited"}) {
        const auto v = side.values(key);
        for (std::size_t r = 0; r < n; ++r)
          if (std::isnan(v[r])) common[r] = false;
      }
    c.cost_effectiveness_replicates =
        static_cast<std::size_t>(std::count(common.begin(), common.end(), true));
  }
  const auto table_mean = [&](const Side& side, const char* key) {
    auto v = side.values(key);
    if (all_paired) {
      v.resize(common.size());
      for (std::size_t r = 0; r < v.size(); ++r)
        if (!common[r]) v[r] = kNaN;
    }
    return mean(v);
  };
  std::vector<double> cost, removed, averted, prevented;
  const double base_days = table_mean(base, "totals.victim_days_exploited");
  const double base_recruited = table_mean(base, "totals.recruited");
  for (const Side& s : sides) {
    CostEffectivenessRow row;
    row.name = s.name();
    row.spend_fcfa = table_mean(s, "totals.spend_fcfa");
    row.victims_removed = table_mean(s, "totals.victims_removed");
    row.victim_days_exploited = table_mean(s, "totals.victim_days_exploited");
    row.victim_days_averted = base_days - row.victim_days_exploited;
    row.recruited = table_mean(s, "totals.recruited");
    row.recruitment_averted = base_recruited - row.recruited;
    cost.push_back(row.spend_fcfa);
    removed.push_back(row.victims_removed);
    averted.push_back(row.victim_days_averted);
    prevented.push_back(row.recruitment_averted);
    c.cost_effectiveness.push_back(std::move(row));
  }
  const auto by_removed = stats::classify_cost_effectiveness(cost, removed);
  const auto by_averted = stats::classify_cost_effectiveness(cost, averted);
  const auto by_prevented = stats::classify_cost_effectiveness(cost, prevented);
  for (std::size_t i = 0; i < sides.size(); ++i) {
    c.cost_effectiveness[i].by_victims_removed = by_removed[i];
    c.cost_effectiveness[i].by_victim_days_averted = by_averted[i];
    c.cost_effectiveness[i].by_recruitment_averted = by_prevented[i];
  }
  return c;
}

std::size_t cell_named(const EnsembleTable& t, const std::string& name) {
  if (const auto c = t.find_cell(name)) return *c;
  std::string known;
  for (const auto& cell : t.cells) known += (known.empty() ? "" : ", ") + cell.name;
  throw ConfigError("--base " + name + ": " + t.file + " has no scenario of that name (it has " +
                    known + ")");
}

}  // namespace

EnsembleComparison compare_ensemble(const std::filesystem::path& file, const std::string& base,
                                    const std::string& window) {
  const EnsembleTable t = read_ensemble_table(file);
  std::vector<Side> sides;
  const std::size_t b = cell_named(t, base);
  sides.emplace_back(t, b, window);
  for (std::size_t c = 0; c < t.cells.size(); ++c)
    if (c != b) sides.emplace_back(t, c, window);
  auto result = compare(sides, true);
  result.window = window;
  return result;
}

EnsembleComparison compare_ensembles(const std::filesystem::path& base_file,
                                     const std::filesystem::path& other_file,
                                     const std::string& base, const std::string& window) {
  const EnsembleTable tb = read_ensemble_table(base_file);
  const EnsembleTable to = read_ensemble_table(other_file);
  std::size_t b = 0;
  if (!base.empty()) {
    b = cell_named(tb, base);
  } else if (tb.cells.size() != 1) {
    throw ConfigError(base_file.string() + " holds " + std::to_string(tb.cells.size()) +
                      " scenarios: name the base with --base");
  }
  std::vector<Side> sides;
  sides.emplace_back(tb, b, window);
  for (std::size_t c = 0; c < to.cells.size(); ++c) sides.emplace_back(to, c, window);
  auto result = compare(sides, false);
  result.window = window;
  return result;
}

}  // namespace tipsim::analysis
