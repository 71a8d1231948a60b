#include "analysis/ensemble_table.hpp"

#include <algorithm>
#include <limits>

#include "sim/ensemble/ensemble_file.hpp"
#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::analysis {

std::optional<std::size_t> EnsembleTable::find_cell(const std::string& name) const {
  for (std::size_t c = 0; c < cells.size(); ++c)
    if (cells[c].name == name) return c;
  return std::nullopt;
}

std::optional<std::size_t> EnsembleTable::find_indicator(const std::string& name) const {
  const auto it = std::lower_bound(names.begin(), names.end(), name);
  if (it == names.end() || *it != name) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

std::vector<double> EnsembleTable::by_replicate(std::size_t c, std::size_t k) const {
  std::vector<double> out(replicates, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < run.size(); ++i)
    if (cell[i] == c && status[i] == 0 && replicate[i] < replicates)
      out[replicate[i]] = values[i * names.size() + k];
  return out;
}

std::size_t EnsembleTable::done(std::size_t c) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < run.size(); ++i) n += cell[i] == c && status[i] == 0;
  return n;
}

std::size_t EnsembleTable::failed(std::size_t c) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < run.size(); ++i) n += cell[i] == c && status[i] != 0;
  return n;
}

EnsembleTable read_ensemble_table(const std::filesystem::path& path) {
  if (!ensemble::is_ensemble_file(path))
    throw IoError(path.string() + ": not a tipsim ensemble or sweep file");
  EnsembleTable t;
  t.file = path.string();
  auto file = h5::File::open_read(path);
  const auto root = file.root();
  const std::int64_t version = root.int_attribute("ensemble_schema_version");
  if (version != ensemble::kEnsembleSchemaVersion)
    throw IoError(t.file + ": ensemble schema version " + std::to_string(version) +
                  ", this reader understands version " +
                  std::to_string(ensemble::kEnsembleSchemaVersion));
  t.kind = root.string_attribute("file_kind");
  t.seed = static_cast<std::uint64_t>(root.int_attribute("seed"));
  t.replicates = static_cast<std::uint32_t>(root.int_attribute("replicates"));
  t.runs_planned = static_cast<std::uint64_t>(root.int_attribute("runs_planned"));
  t.scenarios = root.read_strings("scenarios");
  t.scenario_texts = root.read_strings("provenance/scenario_text");
  const auto names = root.read_strings("cells/name");
  const auto scenario = root.read<std::uint32_t>("cells/scenario");
  const auto point = root.read<std::int64_t>("cells/point");
  if (scenario.size() != names.size() || point.size() != names.size())
    throw IoError(t.file + ": /cells datasets differ in length");
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (scenario[c] >= t.scenarios.size())
      throw IoError(t.file + ": /cells/scenario names a scenario that /scenarios lacks");
    t.cells.push_back(ensemble::Cell{names[c], scenario[c], point[c]});
  }
  t.windows = root.read_strings("windows");
  if (root.exists("design")) {
    ensemble::DesignTable d;
    d.method = root.open_group("design").string_attribute("method");
    d.paths = root.read_strings("design/path");
    d.scales = root.read_strings("design/scale");
    d.values = root.read<double>("design/values");
    t.design = std::move(d);
  }
  t.run = root.read<std::uint64_t>("manifest/run");
  t.cell = root.read<std::uint32_t>("manifest/cell");
  t.replicate = root.read<std::uint32_t>("manifest/replicate");
  t.status = root.read<std::uint8_t>("manifest/status");
  t.message = root.read_strings("manifest/message");
  const std::size_t n = t.run.size();
  if (t.cell.size() != n || t.replicate.size() != n || t.status.size() != n ||
      t.message.size() != n)
    throw IoError(t.file + ": /manifest datasets differ in length");
  for (std::size_t i = 0; i < n; ++i)
    if (t.cell[i] >= t.cells.size())
      throw IoError(t.file + ": /manifest/cell names a cell that /cells lacks");
  t.names = root.read_strings("indicators/name");
  if (!t.names.empty() && n > 0) t.values = root.read<double>("indicators/value");
  if (t.values.size() != n * t.names.size())
    throw IoError(t.file + ": /indicators/value is not runs x indicators");
  return t;
}

std::vector<std::pair<std::size_t, std::string>> window_columns(const EnsembleTable& t,
                                                                const std::string& window) {
  if (!window.empty() && std::find(t.windows.begin(), t.windows.end(), window) == t.windows.end()) {
    std::string declared;
    for (const auto& w : t.windows) declared += (declared.empty() ? "" : ", ") + w;
    throw ConfigError("the window " + window + " was not declared when " + t.file +
                      " was made (declared: " + (declared.empty() ? "none" : declared) +
                      "); rerun it with --window " + window);
  }
  const std::string suffix = "@" + window;
  std::vector<std::pair<std::size_t, std::string>> out;
  for (std::size_t k = 0; k < t.names.size(); ++k) {
    const std::string& name = t.names[k];
    const auto at = name.find('@');
    if (window.empty()) {
      if (at == std::string::npos) out.emplace_back(k, name);
      continue;
    }
    if (at != std::string::npos) {
      if (name.ends_with(suffix)) out.emplace_back(k, name.substr(0, at));
      continue;
    }
    if (!name.starts_with("totals.") && !name.starts_with("at_end.") &&
        !name.starts_with("interventions."))
      out.emplace_back(k, name);
  }
  return out;
}

}  // namespace tipsim::analysis
