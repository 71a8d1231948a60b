#include "sim/ensemble/ensemble_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "sim/error.hpp"
#include "sim/h5/h5.hpp"
#include "sim/stats/quantile.hpp"

namespace tipsim::ensemble {
namespace {

using h5::DatasetOptions;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kIndicatorBatch = 256;  // rows written at a time

DatasetOptions compressed(std::uint64_t chunk_rows) {
  return DatasetOptions{}.with_chunk_rows(std::max<std::uint64_t>(1, chunk_rows));
}

void write_provenance(h5::Group& root, const Experiment& e) {
  auto prov = root.create_group("provenance");
  prov.write_strings("scenario_text", e.scenario_texts,
                     DatasetOptions{}.with_description(
                         "each scenario resolved: defaults filled in, overrides applied"));
  prov.set_string_attribute("tipsim_version", e.version);
  prov.set_string_attribute("git_commit", e.git_commit);
  prov.set_string_attribute("build_type", e.build_type);
  prov.set_string_attribute("command_line", e.command_line);
}

void write_description(h5::Group& root, const Experiment& e) {
  root.set_string_attribute("file_kind", e.kind);
  root.set_int_attribute("ensemble_schema_version", kEnsembleSchemaVersion);
  root.set_int_attribute("seed", static_cast<std::int64_t>(e.seed));
  root.set_int_attribute("replicates", e.plan.replicates);
  root.set_int_attribute("runs_planned", static_cast<std::int64_t>(e.plan.runs()));
  if (e.slice) {
    const std::int64_t bounds[] = {static_cast<std::int64_t>(e.slice->first),
                                   static_cast<std::int64_t>(e.slice->last)};
    root.set_int_array_attribute("run_slice", bounds);
  }
  root.set_string_attribute("experiment", e.fingerprint());
  root.write_strings("scenarios", e.scenario_names);
  auto cells = root.create_group("cells");
  std::vector<std::string> names;
  std::vector<std::uint32_t> scenario;
  std::vector<std::int64_t> point;
  for (const Cell& c : e.cells) {
    names.push_back(c.name);
    scenario.push_back(c.scenario);
    point.push_back(c.point);
  }
  cells.write_strings("name", names);
  cells.write("scenario", scenario, {}, DatasetOptions{}.with_description("index into /scenarios"));
  cells.write("point", point, {}, DatasetOptions{}.with_description("design point, -1 for none"));
  root.write_strings("windows", e.windows);
  root.write_strings("series_names", e.series);
  if (e.design) {
    auto d = root.create_group("design");
    d.set_string_attribute("method", e.design->method);
    d.write_strings("path", e.design->paths);
    d.write_strings("scale", e.design->scales);
    d.write("values", e.design->values, {e.design->points(), e.design->paths.size()},
            DatasetOptions{}.with_description("points x parameters, in /design/path order"));
  }
  if (e.posterior) {
    auto d = root.create_group("posterior_draws");
    d.write_strings("path", e.posterior->paths);
    d.write("values", e.posterior->values, {e.posterior->points(), e.posterior->paths.size()},
            DatasetOptions{}.with_description(
                "replicates x parameters: replicate r runs with draw r, in path order"));
  }
}

void write_manifest(h5::Group& root, const Experiment& e, const std::vector<RunRow>& heads) {
  auto m = root.create_group("manifest");
  std::vector<std::uint64_t> run, seed;
  std::vector<std::uint32_t> cell, scenario, replicate;
  std::vector<std::int64_t> point;
  std::vector<std::uint8_t> status;
  std::vector<std::string> message;
  std::vector<double> wall;
  for (const RunRow& r : heads) {
    const std::uint32_t c = e.plan.cell_of(r.run);
    run.push_back(r.run);
    cell.push_back(c);
    scenario.push_back(e.cells[c].scenario);
    point.push_back(e.cells[c].point);
    replicate.push_back(e.plan.replicate_of(r.run));
    seed.push_back(e.seed);
    status.push_back(r.failed ? 1 : 0);
    message.push_back(r.message);
    wall.push_back(r.wall_seconds);
  }
  m.write("run", run);
  m.write("cell", cell, {}, DatasetOptions{}.with_description("index into /cells"));
  m.write("scenario", scenario, {}, DatasetOptions{}.with_description("index into /scenarios"));
  m.write("point", point, {}, DatasetOptions{}.with_description("design point, -1 for none"));
  m.write("replicate", replicate);
  m.write("seed", seed, {},
          DatasetOptions{}.with_description("root seed; the key is (seed, replicate)"));
  m.write("status", status, {}, DatasetOptions{}.with_description("0 done, 1 failed"));
  m.write_strings("message", message,
                  DatasetOptions{}.with_description("why a run failed; empty when done"));
  m.write("wall_seconds", wall, {}, DatasetOptions{}.with_unit("s"));
}

}  // namespace

void write_ensemble_file(const std::filesystem::path& out, const Experiment& e,
                         const Journal& journal, const std::vector<std::uint64_t>& runs_in) {
  std::vector<std::uint64_t> runs = runs_in;
  std::sort(runs.begin(), runs.end());
  // Pass 1: heads of the rows (no indicators or series kept), the union of indicator names.
  std::vector<RunRow> heads;
  std::set<std::string> names;
  std::vector<std::vector<std::uint64_t>> runs_of_cell(e.cells.size());
  for (const std::uint64_t run : runs) {
    RunRow row = journal.read(run);
    for (const auto& [name, value] : row.indicators) names.insert(name);
    runs_of_cell[e.plan.cell_of(run)].push_back(run);
    row.indicators.clear();
    row.series.clear();
    row.days.clear();
    heads.push_back(std::move(row));
  }
  const std::vector<std::string> columns(names.begin(), names.end());
  std::map<std::string, std::size_t> column_of;
  for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;

  h5::AtomicOutput output(out);
  {
    auto file = h5::File::create(output.temp_path());
    {  // Every group closed before the file: a failed close must not leave HDF5 objects open.
      auto root = file.root();
      write_description(root, e);
      write_provenance(root, e);
      write_manifest(root, e, heads);

      // Pass 2: the indicators, one row per run in manifest order, written in batches.
      auto ind = root.create_group("indicators");
      ind.write_strings("name", columns);
      if (!columns.empty()) {
        auto values = ind.create_series<double>(
            "value", columns.size(),
            compressed(
                std::min<std::uint64_t>(kIndicatorBatch, std::max<std::size_t>(1, runs.size())))
                .with_description(
                    "runs (manifest order) x indicators (/indicators/name); NaN: no value"));
        std::vector<double> batch;
        for (std::size_t i = 0; i < runs.size(); ++i) {
          const RunRow row = journal.read(runs[i]);
          std::vector<double> line(columns.size(), kNaN);
          for (const auto& [name, value] : row.indicators) line[column_of.at(name)] = value;
          batch.insert(batch.end(), line.begin(), line.end());
          if (batch.size() >= kIndicatorBatch * columns.size() || i + 1 == runs.size()) {
            values.append_rows(batch);
            batch.clear();
          }
        }
      }

      // Pass 3: per cell, the runs x steps matrices of each series and their daily bands.
      auto series_group = root.create_group("series");
      for (std::size_t c = 0; c < e.cells.size(); ++c) {
        auto g = series_group.create_group(e.cells[c].name);
        std::vector<std::int32_t> days;
        std::vector<std::vector<double>> matrix(e.series.size());
        std::vector<std::uint32_t> done_replicates;
        for (const std::uint64_t run : runs_of_cell[c]) {
          const RunRow row = journal.read(run);
          if (row.failed) continue;
          if (days.empty()) {
            days = row.days;
            for (auto& m : matrix) m.assign(e.plan.replicates * days.size(), kNaN);
          }
          if (row.days != days || row.series.size() != e.series.size())
            throw InvariantError("runs of cell " + e.cells[c].name + " recorded other dates");
          const std::size_t rep = e.plan.replicate_of(run);
          for (std::size_t s = 0; s < e.series.size(); ++s)
            std::copy(row.series[s].begin(), row.series[s].end(),
                      matrix[s].begin() + static_cast<std::ptrdiff_t>(rep * days.size()));
          done_replicates.push_back(static_cast<std::uint32_t>(rep));
        }
        const std::uint64_t steps = days.size();
        g.set_int_attribute("cell", static_cast<std::int64_t>(c));
        g.write("date", days, {}, DatasetOptions{}.with_unit("days since 1970-01-01"));
        auto bands = g.create_group("quantiles");
        bands.set_double_array_attribute("levels", kBandLevels);
        const std::uint64_t rows = e.plan.replicates;
        for (std::size_t s = 0; s < e.series.size(); ++s) {
          if (steps == 0) matrix[s].clear();
          g.write(
              "" + e.series[s], matrix[s], {steps == 0 ? 0 : rows, steps},
              compressed(std::min<std::uint64_t>(rows, 64))
                  .with_description("replicates x steps; NaN for a replicate not run or failed"));
          std::vector<double> band(std::size(kBandLevels) * steps, kNaN);
          std::vector<double> column;
          for (std::uint64_t t = 0; t < steps; ++t) {
            column.clear();
            for (const std::uint32_t rep : done_replicates)
              column.push_back(matrix[s][rep * steps + t]);
            const auto q = stats::quantiles(column, kBandLevels);
            for (std::size_t k = 0; k < q.size(); ++k) band[k * steps + t] = q[k];
          }
          bands.write(e.series[s], band, {std::size(kBandLevels), steps},
                      DatasetOptions{}.with_description(
                          "levels (attribute levels) x steps, over the replicates done"));
        }
      }
    }
    file.close();
  }
  output.commit();
}

bool is_ensemble_file(const std::filesystem::path& path) {
  const std::string kind = h5::file_kind(path);
  return kind == "ensemble" || kind == "sweep";
}

namespace {

/// The description of an ensemble file; IoError when it is not one or of another version.
EnsembleContents read_description(const std::filesystem::path& path, const h5::Group& root) {
  const std::int64_t version = root.int_attribute("ensemble_schema_version");
  if (version != kEnsembleSchemaVersion)
    throw IoError(path.string() + ": ensemble schema version " + std::to_string(version) +
                  ", this reader understands version " + std::to_string(kEnsembleSchemaVersion));
  EnsembleContents out;
  Experiment& e = out.experiment;
  e.kind = root.string_attribute("file_kind");
  e.seed = static_cast<std::uint64_t>(root.int_attribute("seed"));
  e.plan.replicates = static_cast<std::uint32_t>(root.int_attribute("replicates"));
  if (root.has_attribute("run_slice")) {
    const auto b = root.int_array_attribute("run_slice");
    if (b.size() == 2)
      e.slice = RunSlice{static_cast<std::uint64_t>(b[0]), static_cast<std::uint64_t>(b[1])};
  }
  out.fingerprint = root.string_attribute("experiment");
  e.scenario_names = root.read_strings("scenarios");
  e.scenario_texts = root.read_strings("provenance/scenario_text");
  const auto prov = root.open_group("provenance");
  e.version = prov.string_attribute("tipsim_version");
  e.git_commit = prov.string_attribute("git_commit");
  e.build_type = prov.string_attribute("build_type");
  e.command_line = prov.string_attribute("command_line");
  const auto cell_names = root.read_strings("cells/name");
  const auto cell_scenario = root.read<std::uint32_t>("cells/scenario");
  const auto cell_point = root.read<std::int64_t>("cells/point");
  if (cell_scenario.size() != cell_names.size() || cell_point.size() != cell_names.size())
    throw IoError(path.string() + ": /cells datasets differ in length");
  for (std::size_t c = 0; c < cell_names.size(); ++c) {
    if (cell_scenario[c] >= e.scenario_names.size())
      throw IoError(path.string() + ": /cells/scenario names a scenario that /scenarios lacks");
    e.cells.push_back(Cell{cell_names[c], cell_scenario[c], cell_point[c]});
  }
  e.plan.cells = static_cast<std::uint32_t>(e.cells.size());
  e.windows = root.read_strings("windows");
  e.series = root.read_strings("series_names");
  if (root.exists("design")) {
    DesignTable d;
    d.method = root.open_group("design").string_attribute("method");
    d.paths = root.read_strings("design/path");
    d.scales = root.read_strings("design/scale");
    d.values = root.read<double>("design/values");
    e.design = std::move(d);
  }
  if (root.exists("posterior_draws")) {
    DesignTable d;
    d.method = "posterior";
    d.paths = root.read_strings("posterior_draws/path");
    d.scales.assign(d.paths.size(), "linear");
    d.values = root.read<double>("posterior_draws/values");
    e.posterior = std::move(d);
  }
  out.runs = root.read<std::uint64_t>("manifest/run");
  for (const std::uint64_t run : out.runs)
    if (e.cells.empty() || run >= e.plan.runs())
      throw IoError(path.string() + ": /manifest/run holds run " + std::to_string(run) +
                    ", outside the experiment");
  return out;
}

}  // namespace

EnsembleContents read_ensemble_file(const std::filesystem::path& path) {
  if (!is_ensemble_file(path))
    throw IoError(path.string() + ": not a tipsim ensemble or sweep file");
  auto file = h5::File::open_read(path);
  return read_description(path, file.root());
}

void for_each_run(const std::filesystem::path& path, const std::function<void(RunRow&&)>& visit) {
  if (!is_ensemble_file(path))
    throw IoError(path.string() + ": not a tipsim ensemble or sweep file");
  auto file = h5::File::open_read(path);
  const auto root = file.root();
  const EnsembleContents contents = read_description(path, root);
  const Experiment& e = contents.experiment;
  const auto& run = contents.runs;
  const auto status = root.read<std::uint8_t>("manifest/status");
  const auto message = root.read_strings("manifest/message");
  const auto wall = root.read<double>("manifest/wall_seconds");
  const auto columns = root.read_strings("indicators/name");
  std::vector<double> values;
  if (!columns.empty() && !run.empty()) values = root.read<double>("indicators/value");
  if (values.size() != run.size() * columns.size() || status.size() != run.size() ||
      message.size() != run.size() || wall.size() != run.size())
    throw IoError(path.string() + ": the manifest and /indicators/value disagree in length");
  // One cell's series in memory at a time, as when the file was written.
  for (std::size_t c = 0; c < e.cells.size(); ++c) {
    const std::string g = "series/" + e.cells[c].name + "/";
    const auto days = root.read<std::int32_t>(g + "date");
    std::vector<std::vector<double>> matrices;
    for (const auto& s : e.series) matrices.push_back(root.read<double>(g + s));
    for (std::size_t i = 0; i < run.size(); ++i) {
      if (e.plan.cell_of(run[i]) != c) continue;
      RunRow row;
      row.run = run[i];
      row.failed = status[i] != 0;
      row.message = message[i];
      row.wall_seconds = wall[i];
      // Every column, NaN ones too: a name with no value in any run is still a column of
      // the experiment, and a merged or extended file must keep it.
      for (std::size_t k = 0; k < columns.size(); ++k)
        row.indicators.emplace_back(columns[k], values[i * columns.size() + k]);
      if (!row.failed) {
        row.days = days;
        const std::size_t steps = days.size();
        const std::size_t rep = e.plan.replicate_of(row.run);
        for (const auto& m : matrices) {
          if (m.size() < (rep + 1) * steps)
            throw IoError(path.string() + ": series of " + e.cells[c].name + " too short");
          row.series.emplace_back(m.begin() + static_cast<std::ptrdiff_t>(rep * steps),
                                  m.begin() + static_cast<std::ptrdiff_t>((rep + 1) * steps));
        }
      }
      visit(std::move(row));
    }
  }
}

}  // namespace tipsim::ensemble
