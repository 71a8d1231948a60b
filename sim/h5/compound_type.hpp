#pragma once
/// In-memory description of a record struct as an HDF5 compound type, so tables of records
/// can be written and read by member name (h5py sees a structured numpy array).
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "sim/h5/handle.hpp"

namespace tipsim::h5 {

/// A compound datatype matching one C++ record layout. Build it with `of<Record>()` and one
/// `add` per member (or TIPSIM_H5_MEMBER). Members not added are neither written nor read.
/// Invariant: every member lies inside [0, size()) and members do not overlap.
class CompoundType {
 public:
  /// An empty compound of `record_size` bytes (sizeof the record).
  explicit CompoundType(std::size_t record_size);

  /// An empty compound sized for Record, which must be trivially copyable and
  /// standard-layout so that offsetof and byte-wise copies are valid.
  template <class Record>
  [[nodiscard]] static CompoundType of() {
    static_assert(std::is_trivially_copyable_v<Record> && std::is_standard_layout_v<Record>,
                  "table records must be plain structs");
    return CompoundType(sizeof(Record));
  }

  /// Adds member `name` of type T at byte `offset`. T is a Numeric type or an enum whose
  /// underlying type is Numeric (stored as that integer). Throws IoError when the member
  /// does not fit or overlaps another.
  template <class T>
  CompoundType& add(std::string_view name, std::size_t offset) {
    if constexpr (std::is_enum_v<T>) {
      using Underlying = std::underlying_type_t<T>;
      static_assert(Numeric<Underlying>, "enum members need a fixed-width underlying type");
      return add_member(name, offset, sizeof(T), native_type<Underlying>());
    } else {
      static_assert(Numeric<T>, "compound members must be Numeric or enums");
      return add_member(name, offset, sizeof(T), native_type<T>());
    }
  }

  /// The compound's identifier, owned by this object.
  [[nodiscard]] hid_t id() const noexcept { return type_.get(); }
  /// Bytes per record in memory.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Number of members added so far.
  [[nodiscard]] int member_count() const noexcept { return members_; }
  /// A new copy without padding, used as the on-disk type so files hold no padding bytes.
  [[nodiscard]] Handle packed_copy() const;

 private:
  CompoundType& add_member(std::string_view name, std::size_t offset, std::size_t bytes,
                           hid_t member_type);

  Handle type_;
  std::size_t size_;
  int members_ = 0;
};

}  // namespace tipsim::h5

/// Adds `Record::member` to `compound` under the member's own name.
#define TIPSIM_H5_MEMBER(compound, Record, member) \
  (compound).add<decltype(Record::member)>(#member, offsetof(Record, member))
