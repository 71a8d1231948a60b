#pragma once
/// Internal to tipsim::h5: checks the references of variable-length strings into the file's
/// global heap before the library follows them. The heap carries no checksum, and libhdf5
/// 1.10 trusts it: a damaged heap makes it loop for ever or read outside its buffers.
#include <string_view>

#include "sim/h5/handle.hpp"

namespace tipsim::h5::detail {

/// Checks every string of `object` (an attribute, or a dataset when `dataset` is true; its
/// type a variable-length string) against the heap collection it points into, reading the
/// collection's bytes from the file. Throws IoError("<file>: <where>: the file is damaged
/// (...)") when a reference or a collection is not what the library expects. Files held in
/// memory (written by this process) are not checked.
void check_string_references(hid_t object, bool dataset, std::string_view file,
                             std::string_view where);

/// Keeps the links of a group (`group` true) and the attributes of an object created with
/// plist `plist` in its object header, whose checksum covers them, rather than in HDF5's
/// "dense" storage (a fractal heap whose blocks carry no checksum).
void keep_compact(hid_t plist, bool group, std::string_view file, std::string_view where);

/// Refuses a group whose links are in dense storage, or an object whose attributes are:
/// tipsim does not write them so, and libhdf5 1.10 crashes on a damaged one.
void refuse_dense_links(hid_t group, std::string_view file, std::string_view where);
void refuse_dense_attributes(hid_t object, std::string_view file, std::string_view where);

}  // namespace tipsim::h5::detail
