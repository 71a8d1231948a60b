#include "sim/h5/heap_check.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace tipsim::h5::detail {
namespace {

// A reference as stored: length (4 bytes), collection address (8) and object index (4),
// with HDF5's usual 8-byte addresses and lengths.
constexpr std::size_t kReferenceBytes = 16;
constexpr std::size_t kCollectionHeader = 16;  // "GCOL", version, 3 reserved, size
constexpr std::size_t kObjectHeader = 16;      // index, references, 4 reserved, size
constexpr std::uint64_t kLargestCollection = std::uint64_t{1} << 30;

std::uint64_t little_endian(const unsigned char* p, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = bytes; i-- > 0;) value = value << 8 | p[i];
  return value;
}

// Converting a variable-length string to this opaque type copies the stored references
// untouched: the conversion below leaves the bytes as read from the file.
herr_t keep_stored_bytes(hid_t source, hid_t destination, H5T_cdata_t* cdata, std::size_t,
                         std::size_t, std::size_t, void*, void*, hid_t) {
  switch (cdata->command) {
    case H5T_CONV_INIT:
      cdata->need_bkg = H5T_BKG_NO;
      return H5Tget_class(destination) == H5T_OPAQUE && H5Tis_variable_str(source) > 0 ? 0 : -1;
    case H5T_CONV_CONV:
      return H5Tget_size(source) == kReferenceBytes ? 0 : -1;
    default:
      return 0;
  }
}

hid_t reference_type() {
  static const hid_t type = [] {
    const hid_t opaque = H5Tcreate(H5T_OPAQUE, kReferenceBytes);
    H5Tset_tag(opaque, "tipsim: stored string reference");
    const hid_t string = H5Tcopy(H5T_C_S1);
    H5Tset_size(string, H5T_VARIABLE);
    H5Tregister(H5T_PERS_SOFT, "tipsim: stored string references", string, opaque,
                keep_stored_bytes);
    H5Tclose(string);
    return opaque;
  }();
  return type;
}

class Checker {
 public:
  Checker(int fd, std::uint64_t base, std::uint64_t file_size, std::string_view file,
          std::string_view where)
      : fd_(fd), base_(base), file_size_(file_size), file_(file), where_(where) {}

  void check(const unsigned char* reference) {
    const std::uint64_t length = little_endian(reference, 4);
    const std::uint64_t address = little_endian(reference + 4, 8);
    const std::uint64_t index = little_endian(reference + 12, 4);
    if (length == 0) return;  // an empty string: the library reads no heap
    const std::map<std::uint64_t, std::uint64_t>& objects = collection(address);
    const auto found = objects.find(index);
    if (index == 0 || found == objects.end()) damaged("a string refers to no object in its heap");
    if (found->second < length) damaged("a string is longer than its object in the heap");
  }

 private:
  [[noreturn]] void damaged(const std::string& what) const {
    throw IoError(std::string(file_) + ": " + std::string(where_) + ": the file is damaged (" +
                  what + ")");
  }

  /// The objects (index -> size) of the collection at `address`, checked as the library
  /// will walk it.
  const std::map<std::uint64_t, std::uint64_t>& collection(std::uint64_t address) {
    if (const auto seen = collections_.find(address); seen != collections_.end()) {
      return seen->second;
    }
    const std::uint64_t at = base_ + address;
    if (address >= file_size_ || at < base_ || file_size_ - at < kCollectionHeader) {
      damaged("a string refers past the end of the file");
    }
    unsigned char header[kCollectionHeader];
    read(header, kCollectionHeader, at);
    if (std::memcmp(header, "GCOL", 4) != 0 || header[4] != 1) {
      damaged("a string refers to no heap of strings");
    }
    const std::uint64_t size = little_endian(header + 8, 8);
    if (size < kCollectionHeader || size > kLargestCollection || size > file_size_ - at) {
      damaged("a heap of strings has an impossible size");
    }
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    read(bytes.data(), bytes.size(), at);
    std::map<std::uint64_t, std::uint64_t> objects;
    std::size_t p = kCollectionHeader;
    while (p < bytes.size()) {
      if (bytes.size() - p < kObjectHeader) break;  // too small for an object: free space
      const std::uint64_t index = little_endian(&bytes[p], 2);
      const std::uint64_t object = little_endian(&bytes[p + 8], 8);
      const std::uint64_t padded = (object + 7) / 8 * 8;
      const bool free_space = index == 0;
      if (object > size || (!free_space && padded > bytes.size() - p - kObjectHeader) ||
          (free_space && (object < kObjectHeader || object > bytes.size() - p))) {
        damaged("an object of a heap of strings has an impossible size");
      }
      if (!free_space) objects[index] = object;
      p += free_space ? static_cast<std::size_t>(object)
                      : kObjectHeader + static_cast<std::size_t>(padded);
    }
    return collections_.emplace(address, std::move(objects)).first->second;
  }

