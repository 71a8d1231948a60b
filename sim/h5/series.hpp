#pragma once
/// Appendable numeric time series: one row per step, a fixed number of columns.
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "sim/error.hpp"
#include "sim/h5/appendable.hpp"

namespace tipsim::h5 {

/// A growing, chunked, compressed dataset of T with shape (rows, columns), or (rows,) when
/// created with one column; obtain one from Group::create_series. Read it back with
/// Group::read<T>.
template <Numeric T>
class Series {
 public:
  /// Appends one row; `row.size()` must equal `columns()`.
  void append_row(std::span<const T> row) {
    if (row.size() != core_.columns()) {
      throw IoError(core_.file_name() + ": " + core_.path() + ": row of " +
                    std::to_string(row.size()) + " values, expected " +
                    std::to_string(core_.columns()));
    }
    core_.append_rows(row.data(), 1);
  }
  /// Appends `rows.size() / columns()` whole rows at once (row-major).
  void append_rows(std::span<const T> rows) {
    if (rows.size() % core_.columns() != 0) {
      throw IoError(core_.file_name() + ": " + core_.path() + ": " + std::to_string(rows.size()) +
                    " values is not a whole number of rows of " + std::to_string(core_.columns()));
    }
    if (!rows.empty()) core_.append_rows(rows.data(), rows.size() / core_.columns());
  }
  /// Appends one value to a one-column series.
  void append(T value) { append_row(std::span<const T>(&value, 1)); }

  /// Rows (steps) written so far.
  [[nodiscard]] std::uint64_t rows() const noexcept { return core_.rows(); }
  /// Values per row; fixed at creation.
  [[nodiscard]] std::uint64_t columns() const noexcept { return core_.columns(); }
  /// Object path of the dataset inside its file.
  [[nodiscard]] const std::string& path() const noexcept { return core_.path(); }

 private:
  friend class Group;
  explicit Series(detail::AppendableDataset core) : core_(std::move(core)) {}
  detail::AppendableDataset core_;
};

}  // namespace tipsim::h5
