#pragma once
/// An open HDF5 file.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/h5/group.hpp"
#include "sim/h5/handle.hpp"

namespace tipsim::h5 {

/// Keeps the HDF5 library from tearing itself down at process exit. Call first thing in
/// main, before any other HDF5 call. libhdf5 1.10 crashes in that teardown when a file
/// failed to close (a full disk): the program then exits with its own error instead. Every
/// file is closed explicitly, so nothing is lost.
void disable_exit_teardown();

/// The root attribute `file_kind` of the HDF5 file at `path` ("ensemble", "calibration",
/// ...); empty when the path is not a readable HDF5 file or the file has none.
[[nodiscard]] std::string file_kind(const std::filesystem::path& path);

/// An HDF5 file opened for writing (create) or reading. Move-only. Groups, tables and
/// series obtained from it keep the underlying file open until they are destroyed too; call
/// close() (or flush()) to push everything to disk and hear about failures.
///
/// Files are byte-reproducible: objects created here record no modification times.
class File {
 public:
  /// Creates `path`, truncating any existing file.
  [[nodiscard]] static File create(const std::filesystem::path& path);
  /// Opens an existing file read-only.
  [[nodiscard]] static File open_read(const std::filesystem::path& path);
  /// Opens an existing file for reading and appending.
  [[nodiscard]] static File open_read_write(const std::filesystem::path& path);
  /// Creates a file that lives only in memory (HDF5's core driver, no backing store):
  /// written and read like any other, gone when closed. `name` labels it in messages and
  /// must be unique among the in-memory files open at once. `compressed`: false leaves
  /// out the deflate filter, for a scratch file that is read back and dropped, where
  /// compressing costs more than the memory it saves.
  [[nodiscard]] static File create_in_memory(const std::string& name, bool compressed = true);
  /// The bytes of the whole file as it would be on disk, after a flush. For an in-memory
  /// file, what writing it to disk would give.
  [[nodiscard]] std::vector<char> image();

  /// The root group "/".
  [[nodiscard]] Group root() const;
  /// The path the file was opened with.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] bool is_open() const noexcept { return handle_.valid(); }

  /// Writes all cached data of every open object in this file to disk.
  void flush();
  /// Flushes and releases this handle; throws IoError when the final write fails. Objects
  /// still open keep the file open until they close.
  void close();

 private:
  File(Handle handle, std::string name, bool compressed = true)
      : handle_(std::move(handle)), name_(std::move(name)), compressed_(compressed) {}
  Handle handle_;
  std::string name_;
  bool compressed_ = true;
};

}  // namespace tipsim::h5
