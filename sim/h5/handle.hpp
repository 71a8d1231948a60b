#pragma once
/// Owning wrapper around HDF5 identifiers, the numeric types this layer stores, and the
/// error conversion shared by every class in tipsim::h5.
///
/// Every failure inside tipsim::h5 is reported as tipsim::IoError with a message of the form
/// "<file>: <object path>: <what failed> (<innermost HDF5 message>)".
#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace tipsim::h5 {

/// Element types a dataset, series, attribute array or compound member may hold.
template <class T>
concept Numeric = std::same_as<T, std::int8_t> || std::same_as<T, std::uint8_t> ||
    std::same_as<T, std::int16_t> || std::same_as<T, std::int32_t> ||
    std::same_as<T, std::uint32_t> || std::same_as<T, std::int64_t> ||
    std::same_as<T, std::uint64_t> || std::same_as<T, float> || std::same_as<T, double>;

/// The HDF5 in-memory type of T. Predefined: never closed by the caller.
template <Numeric T>
[[nodiscard]] hid_t native_type() {
  if constexpr (std::same_as<T, std::int8_t>) return H5T_NATIVE_INT8;
  if constexpr (std::same_as<T, std::uint8_t>) return H5T_NATIVE_UINT8;
  if constexpr (std::same_as<T, std::int16_t>) return H5T_NATIVE_INT16;
  if constexpr (std::same_as<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::same_as<T, std::uint32_t>) return H5T_NATIVE_UINT32;
  if constexpr (std::same_as<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::same_as<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::same_as<T, float>) return H5T_NATIVE_FLOAT;
  if constexpr (std::same_as<T, double>) return H5T_NATIVE_DOUBLE;
}

/// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, attribute or
/// property list) and closes it with the matching H5*close. Move-only. An identifier that
/// HDF5 already invalidated (or a predefined one) is left alone.
class Handle {
 public:
  Handle() = default;
  /// Takes ownership of `id`; a negative id gives an empty handle.
  explicit Handle(hid_t id) noexcept : id_(id) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.release()) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.release();
    }
    return *this;
  }

  /// The raw identifier, still owned by this handle; negative when empty.
  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
  /// Gives up ownership and returns the identifier.
  hid_t release() noexcept {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }
  /// Closes the identifier now. Close errors are ignored: destructors cannot report them,
  /// and File::close is the place that reports a failed final write.
  void reset() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
};

namespace detail {

/// Turns off HDF5's printing of its error stack for the calling thread (the library keeps
/// that setting per thread). Cheap after the first call on a thread.
void silence_errors() noexcept;

/// Throws IoError("<file>: <object>: <what> (<innermost HDF5 message>)") and clears the
/// HDF5 error stack.
[[noreturn]] void fail(std::string_view file, std::string_view object, std::string_view what);

/// Returns `id` when it is valid, otherwise throws as `fail` does.
hid_t check_id(hid_t id, std::string_view file, std::string_view object, std::string_view what);

/// Throws as `fail` does when `status` is negative.
void check(herr_t status, std::string_view file, std::string_view object, std::string_view what);

}  // namespace detail
}  // namespace tipsim::h5
