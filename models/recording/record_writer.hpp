#pragma once
/// Writes what a run records day by day (docs/OUTPUT.md: /timeseries, the daily series of
/// /interventions, /events/ledger, /snapshots) into appendable datasets, one RunRecord at a
/// time: the whole run's at the end, or a stream's chunks as the run goes.
#include <cstdint>
#include <optional>
#include <vector>

#include "models/recording/series.hpp"
#include "models/step/simulation.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::model {

/// The ledger's record type (docs/OUTPUT.md /events/ledger).
[[nodiscard]] h5::CompoundType event_compound_type();

class RecordWriter {
 public:
  /// Creates the datasets under `root`, empty. `chunk_rows`: daily rows per stored chunk;
  /// `ledger_chunk_rows`: events per stored chunk. Without `with_ledger` the event ledger
  /// and the snapshots are left out. A run of `steps` steps will append that many rows.
  RecordWriter(h5::Group& root, std::size_t sites, std::size_t interventions, std::uint64_t steps,
               std::uint64_t chunk_rows, std::uint64_t ledger_chunk_rows, bool with_ledger);

  /// Appends the daily rows of `record` after its `written_rows`, its events and its
  /// snapshots.
  void append(const RunRecord& record);

 private:
  std::size_t sites_;
  std::size_t interventions_;
  std::optional<h5::Group> snapshots_;
  h5::Group timeseries_;
  h5::Group by_site_group_;
  h5::Group interventions_group_;
  h5::Series<std::int32_t> date_;
  std::vector<h5::Series<std::int64_t>> totals_;
  std::vector<h5::Series<std::int64_t>> by_site_;
  h5::Series<double> demand_;
  h5::Series<double> gold_luck_;
  std::vector<h5::Series<std::int64_t>> intervention_series_;
  std::optional<h5::Table<Event>> ledger_;
  std::vector<std::int64_t> scratch_;  // one dataset's rows, gathered from the record
};

}  // namespace tipsim::model
