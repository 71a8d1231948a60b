#pragma once
/// Groups, attributes and datasets of an HDF5 file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/error.hpp"
#include "sim/h5/compound_type.hpp"
#include "sim/h5/handle.hpp"
#include "sim/h5/series.hpp"
#include "sim/h5/table.hpp"

namespace tipsim::h5 {

/// How a dataset is laid out and labelled.
struct DatasetOptions {
  /// Rows (first-dimension extent) per chunk; 0 stores a fixed dataset contiguously.
  /// Series and tables are always chunked and pick a default when this is 0.
  std::uint64_t chunk_rows = 0;
  /// gzip level 0..9 applied to chunked datasets only; 0 disables compression.
  int deflate_level = 4;
  /// Physical unit (e.g. "persons", "USD/day"); stored as attribute "unit" when non-empty.
  std::string unit;
  /// Free text; stored as attribute "description" when non-empty.
  std::string description;

  // Chainable setters: designated initializers that skip members trip GCC's
  // -Wmissing-field-initializers, so `DatasetOptions{}.with_unit("persons")` reads better.
  [[nodiscard]] DatasetOptions with_chunk_rows(std::uint64_t rows) const {
    DatasetOptions copy = *this;
    copy.chunk_rows = rows;
    return copy;
  }
  [[nodiscard]] DatasetOptions with_deflate_level(int level) const {
    DatasetOptions copy = *this;
    copy.deflate_level = level;
    return copy;
  }
  [[nodiscard]] DatasetOptions with_unit(std::string value) const {
    DatasetOptions copy = *this;
    copy.unit = std::move(value);
    return copy;
  }
  [[nodiscard]] DatasetOptions with_description(std::string value) const {
    DatasetOptions copy = *this;
    copy.description = std::move(value);
    return copy;
  }
};

/// On-disk form of a string attribute. Both are UTF-8. h5py reads variable-length strings
/// as str and fixed-length ones as bytes.
enum class StringStorage { variable_length, fixed_length };

/// Any named object (group or dataset): carries attributes. Move-only.
class Object {
 public:
  /// Writes a string attribute, replacing any attribute of that name.
  void set_string_attribute(std::string_view name, std::string_view value,
                            StringStorage storage = StringStorage::variable_length);
  /// Writes a scalar 64-bit integer attribute, replacing any of that name.
  void set_int_attribute(std::string_view name, std::int64_t value);
  /// Writes a scalar double attribute, replacing any of that name.
  void set_double_attribute(std::string_view name, double value);
  /// Writes a 1-D int64 array attribute, replacing any of that name.
  void set_int_array_attribute(std::string_view name, std::span<const std::int64_t> values);
  /// Writes a 1-D double array attribute, replacing any of that name.
  void set_double_array_attribute(std::string_view name, std::span<const double> values);

  [[nodiscard]] bool has_attribute(std::string_view name) const;
  /// Attribute names in name order.
  [[nodiscard]] std::vector<std::string> attribute_names() const;
  /// Reads a fixed- or variable-length string attribute (trailing NUL padding removed).
  [[nodiscard]] std::string string_attribute(std::string_view name) const;
  /// Reads a scalar numeric attribute converted to int64 by HDF5.
  [[nodiscard]] std::int64_t int_attribute(std::string_view name) const;
  /// Reads a scalar numeric attribute converted to double by HDF5.
  [[nodiscard]] double double_attribute(std::string_view name) const;
  /// Reads a numeric attribute of any shape, flattened, converted to int64.
  [[nodiscard]] std::vector<std::int64_t> int_array_attribute(std::string_view name) const;
  /// Reads a numeric attribute of any shape, flattened, converted to double.
  [[nodiscard]] std::vector<double> double_array_attribute(std::string_view name) const;

