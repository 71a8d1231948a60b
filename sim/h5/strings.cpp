#include "sim/h5/strings.hpp"

namespace tipsim::h5::detail {

Handle variable_string_type(H5T_cset_t cset, std::string_view file, std::string_view where) {
  Handle type(check_id(H5Tcopy(H5T_C_S1), file, where, "cannot make string type"));
  check(H5Tset_size(type.get(), H5T_VARIABLE), file, where, "cannot size string");
  // Reads must keep the stored character set: the library does not convert between them.
  check(H5Tset_cset(type.get(), cset), file, where, "cannot set character set");
  return type;
}

VariableStrings::~VariableStrings() {
  // Null entries (values never read) are skipped by the library.
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(mem_type_, space_, H5P_DEFAULT, pointers_.data());
#else
  H5Dvlen_reclaim(mem_type_, space_, H5P_DEFAULT, pointers_.data());
#endif
}

std::vector<std::string> VariableStrings::values() const {
  std::vector<std::string> values;
  values.reserve(pointers_.size());
  for (const char* pointer : pointers_) values.emplace_back(pointer == nullptr ? "" : pointer);
  return values;
}

std::string_view fixed_string_value(std::string_view stored, bool space_padded) {
  stored = stored.substr(0, stored.find('\0'));
  if (space_padded) stored = stored.substr(0, stored.find_last_not_of(' ') + 1);
  return stored;
}

}  // namespace tipsim::h5::detail
