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

}  // namespace tipsim::h5::detail