  /// Name of the file this object lives in, as given when it was opened.
  [[nodiscard]] const std::string& file_name() const noexcept { return file_; }
  /// Absolute object path inside the file ("/" for the root group).
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The raw identifier, owned by this object.
  [[nodiscard]] hid_t id() const noexcept { return handle_.get(); }

 protected:
  Object(Handle handle, std::string file, std::string path);
  [[nodiscard]] std::string child_path(std::string_view name) const;

  Handle handle_;
  std::string file_;
  std::string path_;

 private:
  friend class Group;
  /// "<path>@<name>", how errors name an attribute.
  [[nodiscard]] std::string attribute_where(std::string_view name) const;
  void write_attribute(std::string_view name, hid_t type, hid_t space, const void* data);
  /// Writes `data` as a scalar, or as a 1-D array when `count` is given.
  void write_numeric_attribute(std::string_view name, hid_t type, const void* data,
                               std::optional<std::size_t> count);
  /// All values of a numeric attribute, converted to T; `scalar` demands exactly one.
  template <Numeric T>
  [[nodiscard]] std::vector<T> read_numeric_attribute(std::string_view name, bool scalar) const;
  /// Values of a floating-point attribute asked for as integers: each must be whole.
  template <Numeric T>
  [[nodiscard]] std::vector<T> whole_numbers(hid_t attribute, const std::string& where,
                                             std::size_t count) const;
};

/// A group: creates and reads children. Paths given to its methods are relative to it and
/// may contain '/'. Move-only; it keeps its file open until destroyed.
class Group : public Object {
 public:
  /// Creates group `name` and any missing parents; an existing group is opened instead.
  Group create_group(std::string_view name);
  /// Opens an existing group; throws IoError naming it when missing.
  [[nodiscard]] Group open_group(std::string_view name) const;
  /// Opens any existing child object (for reading or writing its attributes).
  [[nodiscard]] Object open_object(std::string_view name) const;
  /// True when a link `name` exists (each component of a path is checked in turn).
  [[nodiscard]] bool exists(std::string_view name) const;
  /// True when `name` exists and is a group.
  [[nodiscard]] bool is_group(std::string_view name) const;
  /// Names of direct children, in name order.
  [[nodiscard]] std::vector<std::string> children() const;
  /// Shape of dataset `name`.
  [[nodiscard]] std::vector<std::uint64_t> dims(std::string_view name) const;

  /// Writes a new dataset of `data` with shape `dims` (row-major; empty means 1-D of
  /// data.size()). The product of `dims` must equal data.size().
  template <Numeric T>
  void write(std::string_view name, std::span<const T> data, std::vector<std::uint64_t> dims = {},
             const DatasetOptions& options = {}) {
    write_raw(name, native_type<T>(), data.data(), data.size(), std::move(dims), options);
  }
  /// As above, for a vector (a span parameter cannot deduce T from a vector).
  template <Numeric T>
  void write(std::string_view name, const std::vector<T>& data,
             std::vector<std::uint64_t> dims = {}, const DatasetOptions& options = {}) {
    write<T>(name, std::span<const T>(data), std::move(dims), options);
  }

  /// Reads dataset `name` of any numeric stored type, converted to T by HDF5, flattened
  /// row-major. Stores the shape in `*dims` when given.
  template <Numeric T>
  [[nodiscard]] std::vector<T> read(std::string_view name,
                                    std::vector<std::uint64_t>* dims = nullptr) const {
    const Handle dataset = open_dataset(name);
    std::vector<std::uint64_t> shape = dataset_dims(dataset.get(), name);
    std::vector<T> values(element_count(shape));
    read_all(dataset.get(), name, native_type<T>(), values.data());
    if (dims != nullptr) *dims = std::move(shape);
    return values;
  }

  /// Writes a 1-D dataset of variable-length UTF-8 strings.
  void write_strings(std::string_view name, std::span<const std::string> values,
                     const DatasetOptions& options = {});
  /// Reads a 1-D (or flattened) dataset of fixed- or variable-length strings.
  [[nodiscard]] std::vector<std::string> read_strings(std::string_view name) const;

