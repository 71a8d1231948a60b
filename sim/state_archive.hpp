#pragma once
/// A binary image of a model's state, for checkpoints: StateWriter appends values to bytes,
/// StateReader reads them back in the same order. A type lists its fields once, in
/// `transfer(Archive&, T&)` found by argument-dependent lookup or a member
/// `transfer(Archive&)`, and the same list serves both directions. Values that are
/// trivially copyable are copied as bytes; containers carry their size first.
///
/// The image is tied to the build that wrote it (byte order, type layout); its reader checks
/// every size against what is left, so a damaged or foreign image ends in IoError rather
/// than in a huge allocation or a read past its end.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sim/error.hpp"

namespace tipsim {

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_deque : std::false_type {};
template <class T, class A>
struct is_deque<std::deque<T, A>> : std::true_type {};
template <class T>
struct is_unordered_set : std::false_type {};
template <class T, class H, class E, class A>
struct is_unordered_set<std::unordered_set<T, H, E, A>> : std::true_type {};
template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

/// Bytes copied as they are: numbers, enums and structs of them, never pointers.
template <class T>
inline constexpr bool kCopiedAsBytes = std::is_trivially_copyable_v<T> && !std::is_pointer_v<T>;

class StateWriter {
 public:
  static constexpr bool kLoading = false;

  template <class... T>
  void operator()(const T&... values) {
    (put(values), ...);
  }

  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  [[nodiscard]] std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  void put_bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + n);
  }
  void put_size(std::size_t n) {
    const auto size = static_cast<std::uint64_t>(n);
    put_bytes(&size, sizeof size);
  }

  template <class T>
  void put(const T& v) {
    static_assert(!std::is_pointer_v<T>, "a pointer has no meaning in another process");
    if constexpr (is_pair<T>::value) {
      put(v.first);
      put(v.second);
    } else if constexpr (kCopiedAsBytes<T>) {
      put_bytes(&v, sizeof v);
    } else if constexpr (std::is_same_v<T, std::string>) {
      put_size(v.size());
      put_bytes(v.data(), v.size());
    } else if constexpr (is_vector<T>::value) {
      static_assert(!std::is_same_v<T, std::vector<bool>>, "std::vector<bool> has no bytes");
      put_size(v.size());
      if constexpr (kCopiedAsBytes<typename T::value_type> &&
                    !is_pair<typename T::value_type>::value) {
        put_bytes(v.data(), v.size() * sizeof(typename T::value_type));
      } else {
        for (const auto& item : v) put(item);
      }
    } else if constexpr (is_deque<T>::value) {
      put_size(v.size());
      for (const auto& item : v) put(item);
    } else if constexpr (is_unordered_set<T>::value) {
      // In ascending order: the image does not depend on the set's bucket layout.
      std::vector<typename T::value_type> sorted(v.begin(), v.end());
      std::sort(sorted.begin(), sorted.end());
      put(sorted);
    } else {
      // The field list is shared with the reader, so it takes a mutable reference; the
      // writer only reads through it.
      transfer_fields(*this, const_cast<T&>(v));
    }
  }

  template <class T>
  static void transfer_fields(StateWriter& w, T& v) {
    if constexpr (requires { v.transfer(w); }) {
      v.transfer(w);
    } else {
      transfer(w, v);
    }
  }

  std::vector<std::uint8_t> bytes_;
};

class StateReader {
 public:
  static constexpr bool kLoading = true;

  /// Reads from `bytes`; `source` names them in errors (a checkpoint file).
  StateReader(std::span<const std::uint8_t> bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}

  template <class... T>
  void operator()(T&... values) {
    (get(values), ...);
  }

  [[nodiscard]] bool at_end() const { return at_ == bytes_.size(); }
  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  [[noreturn]] void damaged(const char* what) const {
    throw IoError(source_ +
                  ": the saved state is damaged or was written by another build of "
                  "tipsim (" +
                  what + " at byte " + std::to_string(at_) + " of " +
                  std::to_string(bytes_.size()) + ")");
  }
  void get_bytes(void* out, std::size_t n) {
    if (n > bytes_.size() - at_) damaged("it ends early");
    if (n > 0) std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
  }
  /// A count of items that take at least `item_bytes` each: never more than what is left.
  std::size_t get_size(std::size_t item_bytes) {
    std::uint64_t size = 0;
    get_bytes(&size, sizeof size);
    if (size > (bytes_.size() - at_) / std::max<std::size_t>(1, item_bytes))
      damaged("a count larger than the data");
    return static_cast<std::size_t>(size);
  }

  template <class T>
  void get(T& v) {
    static_assert(!std::is_pointer_v<T>, "a pointer has no meaning in another process");
    if constexpr (is_pair<T>::value) {
      get(v.first);
      get(v.second);
    } else if constexpr (kCopiedAsBytes<T>) {
      get_bytes(&v, sizeof v);
    } else if constexpr (std::is_same_v<T, std::string>) {
      v.resize(get_size(1));
      get_bytes(v.data(), v.size());
    } else if constexpr (is_vector<T>::value) {
      using Item = typename T::value_type;
      if constexpr (kCopiedAsBytes<Item> && !is_pair<Item>::value) {
        v.resize(get_size(sizeof(Item)));
        get_bytes(v.data(), v.size() * sizeof(Item));
      } else {
        v.clear();
        v.resize(get_size(1));
        for (auto& item : v) get(item);
      }
    } else if constexpr (is_deque<T>::value) {
      v.clear();
      v.resize(get_size(1));
      for (auto& item : v) get(item);
    } else if constexpr (is_unordered_set<T>::value) {
      std::vector<typename T::value_type> sorted;
      get(sorted);
      v.clear();
      v.insert(sorted.begin(), sorted.end());
    } else if constexpr (requires { v.transfer(*this); }) {
      v.transfer(*this);
    } else {
      transfer(*this, v);
    }
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
  std::string source_;
};

}  // namespace tipsim
