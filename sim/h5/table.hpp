#pragma once
/// Appendable 1-D dataset of compound records (the event ledger's storage).
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "sim/h5/appendable.hpp"

namespace tipsim::h5 {

/// A growing, chunked, compressed table of Record values; obtain one from
/// Group::create_table or Group::open_table. The table keeps its own copy of the compound
/// type. Rows are cached in HDF5's chunk cache and reach the file when the table, its file,
/// or File::flush/File::close does.
template <class Record>
class Table {
 public:
  /// Appends `records` at the end; an empty span does nothing.
  void append(std::span<const Record> records) {
    if (!records.empty()) core_.append_rows(records.data(), records.size());
  }
  /// Appends one record.
  void append(const Record& record) { core_.append_rows(&record, 1); }
  /// Number of records in the table.
  [[nodiscard]] std::uint64_t size() const noexcept { return core_.rows(); }
  /// Object path of the dataset inside its file.
  [[nodiscard]] const std::string& path() const noexcept { return core_.path(); }

 private:
  friend class Group;
  explicit Table(detail::AppendableDataset core) : core_(std::move(core)) {}
  detail::AppendableDataset core_;
};

}  // namespace tipsim::h5
