#pragma once
/// A small JSON writer: indented output, keys in the order they are written. Written by
/// hand because the project carries no JSON library.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tipsim {

/// `text` as a quoted JSON string: quotes, backslashes, control characters and DEL
/// escaped; other bytes (UTF-8 included) copied as they are. The result is also a valid
/// YAML double-quoted scalar, so scenario output uses it too.
[[nodiscard]] std::string json_quote(std::string_view text);

/// Shortest text that reads back as exactly `value`; "null" for NaN and infinities, which
/// JSON cannot represent.
[[nodiscard]] std::string json_number(double value);

/// Builds one JSON document. Calls must nest properly (object members need key() first);
/// the writer inserts commas, newlines and indentation.
class JsonWriter {
 public:
  /// `indent` spaces per level; 0 writes everything on one line.
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// Names the next value inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& unsigned_integer(std::uint64_t value);
  JsonWriter& number(double value);
  /// The number, or null when empty.
  JsonWriter& number(std::optional<double> value);
  JsonWriter& null();
  JsonWriter& boolean(bool value);

  /// The document so far; once the outermost value is closed, indented output ends in a
  /// newline (one-line output does not).
  [[nodiscard]] const std::string& str() const noexcept { return out_; }

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline();

  struct Level {
    bool empty = true;
  };
  int indent_;
  std::string out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace tipsim
