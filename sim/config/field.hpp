#pragma once
/// Internal to the config module: the tree a Reader records while model code reads parameters.
/// It holds both the resolved values (normal mode) and the declarations (schema mode), so one
/// walk of the model's reading code feeds the resolved YAML, the JSON Schema and the docs.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/config/reader.hpp"
#include "sim/date.hpp"

namespace tipsim::config::detail {

enum class FieldType { object, list, number, integer, boolean, text, date, numbers, texts };

/// A parameter value; monostate means "none" (no default, or not resolved).
using Value = std::variant<std::monostate, double, std::int64_t, bool, std::string, Date,
                           std::vector<double>, std::vector<std::string>>;

/// One declared parameter, or an object/list of them.
struct Field {
  FieldType type = FieldType::object;
  FieldDoc doc;
  Range range;
  bool required = false;
  /// May be null: an optional value with no default (Reader::optional_number/_text).
  bool nullable = false;
  Value default_value;
  Value value;
  std::vector<std::string> choices;
  std::size_t min_items = 0;
  /// Object members in reading order.
  std::vector<std::pair<std::string, std::unique_ptr<Field>>> properties;
  /// List elements (each an object); in schema mode, the single prototype.
  std::vector<std::unique_ptr<Field>> elements;
  /// Objects only, schema mode: the key of a tagged union (Reader::variant) and the members
  /// each of its values brings, in declaration order.
  std::string variant_key;
  std::vector<std::pair<std::string, std::unique_ptr<Field>>> variants;
};

/// State shared by all Readers of one run.
struct Context {
  bool schema = false;
  std::vector<Diagnostic> diagnostics;

  Reader make_reader(const Node* node, Field& field, std::string path, Location location,
                     bool muted) {
    return Reader(*this, node, field, std::move(path), std::move(location), muted);
  }
  static void finish(Reader& reader) { reader.finish(); }
  static void mark_read(Reader& reader, std::string key) {
    reader.read_keys_.push_back(std::move(key));
  }
};

/// Shortest text that reads back as exactly `value`; integral values without exponent.
std::string format_number(double value);
/// Bounds as shown to users: "[min, max]", ">= min", "<= max", or "" when unbounded.
std::string format_range(const Range& range);
/// `items` separated by ", ".
std::string join(const std::vector<std::string>& items);
/// The resolved scenario as YAML text.
std::string write_yaml(const Field& root);
/// JSON Schema of the parameters under `root`.
std::string write_json_schema(const Field& root, std::string_view title);
/// Markdown table of the parameters under `root`.
std::string write_markdown(const Field& root);

}  // namespace tipsim::config::detail
