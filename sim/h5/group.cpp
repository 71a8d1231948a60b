#include "sim/h5/group.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "sim/h5/heap_check.hpp"
#include "sim/h5/strings.hpp"

namespace tipsim::h5 {
namespace {

constexpr std::uint64_t kDefaultTableChunkRows = 4096;
constexpr std::uint64_t kDefaultSeriesChunkRows = 256;
// Chunks near this size compress well and fit HDF5's default per-dataset chunk cache.
constexpr std::uint64_t kTargetChunkBytes = std::uint64_t{1} << 20;
// Variable-length strings stored in the object header: 16 bytes of reference each, well
// under the header's 64 KiB.
constexpr hsize_t kMostCompactStrings = 2048;

// "a/b/c" gives "a", "a/b", "a/b/c" (each with a leading '/' when `name` is absolute), so
// each link on the way can be checked or created in turn.
std::vector<std::string> link_prefixes(std::string_view name) {
  std::vector<std::string> prefixes;
  std::string prefix = (!name.empty() && name.front() == '/') ? "/" : "";
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    if (end > start) {
      if (!prefix.empty() && prefix.back() != '/') prefix += '/';
      prefix.append(name.substr(start, end - start));
      prefixes.push_back(prefix);
    }
    start = end + 1;
  }
  return prefixes;
}

// Object times would make two runs with identical inputs differ byte-wise.
Handle untimed_create_plist(hid_t plist_class, std::string_view file, std::string_view path) {
  Handle plist(detail::check_id(H5Pcreate(plist_class), file, path, "cannot create plist"));
  detail::check(H5Pset_obj_track_times(plist.get(), 0), file, path, "cannot disable object times");
  detail::keep_compact(plist.get(), plist_class == H5P_GROUP_CREATE, file, path);
  return plist;
}

// Stored numbers are little-endian everywhere so files compare equal across machines.
Handle little_endian_copy(hid_t mem_type, std::string_view file, std::string_view path) {
  Handle type(detail::check_id(H5Tcopy(mem_type), file, path, "cannot copy type"));
  detail::check(H5Tset_order(type.get(), H5T_ORDER_LE), file, path, "cannot set byte order");
  return type;
}

void check_deflate(int level, std::string_view file, std::string_view path) {
  if (level < 0 || level > 9) {
    throw IoError(std::string(file) + ": " + std::string(path) + ": deflate level " +
                  std::to_string(level) + " outside 0..9");
  }
}

void set_compression(hid_t dcpl, int level, std::string_view file, std::string_view path) {
  if (level == 0) return;
  // Byte shuffling groups similar bytes of neighbouring numbers, which gzip then compresses.
  detail::check(H5Pset_shuffle(dcpl), file, path, "cannot enable shuffle");
  detail::check(H5Pset_deflate(dcpl, static_cast<unsigned>(level)), file, path,
                "cannot enable deflate");
}

// Fletcher32 checksums each chunk as stored (after compression), so a damaged chunk is
// found when it is read instead of decompressed or returned as different numbers. Added
// last, it is checked first on reading.
void set_checksum(hid_t dcpl, std::string_view file, std::string_view path) {
  detail::check(H5Pset_fletcher32(dcpl), file, path, "cannot enable checksums");
}

// Rows per chunk for a fixed dataset written without chunk_rows: chunked only so that its
// chunks carry checksums, about a megabyte each.
hsize_t checksum_chunk_rows(const std::vector<hsize_t>& extent, std::size_t value_bytes) {
  std::size_t row_bytes = value_bytes;
  for (std::size_t i = 1; i < extent.size(); ++i) row_bytes *= static_cast<std::size_t>(extent[i]);
  const hsize_t rows =
      std::max<hsize_t>(1, kTargetChunkBytes / std::max<std::size_t>(row_bytes, 1));
  return std::min(rows, extent[0]);
}

}  // namespace

Group Group::create_group(std::string_view name) {
  detail::silence_errors();
  const std::string full = child_path(name);
  const Handle gcpl = untimed_create_plist(H5P_GROUP_CREATE, file_, full);
  for (const std::string& prefix : link_prefixes(name)) {
    const htri_t present = H5Lexists(handle_.get(), prefix.c_str(), H5P_DEFAULT);
    detail::check(present, file_, child_path(prefix), "cannot query link");
    if (present > 0) continue;
    // Parents are created here rather than via intermediate-group creation so that they
    // also carry no object times.
    const Handle created(detail::check_id(
        H5Gcreate2(handle_.get(), prefix.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), file_,
        child_path(prefix), "cannot create group"));
  }
  return open_group(name);
}

