#include "sim/h5/file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace tipsim::h5 {
namespace {
constexpr std::string_view kFileObject = "/";
}  // namespace

void disable_exit_teardown() {
  H5dont_atexit();
}

File File::create(const std::filesystem::path& path) {
  detail::silence_errors();
  const std::string name = path.string();
  const Handle fcpl(
      detail::check_id(H5Pcreate(H5P_FILE_CREATE), name, kFileObject, "cannot create plist"));
  // The root group is made by H5Fcreate, so its time tracking is set here.
  detail::check(H5Pset_obj_track_times(fcpl.get(), 0), name, kFileObject,
                "cannot disable object times");
  Handle file(detail::check_id(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT),
                               name, kFileObject, "cannot create file"));
  return File(std::move(file), name);
}

File File::open_read(const std::filesystem::path& path) {
  detail::silence_errors();
  const std::string name = path.string();
  Handle file(detail::check_id(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), name,
                               kFileObject, "cannot open file for reading"));
  return File(std::move(file), name);
}

File File::open_read_write(const std::filesystem::path& path) {
  detail::silence_errors();
  const std::string name = path.string();
  Handle file(detail::check_id(H5Fopen(name.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), name, kFileObject,
                               "cannot open file for writing"));
  return File(std::move(file), name);
}

File File::create_in_memory(const std::string& name, bool compressed) {
  detail::silence_errors();
  const Handle fcpl(
      detail::check_id(H5Pcreate(H5P_FILE_CREATE), name, kFileObject, "cannot create plist"));
  detail::check(H5Pset_obj_track_times(fcpl.get(), 0), name, kFileObject,
                "cannot disable object times");
  const Handle fapl(
      detail::check_id(H5Pcreate(H5P_FILE_ACCESS), name, kFileObject, "cannot create plist"));
  // Grow in 16 MiB steps (a default run reduced in an ensemble is about 8 MiB uncompressed:
  // small steps would copy it over and over as it grows); nothing is written to disk.
  detail::check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 24, 0), name, kFileObject,
                "cannot select the in-memory driver");
  Handle file(detail::check_id(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), name,
                               kFileObject, "cannot create in-memory file"));
  return File(std::move(file), name, compressed);
}

std::vector<char> File::image() {
  flush();
  const ssize_t size = H5Fget_file_image(handle_.get(), nullptr, 0);
  if (size < 0) detail::fail(name_, kFileObject, "cannot measure the file image");
  std::vector<char> bytes(static_cast<std::size_t>(size));
  if (H5Fget_file_image(handle_.get(), bytes.data(), bytes.size()) != size)
    detail::fail(name_, kFileObject, "cannot copy the file image");
  return bytes;
}

Group File::root() const {
  detail::silence_errors();
  if (!handle_.valid()) detail::fail(name_, kFileObject, "file is closed");
  Handle group(detail::check_id(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), name_, kFileObject,
                                "cannot open root group"));
  return Group(std::move(group), name_, std::string(kFileObject), compressed_);
}

void File::flush() {
  detail::silence_errors();
  if (!handle_.valid()) detail::fail(name_, kFileObject, "file is closed");
  detail::check(H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL), name_, kFileObject, "cannot flush file");
}

void File::close() {
  detail::silence_errors();
  if (!handle_.valid()) return;
  const hid_t id = handle_.release();
  errno = 0;
  const herr_t flushed = H5Fflush(id, H5F_SCOPE_GLOBAL);
  const int flush_errno = errno;
  const herr_t closed = H5Fclose(id);
  if (flushed < 0 || closed < 0) {
    // The system's reason, when the write failed there (a full disk, a file-size limit).
    const std::string why = flush_errno != 0
                                ? std::string("cannot close file: ") + std::strerror(flush_errno)
                                : std::string("cannot close file");
    detail::fail(name_, kFileObject, why);
  }
}

std::string file_kind(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return "";
  try {
    const auto file = File::open_read(path);
    const auto root = file.root();
    return root.has_attribute("file_kind") ? root.string_attribute("file_kind") : "";
  } catch (const IoError&) {
    return "";
  }
}

}  // namespace tipsim::h5
