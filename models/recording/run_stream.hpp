#pragma once
/// Writes a run's file while the run goes on: the header first, then the daily series, the
/// event ledger, the snapshots and each survey as the run produces them, in chunks written
/// by one background thread; what is left when the run ends (the last chunk, observations,
/// timings) is written then. The file holds what write_run would write, and appears only
/// when complete.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "models/recording/record_writer.hpp"
#include "models/recording/recorder.hpp"
#include "sim/h5/atomic_output.hpp"
#include "sim/h5/file.hpp"
#include "sim/serial_worker.hpp"

namespace tipsim::model {

struct StreamOptions {
  /// Daily rows are handed to the writer every this many steps: a multiple of the stored
  /// chunk (kSeriesChunkRows), so that each full chunk is compressed once, as the run goes.
  std::uint32_t chunk_steps = static_cast<std::uint32_t>(kSeriesChunkRows);
  /// Events that make the writer take what was recorded before chunk_steps is reached.
  std::uint32_t chunk_events = 8192;
  /// Nothing is handed over before this many steps are done: a run that saves a checkpoint
  /// then keeps all it recorded until the checkpoint, which holds it (models/recording/
  /// checkpoint.hpp).
  std::uint32_t hold_until_step = 0;
};

class RunStream {
 public:
  /// Creates the file's temporary next to `out` and writes its header (in the background).
  /// The run must not have taken a step yet; `sim` and `scenario` must outlive the stream.
  /// Throws IoError when `out`'s folder is missing.
  RunStream(const std::filesystem::path& out, Simulation& sim, const LoadedScenario& scenario,
            StreamOptions options = {});
  /// Without finish(), the temporary is deleted: no partial file is left.
  ~RunStream() = default;
  RunStream(const RunStream&) = delete;
  RunStream& operator=(const RunStream&) = delete;

  /// Call after every step: hands what the run recorded to the writer when a chunk is due,
  /// and each survey once its fieldwork ended. Rethrows the writer's IoError if it failed
  /// (a full disk), so that the run can stop.
  void after_step();
  /// Writes the rest, closes the file and renames it onto `out`.
  void finish(const RunInfo& info);
  /// Seconds the run's thread spent handing over chunks and waiting for the writer.
  [[nodiscard]] double seconds_waited() const { return seconds_waited_; }
  /// Seconds the writer's thread spent writing (on a core the run does not use, if free).
  [[nodiscard]] double seconds_writing() { return worker_.busy_seconds(); }

 private:
  void hand_over();

  Simulation& sim_;
  StreamOptions options_;
  h5::AtomicOutput output_;
  std::vector<bool> surveys_written_;
  double seconds_waited_ = 0;
  // Used on the writer's thread only, once created there.
  std::optional<h5::File> file_;
  std::optional<h5::Group> root_;
  std::optional<RecordWriter> record_;
  // Last: destroyed first, so no job runs while the members above go.
  SerialWorker worker_;
};

}  // namespace tipsim::model