Group Group::open_group(std::string_view name) const {
  detail::silence_errors();
  const std::string full = child_path(name);
  const std::string relative(name);
  check_route(name);
  Handle group(detail::check_id(H5Gopen2(handle_.get(), relative.c_str(), H5P_DEFAULT), file_, full,
                                "cannot open group"));
  detail::refuse_dense_links(group.get(), file_, full);
  return Group(std::move(group), file_, full, compress_);
}

Object Group::open_object(std::string_view name) const {
  detail::silence_errors();
  const std::string full = child_path(name);
  const std::string relative(name);
  check_route(name);
  Handle object(detail::check_id(H5Oopen(handle_.get(), relative.c_str(), H5P_DEFAULT), file_, full,
                                 "cannot open object"));
  return Object(std::move(object), file_, full);
}

bool Group::exists(std::string_view name) const {
  detail::silence_errors();
  const std::vector<std::string> prefixes = link_prefixes(name);
  if (prefixes.empty()) return false;
  // H5Lexists fails rather than answering false when a parent is missing.
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const htri_t present = H5Lexists(handle_.get(), prefixes[i].c_str(), H5P_DEFAULT);
    detail::check(present, file_, child_path(prefixes[i]), "cannot query link");
    if (present == 0) return false;
    if (i + 1 < prefixes.size()) check_group(prefixes[i]);
  }
  return true;
}

void Group::check_group(const std::string& prefix) const {
  const Handle object(detail::check_id(H5Oopen(handle_.get(), prefix.c_str(), H5P_DEFAULT), file_,
                                       child_path(prefix), "cannot open object"));
  if (H5Iget_type(object.get()) == H5I_GROUP)
    detail::refuse_dense_links(object.get(), file_, child_path(prefix));
}

void Group::check_route(std::string_view name) const {
  const std::vector<std::string> prefixes = link_prefixes(name);
  for (std::size_t i = 0; i + 1 < prefixes.size(); ++i) check_group(prefixes[i]);
}

bool Group::is_group(std::string_view name) const {
  if (!exists(name)) return false;
  const Object object = open_object(name);
  return H5Iget_type(object.id()) == H5I_GROUP;
}

std::vector<std::string> Group::children() const {
  detail::silence_errors();
  std::vector<std::string> names;
  detail::check(H5Literate(handle_.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
                           detail::collect_name<H5L_info_t>, &names),
                file_, path_, "cannot list children");
  return names;
}

std::vector<std::uint64_t> Group::dims(std::string_view name) const {
  const Handle dataset = open_dataset(name);
  return dataset_dims(dataset.get(), name);
}

std::size_t Group::element_count(const std::vector<std::uint64_t>& dims) {
  std::size_t count = 1;
  for (const std::uint64_t extent : dims) count *= static_cast<std::size_t>(extent);
  return count;
}

Handle Group::open_dataset(std::string_view name) const {
  detail::silence_errors();
  check_route(name);
  const std::string relative(name);
  return Handle(detail::check_id(H5Dopen2(handle_.get(), relative.c_str(), H5P_DEFAULT), file_,
                                 child_path(name), "cannot open dataset"));
}

