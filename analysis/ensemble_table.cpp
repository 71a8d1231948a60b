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
  // The description (version, cells, design, run ids) is read and checked by the same code
  // that extends and merges experiments.
  const ensemble::EnsembleContents contents = ensemble::read_ensemble_file(path);
  const ensemble::Experiment& e = contents.experiment;
  EnsembleTable t;
  t.file = path.string();
  t.kind = e.kind;
  t.seed = e.seed;
  t.replicates = e.plan.replicates;
  t.runs_planned = e.plan.runs();
  t.scenarios = e.scenario_names;
  t.scenario_texts = e.scenario_texts;
  t.cells = e.cells;
  t.design = e.design;
  t.windows = e.windows;
  t.run = contents.runs;
  for (const std::uint64_t run : t.run) {
    t.cell.push_back(e.plan.cell_of(run));
    t.replicate.push_back(e.plan.replicate_of(run));
  }
  auto file = h5::File::open_read(path);
  const auto root = file.root();
  t.status = root.read<std::uint8_t>("manifest/status");
  t.message = root.read_strings("manifest/message");
  const std::size_t n = t.run.size();
  if (t.status.size() != n || t.message.size() != n)
    throw IoError(t.file + ": /manifest datasets differ in length");
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
