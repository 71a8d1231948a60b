#include "sim/h5/appendable.hpp"

#include <utility>

namespace tipsim::h5::detail {

AppendableDataset::AppendableDataset(Handle dataset, Handle mem_type, std::string file,
                                     std::string path)
    : dataset_(std::move(dataset)),
      mem_type_(std::move(mem_type)),
      file_(std::move(file)),
      path_(std::move(path)) {
  const Handle space(check_id(H5Dget_space(dataset_.get()), file_, path_, "cannot get dataspace"));
  rank_ = H5Sget_simple_extent_ndims(space.get());
  if (rank_ != 1 && rank_ != 2) fail(file_, path_, "appendable datasets must be 1-D or 2-D");
  hsize_t extent[2] = {0, 1};
  hsize_t max_extent[2] = {0, 1};
  check(H5Sget_simple_extent_dims(space.get(), extent, max_extent), file_, path_,
        "cannot get dims");
  if (max_extent[0] != H5S_UNLIMITED) fail(file_, path_, "dataset is not extendable");
  rows_ = extent[0];
  columns_ = rank_ == 2 ? extent[1] : 1;
  const Handle dcpl(
      check_id(H5Dget_create_plist(dataset_.get()), file_, path_, "cannot get creation plist"));
  hsize_t chunk[2] = {0, 0};
  if (H5Pget_chunk(dcpl.get(), 2, chunk) < 0) fail(file_, path_, "dataset is not chunked");
  chunk_rows_ = chunk[0];
}

void AppendableDataset::append_rows(const void* data, std::uint64_t count) {
  silence_errors();
  if (count == 0) return;
  const hsize_t old_extent[2] = {rows_, columns_};
  const hsize_t new_extent[2] = {rows_ + count, columns_};
  check(H5Dset_extent(dataset_.get(), new_extent), file_, path_, "cannot extend dataset");
  herr_t status = -1;
  {
    const Handle file_space(H5Dget_space(dataset_.get()));
    const hsize_t start[2] = {rows_, 0};
    const hsize_t block[2] = {count, columns_};
    const Handle mem_space(H5Screate_simple(rank_, block, nullptr));
    if (file_space.valid() && mem_space.valid() &&
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr) >=
            0) {
      status = H5Dwrite(dataset_.get(), mem_type_.get(), mem_space.get(), file_space.get(),
                        H5P_DEFAULT, data);
    }
  }
  if (status < 0) {
    try {
      fail(file_, path_, "cannot append rows");
    } catch (...) {
      // Keep size() truthful: drop the rows that were added but not written.
      H5Dset_extent(dataset_.get(), old_extent);
      H5Eclear2(H5E_DEFAULT);
      throw;
    }
  }
  rows_ += count;
  // A chunk the rows fill exactly stays in the cache until appends need the room: write it
  // now. (One the rows went past was written when the next chunk took its place.)
  if (chunk_rows_ > 0 && rows_ % chunk_rows_ == 0)
    check(H5Dflush(dataset_.get()), file_, path_, "cannot write chunk");
}

}  // namespace tipsim::h5::detail
