#include "models/recording/run_stream.hpp"

#include <chrono>
#include <memory>

namespace tipsim::model {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

RunStream::RunStream(const std::filesystem::path& out, Simulation& sim,
                     const LoadedScenario& scenario, StreamOptions options)
    : sim_(sim), options_(options), output_(out), surveys_written_(sim.surveys().size(), false) {
  // The header reads only what the run never changes once built (its scenario, places and
  // declarations), so it is written while the run goes on.
  worker_.submit([this, &scenario] {
    file_.emplace(h5::File::create(output_.temp_path()));
    root_.emplace(file_->root());
    write_run_header(*root_, sim_, scenario);
    record_.emplace(*root_, sim_.world().sites.size(), sim_.spec().interventions.size(),
                    sim_.total_steps(), series_chunk_rows(sim_), kLedgerChunkRows, true);
  });
}

void RunStream::hand_over() {
  const auto t0 = Clock::now();
  // The writer works on the chunk while the run goes on: it owns it, and reads nothing else.
  auto chunk = std::make_shared<const RunRecord>(sim_.take_recorded(options_.chunk_steps));
  worker_.submit([this, chunk] { record_->append(*chunk); });
  seconds_waited_ += seconds_since(t0);
}

void RunStream::after_step() {
  const RunRecord& r = sim_.record();
  const bool held = sim_.steps_done() < options_.hold_until_step;
  if (!held && (sim_.steps_done() % options_.chunk_steps == 0 ||
                r.events.size() >= options_.chunk_events || !r.snapshots.empty()))
    hand_over();
  for (std::size_t i = 0; i < surveys_written_.size(); ++i) {
    if (surveys_written_[i] || !sim_.surveys()[i].result().done) continue;
    const auto t0 = Clock::now();
    auto survey = std::make_shared<const SurveyOutput>(survey_output(sim_, i));
    worker_.submit([this, survey] { write_survey(*root_, *survey); });
    surveys_written_[i] = true;
    seconds_waited_ += seconds_since(t0);
  }
}

void RunStream::finish(const RunInfo& info) {
  hand_over();
  const auto t0 = Clock::now();
  // The run has ended: the writer may read the simulation while this thread waits.
  worker_.submit([this, &info] {
    write_end_of_run(*root_, sim_, info, surveys_written_);
    // Every object closed before the file: a failed close must not leave any open.
    record_.reset();
    root_.reset();
    file_->close();
  });
  worker_.wait();
  file_.reset();
  output_.commit();
  seconds_waited_ += seconds_since(t0);
}

}  // namespace tipsim::model
