#include "experiments/corridor_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>

#include "models/recording/recorder.hpp"
#include "models/recording/series.hpp"
#include "models/step/simulation.hpp"
#include "sim/error.hpp"
#include "sim/h5/h5.hpp"
#include "sim/json_reader.hpp"

namespace tipsim::experiments {
namespace {

constexpr std::string_view kVictimsRemoved = "victims_removed";
constexpr std::string_view kSpend = "spend_fcfa";

/// Summary keys that describe the run rather than measure it: in the manifest already.
bool is_description(const std::string& path) {
  return path == "seed" || path == "replicate" || path == "step_days";
}

bool depends_on_window(const std::string& path) {
  return path.starts_with("totals.") || path.starts_with("at_end.") ||
         path.starts_with("interventions.");
}

std::vector<double> read_series(const h5::Group& root, const std::string& name, std::size_t steps) {
  if (name == kVictimsRemoved) {
    std::vector<double> sum(steps, 0.0);
    for (const char* part :
         {"exit_identified", "exit_intercepted_in_transit", "exit_escaped_assisted"}) {
      const auto v = root.read<double>(std::string("timeseries/") + part);
      for (std::size_t t = 0; t < steps; ++t) sum[t] += v[t];
    }
    return sum;
  }
  if (name == kSpend) {
    std::vector<double> sum(steps, 0.0);
    std::vector<std::uint64_t> dims;
    const auto v = root.read<double>("interventions/spend_fcfa", &dims);
    const std::size_t n = dims.size() == 2 ? dims[1] : 0;
    for (std::size_t t = 0; t < steps && n > 0; ++t)
      for (std::size_t i = 0; i < n; ++i) sum[t] += v[t * n + i];
    return sum;
  }
  return root.read<double>("timeseries/" + name);
}

}  // namespace

const std::vector<std::string>& default_series() {
  static const std::vector<std::string> names{"trafficked_at_sites",
                                              "wecs_18_30",
                                              "trafficked_18_30",
                                              "in_transit",
                                              "recruited",
                                              "arrived_at_sites",
                                              "victims_removed",
                                              "shelter_occupancy",
                                              "arrests",
                                              "victim_days_exploited",
                                              "spend_fcfa"};
  return names;
}

std::vector<std::string> known_series() {
  std::vector<std::string> names(model::kTotalNames.begin(), model::kTotalNames.end());
  names.emplace_back(kVictimsRemoved);
  names.emplace_back(kSpend);
  return names;
}

InMemoryRun run_in_memory(const model::LoadedScenario& scenario, std::uint64_t seed,
                          std::uint32_t replicate, bool whole_file, int threads,
                          const std::string& command_line,
                          const std::vector<std::uint8_t>* start_state) {
  model::ScenarioSpec spec = scenario.spec;
  spec.simulation.seed = seed;
  spec.simulation.replicate = replicate;
  const auto t0 = std::chrono::steady_clock::now();
  model::Simulation sim(spec, seed);
  if (start_state) sim.restore_state(*start_state, "the shared history of " + spec.name);
  const auto t1 = std::chrono::steady_clock::now();
  sim.run();
  const auto t2 = std::chrono::steady_clock::now();
  model::RunInfo info{threads, std::chrono::duration<double>(t1 - t0).count(),
                      std::chrono::duration<double>(t2 - t1).count(), command_line};
  model::LoadedScenario as_run = scenario;
  as_run.spec = spec;

  // In-memory files are told apart by name while open: one per run in flight.
  static std::atomic<std::uint64_t> serial{0};
  std::string name = "run " + spec.name + " replicate " + std::to_string(replicate) + " seed " +
                     std::to_string(seed) + " #" + std::to_string(++serial);
  // A whole file is the one `tipsim run` would write, compressed; otherwise the file is
  // read back at once and dropped, and compressing it would cost more than the run's steps.
  InMemoryRun run{h5::File::create_in_memory(name, /*compressed=*/whole_file), name};
  auto root = run.file.root();
  // Without the whole file, only what the summary reads.
  model::write_run_contents(root, sim, as_run, info, /*with_ledger=*/whole_file);
  return run;
}

analysis::Summary run_and_summarize(const model::LoadedScenario& scenario, std::uint64_t seed,
                                    std::uint32_t replicate) {
  const InMemoryRun run = run_in_memory(scenario, seed, replicate, false, 1, "");
  return analysis::summarize(run.file.root(), run.name);
}

ensemble::RunRow run_and_reduce(const model::LoadedScenario& scenario, std::uint64_t seed,
                                std::uint32_t replicate, const ReduceOptions& options) {
  InMemoryRun run = run_in_memory(scenario, seed, replicate, options.keep_file.has_value(),
                                  options.threads, options.command_line, options.start_state);
  auto& file = run.file;
  const std::string& name = run.name;
  auto root = file.root();

  ensemble::RunRow row;
  const auto whole = analysis::summarize(root, name);
  for (auto& [path, value] : flatten_numbers(parse_json(analysis::summary_json(whole))))
    if (!is_description(path)) row.indicators.emplace_back(std::move(path), value);
  for (std::size_t w = 0; w < options.windows.size(); ++w) {
    const auto part = analysis::summarize(root, name, options.windows[w]);
    for (auto& [path, value] : flatten_numbers(parse_json(analysis::summary_json(part))))
      if (depends_on_window(path))
        row.indicators.emplace_back(path + "@" + options.window_labels[w], value);
  }
  row.days = root.read<std::int32_t>("timeseries/date");
  for (const auto& s : options.series) row.series.push_back(read_series(root, s, row.days.size()));

  if (options.keep_file) {
    const std::vector<char> image = file.image();
    h5::AtomicOutput out(*options.keep_file);
    {
      std::ofstream stream(out.temp_path(), std::ios::binary);
      stream.write(image.data(), static_cast<std::streamsize>(image.size()));
      stream.close();
      if (!stream) throw IoError(out.temp_path().string() + ": cannot write the run file");
    }
    out.commit();
  }
  return row;
}

}  // namespace tipsim::experiments
