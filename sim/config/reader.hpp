#pragma once
/// Typed, documented reading of scenario parameters. Model code describes each parameter once,
/// through a Reader; the same code validates a scenario (collecting every problem), writes the
/// resolved scenario with all defaults filled in, and, run in schema mode, documents the format
/// as a JSON Schema and a Markdown table.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/document.hpp"
#include "sim/date.hpp"

namespace tipsim::config {

/// Documentation of one parameter.
struct FieldDoc {
  std::string description;
  std::string unit;
  /// Where the default comes from (a citation), or "assumption: ..." when it is a modelling choice.
  std::string source;
};

/// Inclusive bounds for a number.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

namespace detail {
enum class FieldType;
struct Field;
struct Context;
}  // namespace detail

/// Reads the keys of one YAML mapping. Obtained only through `read`, `json_schema` and
/// `markdown_parameters`, which run the model's reading code.
///
/// Every getter takes `key` relative to this object. An absent key (or an explicit null) yields
/// `default_value` when given, and otherwise records "missing required key". A wrong type, a value
/// out of range or a bad date records a diagnostic at the value's location. In both cases the
/// getter returns the default (or a zero value) so that reading continues and every problem is
/// collected in one pass.
class Reader {
 public:
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  double number(std::string_view key, std::optional<double> default_value, Range range,
                const FieldDoc& doc);
  /// Accepts any number with an integral value, so `1e6` is fine and `1.5` is not.
  std::int64_t integer(std::string_view key, std::optional<std::int64_t> default_value, Range range,
                       const FieldDoc& doc);
  /// Accepts `true`/`false` (also capitalised); YAML 1.1 forms like `yes` are rejected.
  bool boolean(std::string_view key, std::optional<bool> default_value, const FieldDoc& doc);
  /// Any scalar is accepted as text; non-empty `choices` restrict the allowed values.
  std::string text(std::string_view key, std::optional<std::string> default_value,
                   const FieldDoc& doc, const std::vector<std::string>& choices = {});
  /// A date written `YYYY-MM-DD`, quoted or not.
  Date date(std::string_view key, std::optional<Date> default_value, const FieldDoc& doc);
  /// A date whose default depends on other values (its doc says which): `fallback` when
  /// absent, recorded as the resolved value; the schema shows no default and does not
  /// require it.
  Date date_or(std::string_view key, Date fallback, const FieldDoc& doc);
  /// Optional values without a default: nullopt when absent, resolved as null.
  std::optional<double> optional_number(std::string_view key, Range range, const FieldDoc& doc);
  std::optional<std::string> optional_text(std::string_view key, const FieldDoc& doc,
                                           const std::vector<std::string>& choices = {});
  /// The same as date_or for a list of texts.
  std::vector<std::string> texts_or(std::string_view key, std::vector<std::string> fallback,
                                    const FieldDoc& doc);
  std::vector<double> numbers(std::string_view key,
                              std::optional<std::vector<double>> default_value, Range range,
                              const FieldDoc& doc);
  std::vector<std::string> texts(std::string_view key,
                                 std::optional<std::vector<std::string>> default_value,
                                 const FieldDoc& doc);
  /// Nested object. When absent, `fn` runs on an empty object (so its defaults apply) unless
  /// `required`, in which case "missing required key" is recorded.
  void object(std::string_view key, const FieldDoc& doc, const std::function<void(Reader&)>& fn,
              bool required = false);
  /// Sequence of objects; `fn(element_reader, index)` runs per element (in schema mode, once on
  /// a prototype). Absent means empty unless `required`. Fewer than `min_items` is a diagnostic.
  void list(std::string_view key, const FieldDoc& doc,
            const std::function<void(Reader&, std::size_t)>& fn, bool required = false,
            std::size_t min_items = 0);

  /// A tagged union inside this object: reads `key` (required, one of `choices`), then runs
  /// `fn(*this, choice)`, which reads that choice's own keys into this same object; keys of
  /// other choices are then unknown keys. Returns the choice, or "" when `key` is missing or
  /// wrong (then `fn` does not run). In schema mode `fn` runs once per choice and the JSON
  /// Schema says which keys go with which value.
  std::string variant(std::string_view key, const FieldDoc& doc,
                      const std::vector<std::string>& choices,
                      const std::function<void(Reader&, const std::string&)>& fn);

  /// Whether `key` is present with a non-null value. Always false in schema mode, so optional
  /// parameters should be read through getters with defaults to be documented.
  [[nodiscard]] bool has(std::string_view key) const;
  /// Location of key's value, or of this object if absent.
  [[nodiscard]] Location where(std::string_view key) const;
  /// Dotted path of `key` (or of this object when empty), sequences as `[i]`: `sites[2].miners`.
  [[nodiscard]] std::string path(std::string_view key = {}) const;
  /// Records a broken cross-field rule at `key` (e.g. an unknown place name, dates out of order).
  /// Ignored in schema mode.
  void error(std::string_view key, std::string message);
  [[nodiscard]] bool schema_mode() const;
  /// Problems recorded so far in the whole document: lets cross-field rules skip values
  /// that were already reported as unreadable, instead of piling misleading errors on them.
  [[nodiscard]] std::size_t error_count() const;

 private:
  friend struct detail::Context;

  Reader(detail::Context& context, const Node* node, detail::Field& field, std::string path,
         Location location, bool muted);

  /// The value under `key`, or nullptr when absent or null; marks the key as read.
  const Node* take(std::string_view key);
  /// Starts the record of `key` in the resolved tree / schema.
  detail::Field& record(std::string_view key, detail::FieldType type, const FieldDoc& doc);
  void report(const Location& where, std::string key_path, std::string message);
  void missing(std::string_view key);
  /// Reports keys of this object that nobody read.
  void finish();

  detail::Context* context_;
  const Node* node_;  // the mapping being read; nullptr when absent or empty
  detail::Field* field_;
  std::string path_;
  Location location_;
  bool muted_;  // inside a value already reported as malformed: stay quiet about its contents
  std::vector<std::string> read_keys_;
};

/// Runs `fn` over the document's root. Afterwards every object visited reports keys nobody read
/// ("unknown key 'minres'; did you mean 'miners'?"). Throws ScenarioError if anything was wrong.
/// Returns the resolved scenario as YAML: every key read, with its value or default, in reading
/// order, dates as YYYY-MM-DD, and without `extends`.
std::string read(const Document& doc, const std::function<void(Reader&)>& fn);

/// Runs `fn` in schema mode and returns a JSON Schema (draft 2020-12) of the scenario format.
std::string json_schema(const std::function<void(Reader&)>& fn, std::string_view title);

/// Runs `fn` in schema mode and returns a Markdown table with a header and one row per
/// parameter: | key path | default | unit | range | meaning | source |
std::string markdown_parameters(const std::function<void(Reader&)>& fn);

}  // namespace tipsim::config
