#pragma once
/// Shared core of Table and Series: a chunked dataset whose first dimension is unlimited
/// and grows by whole rows.
#include <cstdint>
#include <string>

#include "sim/h5/handle.hpp"

namespace tipsim::h5::detail {

/// An open extendable dataset of rank 1 (`columns` == 1 and not two-dimensional) or rank 2
/// (rows x `columns`). Invariant: `rows()` equals the dataset's current first dimension.
class AppendableDataset {
 public:
  /// `mem_type` is the element type of the caller's buffers.
  AppendableDataset(Handle dataset, Handle mem_type, std::string file, std::string path);

  /// Grows the dataset by `count` rows and writes `data` (count * columns elements,
  /// row-major) into them. On failure the dataset is shrunk back and IoError is thrown.
  /// A chunk that the rows fill is compressed and written at once, not when the file
  /// closes: a file written as a run goes leaves little to do at its end.
  void append_rows(const void* data, std::uint64_t count);

  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::uint64_t columns() const noexcept { return columns_; }
  [[nodiscard]] const std::string& file_name() const noexcept { return file_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  Handle dataset_;
  Handle mem_type_;
  std::string file_;
  std::string path_;
  int rank_ = 1;
  std::uint64_t rows_ = 0;
  std::uint64_t columns_ = 1;
  std::uint64_t chunk_rows_ = 0;
};

}  // namespace tipsim::h5::detail
