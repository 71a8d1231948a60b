#include "sim/h5/file.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "sim/h5/heap_check.hpp"

namespace tipsim::h5 {
namespace {
constexpr std::string_view kFileObject = "/";

// The file format of HDF5 1.10 (readable by libhdf5 1.10 and later): its superblock, object
// headers and chunk indexes carry checksums, so damaged metadata is found when read rather
// than followed.
Handle checksummed_format(const std::string& name) {
  Handle fapl(
      detail::check_id(H5Pcreate(H5P_FILE_ACCESS), name, kFileObject, "cannot create plist"));
  detail::check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_LATEST), name,
                kFileObject, "cannot select the file format");
  return fapl;
}
std::uint32_t rotate(std::uint32_t x, int k) {
  return (x << k) | (x >> (32 - k));
}

// Bob Jenkins' lookup3 hash (public domain), byte by byte: HDF5's metadata checksum.
std::uint32_t lookup3(const unsigned char* k, std::size_t length) {
  std::uint32_t a = 0xdeadbeefU + static_cast<std::uint32_t>(length);
  std::uint32_t b = a;
  std::uint32_t c = a;
  const auto word = [](const unsigned char* p) {
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
           std::uint32_t{p[3]} << 24;
  };
  while (length > 12) {
    a += word(k);
    b += word(k + 4);
    c += word(k + 8);
    a -= c, a ^= rotate(c, 4), c += b;
    b -= a, b ^= rotate(a, 6), a += c;
    c -= b, c ^= rotate(b, 8), b += a;
    a -= c, a ^= rotate(c, 16), c += b;
    b -= a, b ^= rotate(a, 19), a += c;
    c -= b, c ^= rotate(b, 4), b += a;
    length -= 12;
    k += 12;
  }
  if (length == 0) return c;
  unsigned char tail[12] = {};
  std::memcpy(tail, k, length);
  a += word(tail);
  b += word(tail + 4);
  c += word(tail + 8);
  c ^= b, c -= rotate(b, 14);
  a ^= c, a -= rotate(c, 11);
  b ^= a, b -= rotate(a, 25);
  c ^= b, c -= rotate(b, 16);
  a ^= c, a -= rotate(c, 4);
  b ^= a, b -= rotate(a, 14);
  c ^= b, c -= rotate(b, 24);
  return c;
}

// libhdf5 1.10 clears the "open for writing" flags of a version 2 or 3 superblock in a file
// image but keeps the checksum of the flags set, so the image cannot be opened ("incorrect
// metadata checksum"): the checksum is computed again here.
void repair_superblock_checksum(std::vector<char>& image) {
  static constexpr unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (image.size() < 12 || std::memcmp(image.data(), kSignature, 8) != 0) return;
  const auto* bytes = reinterpret_cast<const unsigned char*>(image.data());
  if (bytes[8] < 2) return;  // versions 0 and 1 have no checksum
  const std::size_t length = 12 + 4 * std::size_t{bytes[9]};
  if (image.size() < length + 4) return;
  std::uint32_t sum = lookup3(bytes, length);
  for (std::size_t i = 0; i < 4; ++i, sum >>= 8)
    image[length + i] = static_cast<char>(static_cast<unsigned char>(sum & 0xff));
}

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
  detail::keep_compact(fcpl.get(), true, name, kFileObject);
  const Handle fapl = checksummed_format(name);
  Handle file(detail::check_id(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), name,
                               kFileObject, "cannot create file"));
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
  detail::keep_compact(fcpl.get(), true, name, kFileObject);
  const Handle fapl = checksummed_format(name);
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
  repair_superblock_checksum(bytes);
  return bytes;
}

Group File::root() const {
  detail::silence_errors();
  if (!handle_.valid()) detail::fail(name_, kFileObject, "file is closed");
  Handle group(detail::check_id(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), name_, kFileObject,
                                "cannot open root group"));
  detail::refuse_dense_links(group.get(), name_, kFileObject);
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
