#pragma once
/// A small JSON reader, the counterpart of the writer in json.hpp: enough to read back the
/// documents tipsim writes (summaries, comparisons) and to flatten them into named numbers.
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tipsim {

/// One JSON value. Objects keep their members in document order.
struct JsonValue {
  using Items = std::vector<JsonValue>;
  /// An object's members in document order: keys[i] names values[i]. (Not a vector of
  /// pairs: clang with libstdc++ refuses a pair of the incomplete JsonValue here.)
  struct Members {
    std::vector<std::string> keys;
    Items values;
  };
  std::variant<std::monostate, bool, double, std::string, Items, Members> value;

  [[nodiscard]] bool is_null() const { return value.index() == 0; }
  [[nodiscard]] bool is_number() const { return value.index() == 2; }
  [[nodiscard]] bool is_string() const { return value.index() == 3; }
  [[nodiscard]] const Members* members() const { return std::get_if<Members>(&value); }
  [[nodiscard]] const Items* items() const { return std::get_if<Items>(&value); }
  /// The member `key` of an object, or nullptr.
  [[nodiscard]] const JsonValue* find(std::string_view key) const;
};

/// Parses one JSON document; throws std::invalid_argument naming the byte offset of the
/// first error. Numbers are read as doubles (exact for integers up to 2^53).
[[nodiscard]] JsonValue parse_json(std::string_view text);

/// The numbers of a document as (path, value) pairs in document order. Paths join object
/// keys with '.'; an array element is named by its "name" member, else its "date" member,
/// else its index; a two-number array under the key "ci" gives `ci_low` and `ci_high`.
/// null gives NaN (a quantity with no value in this document). Strings and booleans are
/// left out.
[[nodiscard]] std::vector<std::pair<std::string, double>> flatten_numbers(const JsonValue& doc);

}  // namespace tipsim