  void read(unsigned char* out, std::size_t count, std::uint64_t at) const {
    std::size_t done = 0;
    while (done < count) {
      const ssize_t got = ::pread(fd_, out + done, count - done, static_cast<off_t>(at + done));
      if (got <= 0) damaged("a heap of strings cannot be read");
      done += static_cast<std::size_t>(got);
    }
  }

  int fd_;
  std::uint64_t base_;
  std::uint64_t file_size_;
  std::string_view file_;
  std::string_view where_;
  std::map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> collections_;
};

}  // namespace

void check_string_references(hid_t object, bool dataset, std::string_view file,
                             std::string_view where) {
  silence_errors();
  const Handle file_id(check_id(H5Iget_file_id(object), file, where, "cannot find the file"));
  const Handle fapl(
      check_id(H5Fget_access_plist(file_id.get()), file, where, "cannot inspect file"));
  if (H5Pget_driver(fapl.get()) != H5FD_SEC2) return;  // in memory: written here
  const Handle fcpl(
      check_id(H5Fget_create_plist(file_id.get()), file, where, "cannot inspect file"));
  std::size_t address_bytes = 0;
  std::size_t length_bytes = 0;
  hsize_t userblock = 0;
  check(H5Pget_sizes(fcpl.get(), &address_bytes, &length_bytes), file, where,
        "cannot inspect file");
  check(H5Pget_userblock(fcpl.get(), &userblock), file, where, "cannot inspect file");
  if (address_bytes != 8 || length_bytes != 8) {
    throw IoError(std::string(file) + ": " + std::string(where) +
                  ": stores addresses in other than 8 bytes, which tipsim does not read");
  }
  const Handle space(check_id(dataset ? H5Dget_space(object) : H5Aget_space(object), file, where,
                              "cannot get dataspace"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points <= 0) return;
  std::vector<unsigned char> references(static_cast<std::size_t>(points) * kReferenceBytes);
  const hid_t type = reference_type();
  check(dataset ? H5Dread(object, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, references.data())
                : H5Aread(object, type, references.data()),
        file, where, "cannot read string references");
  void* handle = nullptr;
  check(H5Fget_vfd_handle(file_id.get(), fapl.get(), &handle), file, where, "cannot inspect file");
  hsize_t file_size = 0;
  check(H5Fget_filesize(file_id.get(), &file_size), file, where, "cannot inspect file");
  Checker checker(*static_cast<int*>(handle), userblock, file_size, file, where);
  for (std::size_t i = 0; i < references.size(); i += kReferenceBytes)
    checker.check(&references[i]);
}

void keep_compact(hid_t plist, bool group, std::string_view file, std::string_view where) {
  // Up to 65,535 of each, the most the library keeps compact.
  check(H5Pset_attr_phase_change(plist, 65535, 65535), file, where,
        "cannot keep attributes compact");
  if (group)
    check(H5Pset_link_phase_change(plist, 65535, 65535), file, where, "cannot keep links compact");
}

void refuse_dense_links(hid_t group, std::string_view file, std::string_view where) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), file, where, "cannot inspect group");
  if (info.storage_type == H5G_STORAGE_TYPE_DENSE) {
    throw IoError(std::string(file) + ": " + std::string(where) +
                  ": keeps its links in dense storage, which tipsim does not write: a damaged or "
                  "foreign file");
  }
  refuse_dense_attributes(group, file, where);
}

void refuse_dense_attributes(hid_t object, std::string_view file, std::string_view where) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_native_info_t info;
  check(H5Oget_native_info(object, &info, H5O_NATIVE_INFO_META_SIZE), file, where,
        "cannot inspect object");
#else
  H5O_info_t info;
  check(H5Oget_info2(object, &info, H5O_INFO_META_SIZE), file, where, "cannot inspect object");
#endif
  if (info.meta_size.attr.index_size > 0 || info.meta_size.attr.heap_size > 0) {
    throw IoError(std::string(file) + ": " + std::string(where) +
                  ": keeps its attributes in dense storage, which tipsim does not write: a "
                  "damaged or foreign file");
  }
}

}  // namespace tipsim::h5::detail
