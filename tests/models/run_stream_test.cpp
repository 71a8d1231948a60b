// A run's file written as the run goes (RunStream) holds exactly what writing it at the end
// holds (write_run), whatever the chunk sizes; the run keeps at most a chunk of its record;
// a stream that does not finish leaves no file.
#include "models/recording/run_stream.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model_test_support.hpp"
#include "models/recording/recorder.hpp"
#include "sim/h5/file.hpp"

namespace tipsim::model {
namespace {

namespace fs = std::filesystem;

// A flow trigger checked over 40 days: it reads 40 rows of the record back, more than a
// stream's chunk below holds. A survey, a snapshot and an observation complete the file.
const std::string kExtra =
    "interventions:\n"
    "  - name: a\n    type: training\n    officers: 1\n"
    "    trigger: {indicator: recruited, above: 12, check_every_days: 40, duration_days: 10, "
    "repeat: true}\n"
    "surveys:\n"
    "  - name: s\n    start: 2021-03-01\n    end: 2021-05-31\n"
    "    design: {type: rds, sample_size: 60, seeds: 4}\n";

fs::path scratch_folder() {
  const fs::path dir =
      fs::temp_directory_path() /
      ("tipsim_run_stream_" +
       std::to_string(::testing::UnitTest::GetInstance()->current_test_info()->line()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// Every dataset under `group`, as numbers or strings, by path.
void collect(const h5::Group& group, const std::string& prefix,
             std::vector<std::pair<std::string, std::vector<double>>>& numbers,
             std::vector<std::pair<std::string, std::vector<std::string>>>& strings) {
  for (const auto& name : group.children()) {
    const std::string path = prefix + "/" + name;
    if (group.is_group(name)) {
      collect(group.open_group(name), path, numbers, strings);
    } else if (name == "ledger") {
      continue;  // records: compared one by one below
    } else {
      try {
        numbers.emplace_back(path, group.read<double>(name));
      } catch (const std::exception&) {
        strings.emplace_back(path, group.read_strings(name));
      }
    }
  }
}

RunRecord write_both(const LoadedScenario& scenario, const fs::path& whole,
                     const fs::path& streamed, StreamOptions options) {
  Simulation at_end(scenario.spec, scenario.spec.simulation.seed);
  at_end.run();
  write_run(whole, at_end, scenario, {1, 0, 0, "test"});
  Simulation going(scenario.spec, scenario.spec.simulation.seed);
  RunStream stream(streamed, going, scenario, options);
  bool more = true;
  while (more) {
    more = going.step();
    stream.after_step();
    const RunRecord& r = going.record();
    // What the run holds of its record between hand-overs.
    EXPECT_LE(r.days.size() - r.written_rows, options.chunk_steps);
    EXPECT_LE(r.written_rows, going.trigger_rows());
    EXPECT_TRUE(r.snapshots.empty());
  }
  stream.finish({1, 0, 0, "test"});
  return at_end.record();
}

void expect_same_files(const fs::path& a, const fs::path& b) {
  const auto fa = h5::File::open_read(a), fb = h5::File::open_read(b);
  std::vector<std::pair<std::string, std::vector<double>>> na, nb;
  std::vector<std::pair<std::string, std::vector<std::string>>> sa, sb;
  collect(fa.root(), "", na, sa);
  collect(fb.root(), "", nb, sb);
  ASSERT_EQ(na.size(), nb.size());
  for (std::size_t i = 0; i < na.size(); ++i) {
    EXPECT_EQ(na[i].first, nb[i].first);
    EXPECT_EQ(na[i].second, nb[i].second) << na[i].first;
  }
  EXPECT_EQ(sa, sb);
  // The ledger, record by record.
  const auto ea = fa.root().read_table<Event>("events/ledger", event_compound_type());
  const auto eb = fb.root().read_table<Event>("events/ledger", event_compound_type());
  ASSERT_EQ(ea.size(), eb.size());
  for (std::size_t i = 0; i < ea.size(); ++i) {
    ASSERT_EQ(ea[i].day, eb[i].day) << i;
    ASSERT_EQ(ea[i].type, eb[i].type) << i;
    ASSERT_EQ(ea[i].person, eb[i].person) << i;
    ASSERT_EQ(ea[i].place, eb[i].place) << i;
    ASSERT_EQ(ea[i].other, eb[i].other) << i;
    ASSERT_EQ(ea[i].value_fcfa, eb[i].value_fcfa) << i;
  }
  EXPECT_EQ(fa.root().int_attribute("seed"), fb.root().int_attribute("seed"));
  EXPECT_EQ(fa.root().open_group("provenance").string_attribute("command_line"),
            fb.root().open_group("provenance").string_attribute("command_line"));
}

TEST(RunStream, WritesWhatWritingAtTheEndWritesWhateverTheChunks) {
  const auto scenario = testing::load_small({}, kExtra);
  const fs::path dir = scratch_folder();
  for (const StreamOptions options : {StreamOptions{}, StreamOptions{7, 50}, StreamOptions{1, 1}}) {
    const auto record = write_both(scenario, dir / "whole.h5", dir / "streamed.h5", options);
    expect_same_files(dir / "whole.h5", dir / "streamed.h5");
    // The trigger reads more rows than a small chunk: it must have both fired and not.
    std::int64_t active_days = 0;
    for (std::size_t t = 0; t < record.days.size(); ++t)
      active_days += record.interventions[t * kInterventionSeriesCount +
                                          static_cast<std::size_t>(InterventionSeries::active)];
    EXPECT_GT(active_days, 0);
    EXPECT_LT(active_days, static_cast<std::int64_t>(record.days.size()) - 100);
  }
  fs::remove_all(dir);
}

TEST(RunStream, AStreamThatDoesNotFinishLeavesNoFile) {
  const auto scenario = testing::load_small({}, kExtra);
  const fs::path dir = scratch_folder();
  {
    Simulation sim(scenario.spec, 7);
    RunStream stream(dir / "run.h5", sim, scenario, {5, 100});
    for (int i = 0; i < 50; ++i) {
      sim.step();
      stream.after_step();
    }
  }  // as when the run throws
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(RunStream, AMissingFolderFailsBeforeTheRun) {
  const auto scenario = testing::load_small();
  Simulation sim(scenario.spec, 7);
  EXPECT_THROW(RunStream(fs::path("/nonexistent-folder/run.h5"), sim, scenario), IoError);
}

}  // namespace
}  // namespace tipsim::model