std::vector<std::uint64_t> Group::dataset_dims(hid_t dataset, std::string_view name) const {
  const std::string full = child_path(name);
  const Handle space(detail::check_id(H5Dget_space(dataset), file_, full, "cannot get dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) detail::fail(file_, full, "cannot get rank");
  std::vector<hsize_t> extent(static_cast<std::size_t>(rank));
  detail::check(H5Sget_simple_extent_dims(space.get(), extent.data(), nullptr), file_, full,
                "cannot get dims");
  refuse_implausible_extent(dataset, full, extent);
  return {extent.begin(), extent.end()};
}

void Group::refuse_implausible_extent(hid_t dataset, const std::string& full,
                                      const std::vector<hsize_t>& extent) const {
  // A damaged or crafted file may declare more values than it can hold; reading them would
  // allocate memory for all of them. tipsim writes every value, and gzip shrinks data at
  // most about a thousandfold, so a file of B bytes holds at most about 1,100 B values.
  long double values = 1;
  for (const hsize_t e : extent) values *= static_cast<long double>(e);
  const hid_t file = H5Iget_file_id(dataset);
  if (file < 0) return;
  hsize_t bytes = 0;
  const herr_t sized = H5Fget_filesize(file, &bytes);
  H5Idec_ref(file);
  if (sized < 0) return;
  const long double most = 1100.0L * static_cast<long double>(bytes) + 1048576.0L;
  if (values > most) {
    detail::fail(file_, full,
                 "declares " +
                     (values < 1.8e19L ? std::to_string(static_cast<std::uint64_t>(values))
                                       : std::to_string(static_cast<double>(values))) +
                     " values, more than a file of " + std::to_string(bytes) +
                     " bytes can hold: a damaged or crafted file");
  }
}

void Group::read_all(hid_t dataset, std::string_view name, hid_t mem_type, void* out) const {
  const std::string full = child_path(name);
  const Handle space(detail::check_id(H5Dget_space(dataset), file_, full, "cannot get dataspace"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) detail::fail(file_, full, "cannot count elements");
  if (points == 0) return;
  detail::check(H5Dread(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), file_, full,
                "cannot read dataset (incompatible type?)");
}

void Group::label(hid_t dataset, std::string_view name, const DatasetOptions& options) {
  if (options.unit.empty() && options.description.empty()) return;
  // A second reference lets Object own its handle while the caller keeps the dataset open.
  detail::check(H5Iinc_ref(dataset), file_, child_path(name), "cannot reference dataset");
  Object object(Handle(dataset), file_, child_path(name));
  if (!options.unit.empty()) object.set_string_attribute("unit", options.unit);
  if (!options.description.empty()) {
    object.set_string_attribute("description", options.description);
  }
}

void Group::write_raw(std::string_view name, hid_t mem_type, const void* data, std::size_t count,
                      std::vector<std::uint64_t> dims, const DatasetOptions& options) {
  detail::silence_errors();
  const std::string full = child_path(name);
  if (dims.empty()) dims.push_back(count);
  if (dims.size() > 2) detail::fail(file_, full, "only 1-D and 2-D datasets are supported");
  if (element_count(dims) != count) {
    detail::fail(file_, full,
                 "dims hold " + std::to_string(element_count(dims)) + " values but data has " +
                     std::to_string(count));
  }
  check_deflate(options.deflate_level, file_, full);
  const std::vector<hsize_t> extent(dims.begin(), dims.end());
  const Handle space(
      detail::check_id(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr),
                       file_, full, "cannot create dataspace"));
  const Handle dcpl = untimed_create_plist(H5P_DATASET_CREATE, file_, full);
  // An empty dataset cannot be chunked with fixed dims, and gains nothing from it.
  // Fixed datasets are chunked too when they carry checksums, uncompressed unless asked.
  if ((options.chunk_rows > 0 || compress_) && count > 0 && extent[0] > 0) {
    std::vector<hsize_t> chunk = extent;
    chunk[0] = options.chunk_rows > 0 ? std::min<hsize_t>(options.chunk_rows, extent[0])
                                      : checksum_chunk_rows(extent, H5Tget_size(mem_type));
    for (hsize_t& e : chunk) e = std::max<hsize_t>(e, 1);
    detail::check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), file_,
                  full, "cannot set chunking");
    if (compress_ && options.chunk_rows > 0) {
      set_compression(dcpl.get(), options.deflate_level, file_, full);
    }
    if (compress_) set_checksum(dcpl.get(), file_, full);
  }
  const Handle file_type = little_endian_copy(mem_type, file_, full);
  const std::string relative(name);
  const Handle dataset(
      detail::check_id(H5Dcreate2(handle_.get(), relative.c_str(), file_type.get(), space.get(),
                                  H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                       file_, full, "cannot create dataset"));
  if (count > 0) {
    detail::check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), file_,
                  full, "cannot write dataset");
  }
  label(dataset.get(), name, options);
}

