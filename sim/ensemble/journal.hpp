#pragma once
/// The crash-safe record of an experiment in progress: an append-only file of finished runs,
/// each record checksummed and synced to disk before the next run is counted as done. A
/// record cut short by a crash is dropped when the journal is reopened, so a killed
/// experiment loses at most the runs that were in flight.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "sim/ensemble/run_row.hpp"

namespace tipsim::ensemble {

class Journal {
 public:
  /// Opens the journal at `path`, creating it when missing. `fingerprint` describes the
  /// experiment as lines "key: value"; an existing journal of another experiment is refused
  /// with an IoError naming the first line that differs. Records after the last whole one
  /// are cut off.
  /// `durable`: sync each record to disk before append() returns (off only for scratch
  /// journals whose loss costs nothing).
  Journal(std::filesystem::path path, std::string fingerprint, bool durable = true);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends a finished run and, unless `sync` is false, waits until it is on disk. A later
  /// record of the same run replaces an earlier one.
  void append(const RunRow& row, bool sync = true);
  /// Waits until every record appended so far is on disk (after appends without sync).
  void sync();
  /// Runs recorded, each with the offset of its latest record.
  [[nodiscard]] const std::map<std::uint64_t, std::uint64_t>& index() const noexcept {
    return index_;
  }
  [[nodiscard]] bool has(std::uint64_t run) const { return index_.contains(run); }
  /// Whether the latest record of `run` is of a failed run.
  [[nodiscard]] bool failed(std::uint64_t run) const { return failed_.contains(run); }
  /// Reads back the latest record of `run`.
  [[nodiscard]] RunRow read(std::uint64_t run) const;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// Deletes the file (once its contents are safely elsewhere) and closes it.
  void remove();
  /// Whether another process holds the journal at `path` open for writing.
  [[nodiscard]] static bool in_use(const std::filesystem::path& path);

  /// The experiment a journal file was opened for, read from its header without opening it
  /// for writing; empty when there is no such file or its header is unreadable.
  [[nodiscard]] static std::optional<std::string> fingerprint_of(const std::filesystem::path& path);

 private:
  void scan(const std::string& fingerprint);
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t end_ = 0;
  std::map<std::uint64_t, std::uint64_t> index_;
  std::set<std::uint64_t> failed_;
  bool durable_ = true;
};

}  // namespace tipsim::ensemble
