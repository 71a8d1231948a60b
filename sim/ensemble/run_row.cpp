#include "sim/ensemble/run_row.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace tipsim::ensemble {
namespace {

constexpr std::uint32_t kRowFormat = 1;

class Out {
 public:
  template <class T>
  void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes_.append(s);
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    if (!v.empty()) bytes_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class In {
 public:
  explicit In(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <class T>
  std::vector<T> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > bytes_.size() / sizeof(T)) fail();
    need(n * sizeof(T));
    std::vector<T> v(n);
    // An empty vector's data() may be null, which memcpy may not be given even for 0 bytes.
    if (n > 0) std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return v;
  }
  void finish() const {
    if (pos_ != bytes_.size()) fail();
  }

 private:
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - pos_) fail();
  }
  [[noreturn]] static void fail() { throw std::runtime_error("malformed run record"); }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string serialize(const RunRow& row) {
  Out out;
  out.put(kRowFormat);
  out.put(row.run);
  out.put<std::uint8_t>(row.failed ? 1 : 0);
  out.put_string(row.message);
  out.put(row.wall_seconds);
  out.put<std::uint64_t>(row.indicators.size());
  for (const auto& [name, value] : row.indicators) {
    out.put_string(name);
    out.put(value);
  }
  out.put_vector(row.days);
  out.put<std::uint64_t>(row.series.size());
  for (const auto& s : row.series) out.put_vector(s);
  return out.take();
}

RunRow deserialize(std::string_view bytes) {
  In in(bytes);
  if (in.get<std::uint32_t>() != kRowFormat) throw std::runtime_error("unknown run record format");
  RunRow row;
  row.run = in.get<std::uint64_t>();
  row.failed = in.get<std::uint8_t>() != 0;
  row.message = in.get_string();
  row.wall_seconds = in.get<double>();
  const auto indicators = in.get<std::uint64_t>();
  if (indicators > bytes.size()) throw std::runtime_error("malformed run record");
  row.indicators.reserve(indicators);
  for (std::uint64_t i = 0; i < indicators; ++i) {
    std::string name = in.get_string();
    row.indicators.emplace_back(std::move(name), in.get<double>());
  }
  row.days = in.get_vector<std::int32_t>();
  const auto series = in.get<std::uint64_t>();
  if (series > bytes.size()) throw std::runtime_error("malformed run record");
  for (std::uint64_t i = 0; i < series; ++i) row.series.push_back(in.get_vector<double>());
  in.finish();
  return row;
}

std::uint64_t fnv1a64(std::string_view bytes) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace tipsim::ensemble
