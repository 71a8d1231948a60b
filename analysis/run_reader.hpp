#pragma once
/// Reading the objects of a run file with messages that name the file and what is missing
/// or misshapen. Shared by the summary and the comparison; not part of the public API.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/date.hpp"
#include "sim/error.hpp"
#include "sim/h5/file.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::analysis::detail {

class RunReader {
 public:
  /// Opens the file; IoError when it is missing, not a regular file or not HDF5.
  explicit RunReader(const std::filesystem::path& path);
  /// Reads a file already open elsewhere; `root` is its root group, `name` names it.
  RunReader(const h5::Group& root, std::string name);

  [[nodiscard]] const h5::Group& root() const noexcept { return root_; }
  /// The file name as given, for messages.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Fails unless `path` (relative to the root) exists.
  void require(std::string_view path) const;
  /// Fails unless the root attribute `name` exists.
  void require_attribute(std::string_view name) const;
  /// Fails unless the root attribute `schema_version` is one this reader knows.
  void require_schema_version() const;

  /// A root attribute holding an ISO date.
  [[nodiscard]] Date date_attribute(std::string_view name) const;

  /// Reads dataset `path` and checks its shape: `rows` rows, and `columns` columns when
  /// given (a 2-D dataset), else a 1-D dataset.
  template <h5::Numeric T>
  [[nodiscard]] std::vector<T> read(std::string_view path, std::uint64_t rows,
                                    std::optional<std::uint64_t> columns = std::nullopt) const {
    require(path);
    const std::vector<std::uint64_t> expected =
        columns ? std::vector<std::uint64_t>{rows, *columns} : std::vector<std::uint64_t>{rows};
    const std::vector<std::uint64_t> dims = root_.dims(path);
    if (dims != expected) {
      throw IoError(name_ + ": /" + std::string(path) + " has shape " + shape_text(dims) +
                    ", expected " + shape_text(expected));
    }
    // An empty dataset (no interventions, say) has nothing to read.
    if (rows == 0 || (columns && *columns == 0)) return {};
    return root_.read<T>(path);
  }

  /// Reads a 1-D dataset of any length.
  template <h5::Numeric T>
  [[nodiscard]] std::vector<T> read_column(std::string_view path) const {
    require(path);
    const std::vector<std::uint64_t> dims = root_.dims(path);
    if (dims.size() != 1) {
      throw IoError(name_ + ": /" + std::string(path) + " has shape " + shape_text(dims) +
                    ", expected one dimension");
    }
    if (dims[0] == 0) return {};
    return root_.read<T>(path);
  }

  /// Reads a 1-D dataset of day numbers (days since 1970-01-01); each must be a date from
  /// year 0 to 9999, so that date arithmetic cannot overflow.
  [[nodiscard]] std::vector<std::int32_t> read_days(std::string_view path) const;

  /// Largest window total or sum a reader accepts, in absolute value: 2^60, so that sums
  /// and differences of a few totals cannot overflow either.
  static constexpr std::int64_t kLargestTotal = std::int64_t{1} << 60;
  /// Adds `value` (read from dataset `path`) to `total`; a damaged or crafted file whose
  /// values sum past kLargestTotal is refused, naming the dataset.
  void add(std::int64_t& total, std::int64_t value, std::string_view path) const;

  /// Reads a 1-D dataset of strings of length `rows`.
  [[nodiscard]] std::vector<std::string> read_strings(std::string_view path) const;
  [[nodiscard]] std::vector<std::string> read_strings(std::string_view path,
                                                      std::uint64_t rows) const;

  /// "(3,)" or "(4018, 2)": a shape as NumPy prints it.
  [[nodiscard]] static std::string shape_text(const std::vector<std::uint64_t>& dims);

 private:
  std::string name_;
  std::optional<h5::File> file_;  ///< empty when the caller keeps the file open
  h5::Group root_;
};

}  // namespace tipsim::analysis::detail