  /// Creates an empty appendable table of records described by `type`, chunked by
  /// `chunk_rows` records (0 picks 4096) and compressed per `options`.
  template <class Record>
  Table<Record> create_table(std::string_view name, const CompoundType& type,
                             std::uint64_t chunk_rows = 4096, const DatasetOptions& options = {}) {
    check_record_size(name, type, sizeof(Record));
    return Table<Record>(create_appendable(name, type, chunk_rows, options));
  }
  /// Reopens an existing table for appending.
  template <class Record>
  Table<Record> open_table(std::string_view name, const CompoundType& type) {
    check_record_size(name, type, sizeof(Record));
    return Table<Record>(open_appendable(name, type));
  }
  /// Reads a whole table. Members are matched by name, so `type` may describe a subset.
  template <class Record>
  [[nodiscard]] std::vector<Record> read_table(std::string_view name,
                                               const CompoundType& type) const {
    check_record_size(name, type, sizeof(Record));
    const Handle dataset = open_dataset(name);
    std::vector<Record> records(element_count(dataset_dims(dataset.get(), name)));
    read_all(dataset.get(), name, type.id(), records.data());
    return records;
  }

  /// Creates an empty appendable series of `columns` values per row: shape (0,) when
  /// `columns` is 1 and not `matrix`, else (0, columns). Chunks hold options.chunk_rows rows
  /// (0 picks 256, reduced so a chunk stays near 1 MiB).
  template <Numeric T>
  Series<T> create_series(std::string_view name, std::uint64_t columns,
                          const DatasetOptions& options = {}, bool matrix = false) {
    return Series<T>(create_numeric_appendable(name, native_type<T>(), columns, options, matrix));
  }

 private:
  friend class File;
  Group(Handle handle, std::string file, std::string path, bool compress)
      : Object(std::move(handle), std::move(file), std::move(path)), compress_(compress) {}
  /// Whether chunked datasets get their deflate filter (off in scratch in-memory files).
  bool compress_ = true;

  [[nodiscard]] static std::size_t element_count(const std::vector<std::uint64_t>& dims);
  [[nodiscard]] Handle open_dataset(std::string_view name) const;
  /// Refuses a group at `prefix` whose links are in dense storage (detail::refuse_dense_links).
  void check_group(const std::string& prefix) const;
  /// check_group on every group on the way to `name`, before the library follows its links.
  void check_route(std::string_view name) const;
  /// Throws IoError when `extent` holds more values than the dataset's file could.
  void refuse_implausible_extent(hid_t dataset, const std::string& full,
                                 const std::vector<hsize_t>& extent) const;
  [[nodiscard]] std::vector<std::uint64_t> dataset_dims(hid_t dataset, std::string_view name) const;
  void read_all(hid_t dataset, std::string_view name, hid_t mem_type, void* out) const;
  void write_raw(std::string_view name, hid_t mem_type, const void* data, std::size_t count,
                 std::vector<std::uint64_t> dims, const DatasetOptions& options);
  void check_record_size(std::string_view name, const CompoundType& type,
                         std::size_t record_size) const;
  detail::AppendableDataset create_appendable(std::string_view name, const CompoundType& type,
                                              std::uint64_t chunk_rows,
                                              const DatasetOptions& options);
  detail::AppendableDataset create_numeric_appendable(std::string_view name, hid_t mem_type,
                                                      std::uint64_t columns,
                                                      const DatasetOptions& options, bool matrix);
  detail::AppendableDataset open_appendable(std::string_view name, const CompoundType& type);
  Handle create_chunked(std::string_view name, hid_t file_type, std::uint64_t columns, bool two_d,
                        std::uint64_t chunk_rows, const DatasetOptions& options);
  void label(hid_t dataset, std::string_view name, const DatasetOptions& options);
};

}  // namespace tipsim::h5