void Group::write_strings(std::string_view name, std::span<const std::string> values,
                          const DatasetOptions& options) {
  detail::silence_errors();
  const std::string full = child_path(name);
  check_deflate(options.deflate_level, file_, full);
  const Handle type = detail::variable_string_type(H5T_CSET_UTF8, file_, full);
  const hsize_t extent = values.size();
  const Handle space(detail::check_id(H5Screate_simple(1, &extent, nullptr), file_, full,
                                      "cannot create dataspace"));
  const Handle dcpl = untimed_create_plist(H5P_DATASET_CREATE, file_, full);
  if (options.chunk_rows > 0 && !values.empty()) {
    const hsize_t chunk = std::min<hsize_t>(options.chunk_rows, extent);
    detail::check(H5Pset_chunk(dcpl.get(), 1, &chunk), file_, full, "cannot set chunking");
    if (compress_) set_compression(dcpl.get(), options.deflate_level, file_, full);
  } else if (extent > 0 && extent <= kMostCompactStrings) {
    // Checksums cannot filter variable-length strings; in the object header (whose
    // checksum covers it), a damaged reference into the heap of strings is found before
    // the library follows it.
    detail::check(H5Pset_layout(dcpl.get(), H5D_COMPACT), file_, full, "cannot set layout");
  }
  const std::string relative(name);
  const Handle dataset(
      detail::check_id(H5Dcreate2(handle_.get(), relative.c_str(), type.get(), space.get(),
                                  H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                       file_, full, "cannot create dataset"));
  if (!values.empty()) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& value : values) pointers.push_back(value.c_str());
    detail::check(
        H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), file_,
        full, "cannot write dataset");
  }
  label(dataset.get(), name, options);
}

std::vector<std::string> Group::read_strings(std::string_view name) const {
  const std::string full = child_path(name);
  const Handle dataset = open_dataset(name);
  const Handle file_type(
      detail::check_id(H5Dget_type(dataset.get()), file_, full, "cannot get dataset type"));
  if (H5Tget_class(file_type.get()) != H5T_STRING) {
    detail::fail(file_, full, "dataset does not hold strings");
  }
  const Handle space(
      detail::check_id(H5Dget_space(dataset.get()), file_, full, "cannot get dataspace"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) detail::fail(file_, full, "cannot count elements");
  refuse_implausible_extent(dataset.get(), full, {static_cast<hsize_t>(points)});
  const auto count = static_cast<std::size_t>(points);
  if (count == 0) return {};

  const htri_t variable = H5Tis_variable_str(file_type.get());
  detail::check(variable, file_, full, "cannot inspect string type");
  if (variable > 0) {
    detail::check_string_references(dataset.get(), true, file_, full);
    const Handle mem_type = detail::variable_string_type(H5Tget_cset(file_type.get()), file_, full);
    detail::VariableStrings strings(count, mem_type.get(), space.get());
    detail::check(
        H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.buffer()),
        file_, full, "cannot read dataset");
    return strings.values();
  }
  const std::size_t width = H5Tget_size(file_type.get());
  std::vector<char> buffer(width * count);
  detail::check(
      H5Dread(dataset.get(), file_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), file_,
      full, "cannot read dataset");
  const bool space_padded = H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD;
  std::vector<std::string> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    values.emplace_back(detail::fixed_string_value(
        std::string_view(buffer.data() + i * width, width), space_padded));
  }
  return values;
}

void Group::check_record_size(std::string_view name, const CompoundType& type,
                              std::size_t record_size) const {
  if (type.size() != record_size) {
    detail::fail(file_, child_path(name),
                 "compound type of " + std::to_string(type.size()) +
                     " bytes does not match the record's " + std::to_string(record_size));
  }
}

