#pragma once
/// Internal to tipsim::h5: helpers shared by the dataset (group.cpp) and attribute
/// (object.cpp) code for names and strings.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/h5/handle.hpp"

namespace tipsim::h5::detail {

/// H5Literate / H5Aiterate2 callback appending each name to the std::vector<std::string>
/// at `data`. `Info` is H5L_info_t or H5A_info_t.
template <class Info>
herr_t collect_name(hid_t /*location*/, const char* name, const Info* /*info*/, void* data) {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;  // Exceptions must not cross the C library; the caller reports the failure.
  }
}

/// A copy of H5T_C_S1 resized to variable length, in character set `cset`.
Handle variable_string_type(H5T_cset_t cset, std::string_view file, std::string_view where);

/// Receives a variable-length string read of `count` values and gives the library's
/// allocations back when destroyed, also when the read failed halfway. `mem_type` and
/// `space` must outlive this object.
class VariableStrings {
 public:
  VariableStrings(std::size_t count, hid_t mem_type, hid_t space)
      : pointers_(count, nullptr), mem_type_(mem_type), space_(space) {}
  ~VariableStrings();
  VariableStrings(const VariableStrings&) = delete;
  VariableStrings& operator=(const VariableStrings&) = delete;

  /// The buffer to pass to H5Dread / H5Aread.
  [[nodiscard]] void* buffer() noexcept { return pointers_.data(); }
  /// The strings read, a null pointer read as "".
  [[nodiscard]] std::vector<std::string> values() const;

 private:
  std::vector<char*> pointers_;
  hid_t mem_type_;
  hid_t space_;
};

/// One fixed-length string as stored: cut at the first NUL, and trailing blanks removed
/// when the type is space-padded.
[[nodiscard]] std::string_view fixed_string_value(std::string_view stored, bool space_padded);

}  // namespace tipsim::h5::detail
