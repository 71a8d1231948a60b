#include "sim/h5/compound_type.hpp"

#include <string>

#include "sim/error.hpp"

namespace tipsim::h5 {
namespace {
constexpr std::string_view kWhere = "<compound type>";
}  // namespace

CompoundType::CompoundType(std::size_t record_size) : size_(record_size) {
  detail::silence_errors();
  if (record_size == 0) {
    throw IoError(std::string(kWhere) + ": record size must be positive");
  }
  type_ = Handle(detail::check_id(H5Tcreate(H5T_COMPOUND, record_size), kWhere, "",
                                  "cannot create compound type"));
}

CompoundType& CompoundType::add_member(std::string_view name, std::size_t offset, std::size_t bytes,
                                       hid_t member_type) {
  const std::string member(name);
  if (member.empty() || offset + bytes > size_) {
    throw IoError(std::string(kWhere) + ": member '" + member + "' does not fit a record of " +
                  std::to_string(size_) + " bytes");
  }
  detail::check(H5Tinsert(type_.get(), member.c_str(), offset, member_type), kWhere, member,
                "cannot add compound member (duplicate name or overlap?)");
  ++members_;
  return *this;
}

Handle CompoundType::packed_copy() const {
  Handle packed(detail::check_id(H5Tcopy(type_.get()), kWhere, "", "cannot copy compound type"));
  detail::check(H5Tpack(packed.get()), kWhere, "", "cannot pack compound type");
  return packed;
}

}  // namespace tipsim::h5