Handle Group::create_chunked(std::string_view name, hid_t file_type, std::uint64_t columns,
                             bool two_d, std::uint64_t chunk_rows, const DatasetOptions& options) {
  detail::silence_errors();
  const std::string full = child_path(name);
  check_deflate(options.deflate_level, file_, full);
  const int rank = two_d ? 2 : 1;
  const hsize_t extent[2] = {0, columns};
  const hsize_t max_extent[2] = {H5S_UNLIMITED, columns};
  const hsize_t chunk[2] = {chunk_rows, columns};
  const Handle space(detail::check_id(H5Screate_simple(rank, extent, max_extent), file_, full,
                                      "cannot create dataspace"));
  const Handle dcpl = untimed_create_plist(H5P_DATASET_CREATE, file_, full);
  detail::check(H5Pset_chunk(dcpl.get(), rank, chunk), file_, full, "cannot set chunking");
  if (compress_) {
    set_compression(dcpl.get(), options.deflate_level, file_, full);
    set_checksum(dcpl.get(), file_, full);
  }
  detail::check(H5Pset_chunk_opts(dcpl.get(), H5D_CHUNK_DONT_FILTER_PARTIAL_CHUNKS), file_, full,
                "cannot set chunk options");
  // Appends touch one chunk at a time; the cache must hold it whole, or every append
  // would re-read, re-compress and re-write the chunk. It holds no more than that one:
  // a chunk is compressed and written as soon as appends move on to the next, so a file
  // written while a run goes on does that work as it goes, not all at its close.
  const std::uint64_t chunk_bytes = chunk_rows * columns * H5Tget_size(file_type);
  const Handle dapl(
      detail::check_id(H5Pcreate(H5P_DATASET_ACCESS), file_, full, "cannot create plist"));
  detail::check(H5Pset_chunk_cache(dapl.get(), 521, chunk_bytes + chunk_bytes / 2, 1.0), file_,
                full, "cannot size chunk cache");
  const std::string relative(name);
  Handle dataset(detail::check_id(H5Dcreate2(handle_.get(), relative.c_str(), file_type,
                                             space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()),
                                  file_, full, "cannot create dataset"));
  label(dataset.get(), name, options);
  return dataset;
}

detail::AppendableDataset Group::create_appendable(std::string_view name, const CompoundType& type,
                                                   std::uint64_t chunk_rows,
                                                   const DatasetOptions& options) {
  const std::string full = child_path(name);
  if (type.member_count() == 0) detail::fail(file_, full, "compound type has no members");
  const Handle file_type = type.packed_copy();
  Handle dataset = create_chunked(name, file_type.get(), 1, false,
                                  chunk_rows == 0 ? kDefaultTableChunkRows : chunk_rows, options);
  Handle mem_type(detail::check_id(H5Tcopy(type.id()), file_, full, "cannot copy type"));
  return detail::AppendableDataset(std::move(dataset), std::move(mem_type), file_, full);
}

detail::AppendableDataset Group::create_numeric_appendable(std::string_view name, hid_t mem_type,
                                                           std::uint64_t columns,
                                                           const DatasetOptions& options,
                                                           bool matrix) {
  const std::string full = child_path(name);
  if (columns == 0) detail::fail(file_, full, "a series needs at least one column");
  std::uint64_t chunk_rows = options.chunk_rows;
  if (chunk_rows == 0) {
    const std::uint64_t row_bytes = columns * H5Tget_size(mem_type);
    chunk_rows =
        std::clamp<std::uint64_t>(kTargetChunkBytes / row_bytes, 1, kDefaultSeriesChunkRows);
  }
  const Handle file_type = little_endian_copy(mem_type, file_, full);
  Handle dataset =
      create_chunked(name, file_type.get(), columns, matrix || columns > 1, chunk_rows, options);
  // A copy, so the appendable always owns its memory type whatever it was built from.
  Handle own_mem_type(detail::check_id(H5Tcopy(mem_type), file_, full, "cannot copy type"));
  return detail::AppendableDataset(std::move(dataset), std::move(own_mem_type), file_, full);
}

detail::AppendableDataset Group::open_appendable(std::string_view name, const CompoundType& type) {
  detail::silence_errors();
  const std::string full = child_path(name);
  const Handle dapl(
      detail::check_id(H5Pcreate(H5P_DATASET_ACCESS), file_, full, "cannot create plist"));
  detail::check(H5Pset_chunk_cache(dapl.get(), 521, 4 * kTargetChunkBytes, 1.0), file_, full,
                "cannot size chunk cache");
  const std::string relative(name);
  Handle dataset(detail::check_id(H5Dopen2(handle_.get(), relative.c_str(), dapl.get()), file_,
                                  full, "cannot open dataset"));
  Handle mem_type(detail::check_id(H5Tcopy(type.id()), file_, full, "cannot copy type"));
  return detail::AppendableDataset(std::move(dataset), std::move(mem_type), file_, full);
}

}  // namespace tipsim::h5
