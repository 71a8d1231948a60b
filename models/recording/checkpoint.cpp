#include "models/recording/checkpoint.hpp"

#include "sim/error.hpp"
#include "sim/h5/atomic_output.hpp"
#include "sim/h5/file.hpp"
#include "tipsim/build_info.hpp"

namespace tipsim::model {
namespace {

using h5::DatasetOptions;

/// FNV-1a over the state: a damaged state is named as such before anything reads it.
std::uint64_t fingerprint(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const std::uint8_t b : bytes) h = (h ^ b) * 1099511628211ULL;
  return h;
}

std::string one_string(const h5::Group& g, const char* name) {
  const auto values = g.read_strings(name);
  if (values.size() != 1)
    throw IoError(g.file_name() + ": /scenario/" + name + " holds " +
                  std::to_string(values.size()) + " texts, not one");
  return values.front();
}

}  // namespace

void write_checkpoint(const std::filesystem::path& out, const Simulation& sim,
                      const LoadedScenario& scenario, const std::string& scenario_file) {
  const auto state = sim.save_state();
  h5::AtomicOutput output(out);
  {
    auto file = h5::File::create(output.temp_path());
    auto root = file.root();
    root.set_string_attribute("file_kind", "checkpoint");
    root.set_int_attribute("checkpoint_version", kCheckpointVersion);
    root.set_string_attribute("tipsim_version", build_info::version);
    root.set_string_attribute("git_commit", build_info::git_commit);
    root.set_string_attribute("scenario_name", sim.spec().name);
    root.set_string_attribute("date", sim.today().iso());
    root.set_int_attribute("step", sim.steps_done());
    root.set_int_attribute("seed", static_cast<std::int64_t>(sim.seed()));
    root.set_int_attribute("replicate", sim.spec().simulation.replicate);
    auto g = root.create_group("scenario");
    g.set_string_attribute("file", scenario_file);
    g.write_strings("scenario_text", std::vector<std::string>{scenario.original_text});
    g.write_strings("resolved_scenario", std::vector<std::string>{scenario.resolved_yaml});
    std::vector<std::string> extends_files;
    for (const auto& f : scenario.extends_files) extends_files.push_back(f.generic_string());
    g.write_strings("extends_files", extends_files);
    g.write_strings("extends_texts", scenario.extends_texts);
    root.write("state", state, {},
               DatasetOptions{}
                   .with_chunk_rows(
                       std::min<std::uint64_t>(1 << 20, std::max<std::size_t>(1, state.size())))
                   .with_deflate_level(1)
                   .with_description("the run's state: tipsim's own layout, read by the "
                                     "version that wrote it"));
    root.open_object("state").set_int_attribute("fnv1a",
                                                static_cast<std::int64_t>(fingerprint(state)));
    file.close();
  }
  output.commit();
}

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  Checkpoint ck;
  ck.file = path.string();
  const std::string kind = h5::file_kind(path);
  if (kind != "checkpoint")
    throw IoError(ck.file + ": not a checkpoint file (" +
                  (kind.empty() ? std::string("no file_kind") : "a file of kind '" + kind + "'") +
                  "); write one with `tipsim run ... --checkpoint FILE --checkpoint-at DATE`");
  const auto file = h5::File::open_read(path);
  const auto root = file.root();
  const auto version = root.int_attribute("checkpoint_version");
  if (version != kCheckpointVersion ||
      root.string_attribute("git_commit") != build_info::git_commit)
    throw IoError(ck.file + ": a checkpoint of tipsim " + root.string_attribute("tipsim_version") +
                  " (" + root.string_attribute("git_commit") + "); this is tipsim " +
                  build_info::version + " (" + build_info::git_commit +
                  "), and a checkpoint is read by the build that wrote it");
  const auto date = Date::parse(root.string_attribute("date"));
  if (!date) throw IoError(ck.file + ": its date attribute is not a date");
  ck.date = *date;
  const auto step = root.int_attribute("step");
  const auto seed = root.int_attribute("seed");
  const auto replicate = root.int_attribute("replicate");
  if (step <= 0 || step > std::int64_t{0xFFFFFFFF} || seed < 0 || replicate < 0 ||
      replicate > std::int64_t{0xFFFFFFFF})
    throw IoError(ck.file + ": its step, seed or replicate is out of range");
  ck.step = static_cast<std::uint32_t>(step);
  ck.seed = static_cast<std::uint64_t>(seed);
  ck.replicate = static_cast<std::uint32_t>(replicate);
  const auto g = root.open_group("scenario");
  ck.scenario_file = g.string_attribute("file");
  const std::string resolved = one_string(g, "resolved_scenario");
  // The spec is read again from the resolved text, which holds every value the run used.
  ck.scenario = load_scenario_text(resolved, ck.file + ":/scenario/resolved_scenario");
  ck.scenario.original_text = one_string(g, "scenario_text");
  ck.scenario.resolved_yaml = resolved;
  ck.scenario.extends_texts = g.read_strings("extends_texts");
  ck.scenario.extends_files.clear();
  for (const auto& f : g.read_strings("extends_files")) ck.scenario.extends_files.emplace_back(f);
  if (ck.scenario.extends_files.size() != ck.scenario.extends_texts.size())
    throw IoError(ck.file + ": /scenario/extends_files and extends_texts differ in length");
  ck.state = root.read<std::uint8_t>("state");
  if (static_cast<std::uint64_t>(root.open_object("state").int_attribute("fnv1a")) !=
      fingerprint(ck.state))
    throw IoError(ck.file + ": the saved state is damaged (its checksum does not match)");
  return ck;
}

std::uint32_t checkpoint_step(const ScenarioSpec& spec, Date date, const std::string& option) {
  const auto& sim = spec.simulation;
  if (date <= sim.start || date > sim.end)
    throw ConfigError(option + ": " + date.iso() + " is not inside the run (after " +
                      sim.start.iso() + ", up to " + sim.end.iso() + ")");
  const std::int32_t offset = date - sim.start;
  if (offset % sim.step_days != 0) {
    const std::int32_t before = offset - offset % sim.step_days;
    throw ConfigError(option + ": " + date.iso() + " falls between steps of " +
                      std::to_string(sim.step_days) + " days; the nearest are " +
                      Date{sim.start.days + before}.iso() + " and " +
                      Date{sim.start.days + before + sim.step_days}.iso());
  }
  return static_cast<std::uint32_t>(offset / sim.step_days);
}

}  // namespace tipsim::model
