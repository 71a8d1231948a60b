#include "sim/h5/file.hpp"

#include <utility>

namespace tipsim::h5 {
namespace {
constexpr std::string_view kFileObject = "/";
}  // namespace

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

Group File::root() const {
  detail::silence_errors();
  if (!handle_.valid()) detail::fail(name_, kFileObject, "file is closed");
  Handle group(detail::check_id(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), name_, kFileObject,
                                "cannot open root group"));
  return Group(std::move(group), name_, std::string(kFileObject));
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
  const herr_t flushed = H5Fflush(id, H5F_SCOPE_GLOBAL);
  const herr_t closed = H5Fclose(id);
  if (flushed < 0 || closed < 0) detail::fail(name_, kFileObject, "cannot close file");
}

}  // namespace tipsim::h5
