#include "sim/config/reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "sim/config/field.hpp"

namespace tipsim::config {

using detail::Field;
using detail::FieldType;

namespace {

// YAML allows a leading '+', std::from_chars does not.
std::string_view strip_plus(std::string_view s) {
  if (s.size() > 1 && s.front() == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  return s;
}

std::optional<double> parse_number(const Node& n) {
  if (!n.is_scalar() || !n.plain()) return std::nullopt;
  const std::string_view s = strip_plus(n.text());
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_integer(const Node& n) {
  if (!n.is_scalar() || !n.plain()) return std::nullopt;
  const std::string_view s = strip_plus(n.text());
  std::int64_t i = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc{} && end == s.data() + s.size()) return i;
  // Exponent forms such as 1e6 are integers too when their value is integral.
  const std::optional<double> d = parse_number(n);
  if (!d || std::trunc(*d) != *d || std::fabs(*d) >= 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(*d);
}

std::optional<bool> parse_boolean(const Node& n) {
  if (!n.is_scalar() || !n.plain()) return std::nullopt;
  const std::string& s = n.text();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

/// How a value that was not accepted is shown in messages.
std::string describe(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::sequence:
      return "a list";
    case Node::Kind::map:
      return "a mapping";
    case Node::Kind::scalar:
      break;
  }
  if (!n.plain()) return "the quoted text '" + n.text() + "'";
  if (parse_number(n)) return n.text();
  return "'" + n.text() + "'";
}

std::string expectation(std::string what, const Range& r) {
  const std::string bounds = detail::format_range(r);
  if (bounds.empty()) return what;
  const bool closed = std::isfinite(r.min) && std::isfinite(r.max);
  return what + (closed ? " in " : " ") + bounds;
}

bool in_range(double v, const Range& r) {
  return v >= r.min && v <= r.max;
}

/// Optimal string alignment distance: edits plus adjacent transpositions, so `minres` is one
/// step from `miners`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

Reader::Reader(detail::Context& context, const Node* node, Field& field, std::string path,
               Location location, bool muted)
    : context_(&context),
      node_(node),
      field_(&field),
      path_(std::move(path)),
      location_(std::move(location)),
      muted_(muted) {}

bool Reader::schema_mode() const {
  return context_->schema;
}

const Node* Reader::take(std::string_view key) {
  if (std::find(read_keys_.begin(), read_keys_.end(), key) == read_keys_.end())
    read_keys_.emplace_back(key);
  if (node_ == nullptr) return nullptr;
  const Node* n = node_->find(key);
  return n == nullptr || n->is_null() ? nullptr : n;
}

Field& Reader::record(std::string_view key, FieldType type, const FieldDoc& doc) {
  Field* field = nullptr;
  for (auto& [name, f] : field_->properties) {
    if (name == key) {
      *f = Field{};  // read again: the latest reading wins, in place so references stay valid
      field = f.get();
      break;
    }
  }
  if (field == nullptr)
    field =
        field_->properties.emplace_back(std::string(key), std::make_unique<Field>()).second.get();
  field->type = type;
  field->doc = doc;
  return *field;
}

void Reader::report(const Location& where, std::string key_path, std::string message) {
  if (context_->schema || muted_) return;
  context_->diagnostics.push_back(Diagnostic{where, std::move(key_path), std::move(message)});
}

std::size_t Reader::error_count() const {
  return context_->diagnostics.size();
}

void Reader::missing(std::string_view key) {
  report(where(key), path(key), "missing required key");
}

bool Reader::has(std::string_view key) const {
  if (node_ == nullptr) return false;
  const Node* n = node_->find(key);
  return n != nullptr && !n->is_null();
}

Location Reader::where(std::string_view key) const {
  if (node_ != nullptr) {
    if (const Node* n = node_->find(key)) return n->location();
  }
  return location_;
}

std::string Reader::path(std::string_view key) const {
  if (key.empty()) return path_;
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

void Reader::error(std::string_view key, std::string message) {
  report(where(key), path(key), std::move(message));
}

double Reader::number(std::string_view key, std::optional<double> default_value, Range range,
                      const FieldDoc& doc) {
  Field& f = record(key, FieldType::number, doc);
  f.range = range;
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  double result = default_value.value_or(0.0);
  if (const Node* n = take(key)) {
    const std::optional<double> v = parse_number(*n);
    if (v && in_range(*v, range)) {
      result = *v;
    } else {
      report(n->location(), path(key),
             "expected " + expectation("a number", range) + ", got " + describe(*n));
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

std::int64_t Reader::integer(std::string_view key, std::optional<std::int64_t> default_value,
                             Range range, const FieldDoc& doc) {
  Field& f = record(key, FieldType::integer, doc);
  f.range = range;
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  std::int64_t result = default_value.value_or(0);
  if (const Node* n = take(key)) {
    const std::optional<std::int64_t> v = parse_integer(*n);
    if (v && in_range(static_cast<double>(*v), range)) {
      result = *v;
    } else {
      report(n->location(), path(key),
             "expected " + expectation("an integer", range) + ", got " + describe(*n));
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

bool Reader::boolean(std::string_view key, std::optional<bool> default_value, const FieldDoc& doc) {
  Field& f = record(key, FieldType::boolean, doc);
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  bool result = default_value.value_or(false);
  if (const Node* n = take(key)) {
    if (const std::optional<bool> v = parse_boolean(*n)) {
      result = *v;
    } else {
      report(n->location(), path(key), "expected true or false, got " + describe(*n));
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

std::string Reader::text(std::string_view key, std::optional<std::string> default_value,
                         const FieldDoc& doc, const std::vector<std::string>& choices) {
  Field& f = record(key, FieldType::text, doc);
  f.required = !default_value;
  f.choices = choices;
  if (default_value) f.default_value = *default_value;
  std::string result = default_value.value_or(std::string());
  if (const Node* n = take(key)) {
    const bool allowed = std::find(choices.begin(), choices.end(), n->text()) != choices.end();
    if (n->is_scalar() && (choices.empty() || allowed)) {
      result = n->text();
    } else if (!choices.empty()) {
      report(n->location(), path(key),
             "expected one of: " + detail::join(choices) + ", got " + describe(*n));
    } else {
      report(n->location(), path(key), "expected text, got " + describe(*n));
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

Date Reader::date(std::string_view key, std::optional<Date> default_value, const FieldDoc& doc) {
  Field& f = record(key, FieldType::date, doc);
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  Date result = default_value.value_or(Date{});
  if (const Node* n = take(key)) {
    const std::optional<Date> v = n->is_scalar() ? Date::parse(n->text()) : std::nullopt;
    if (v) {
      result = *v;
    } else {
      std::string got = n->is_scalar() ? "'" + n->text() + "'" : describe(*n);
      report(n->location(), path(key), "expected a date YYYY-MM-DD, got " + got);
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

Date Reader::date_or(std::string_view key, Date fallback, const FieldDoc& doc) {
  if (has(key)) return date(key, std::nullopt, doc);
  Field& f = record(key, FieldType::date, doc);
  take(key);
  if (!context_->schema) f.value = fallback;
  return fallback;
}

std::vector<double> Reader::numbers(std::string_view key,
                                    std::optional<std::vector<double>> default_value, Range range,
                                    const FieldDoc& doc) {
  Field& f = record(key, FieldType::numbers, doc);
  f.range = range;
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  std::vector<double> result = default_value.value_or(std::vector<double>{});
  if (const Node* n = take(key)) {
    if (!n->is_sequence()) {
      report(n->location(), path(key),
             "expected a list of numbers" + expectation("", range) + ", got " + describe(*n));
    } else {
      std::vector<double> values;
      bool ok = true;
      for (std::size_t i = 0; i < n->size(); ++i) {
        const Node& item = n->child(i);
        const std::optional<double> v = parse_number(item);
        if (v && in_range(*v, range)) {
          values.push_back(*v);
        } else {
          ok = false;
          report(item.location(), path(key) + "[" + std::to_string(i) + "]",
                 "expected " + expectation("a number", range) + ", got " + describe(item));
        }
      }
      if (ok) result = std::move(values);
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

namespace {
/// The field just recorded for `key` in `object`, made optional and nullable.
void make_nullable(Field& object, std::string_view key) {
  for (auto& [name, f] : object.properties)
    if (name == key) {
      f->required = false;
      f->nullable = true;
    }
}
}  // namespace

std::optional<double> Reader::optional_number(std::string_view key, Range range,
                                              const FieldDoc& doc) {
  std::optional<double> result;
  if (has(key)) {
    const std::size_t errors_before = error_count();
    const double v = number(key, std::nullopt, range, doc);
    if (error_count() == errors_before) result = v;
  } else {
    Field& f = record(key, FieldType::number, doc);
    f.range = range;
    take(key);
  }
  make_nullable(*field_, key);
  return result;
}

std::optional<std::string> Reader::optional_text(std::string_view key, const FieldDoc& doc,
                                                 const std::vector<std::string>& choices) {
  std::optional<std::string> result;
  if (has(key)) {
    const std::size_t errors_before = error_count();
    std::string v = text(key, std::nullopt, doc, choices);
    if (error_count() == errors_before) result = std::move(v);
  } else {
    Field& f = record(key, FieldType::text, doc);
    f.choices = choices;
    take(key);
  }
  make_nullable(*field_, key);
  return result;
}

std::vector<std::string> Reader::texts_or(std::string_view key, std::vector<std::string> fallback,
                                          const FieldDoc& doc) {
  if (has(key)) return texts(key, std::nullopt, doc);
  Field& f = record(key, FieldType::texts, doc);
  take(key);
  if (!context_->schema) f.value = fallback;
  return fallback;
}

std::vector<std::string> Reader::texts(std::string_view key,
                                       std::optional<std::vector<std::string>> default_value,
                                       const FieldDoc& doc) {
  Field& f = record(key, FieldType::texts, doc);
  f.required = !default_value;
  if (default_value) f.default_value = *default_value;
  std::vector<std::string> result = default_value.value_or(std::vector<std::string>{});
  if (const Node* n = take(key)) {
    if (!n->is_sequence()) {
      report(n->location(), path(key), "expected a list of texts, got " + describe(*n));
    } else {
      std::vector<std::string> values;
      bool ok = true;
      for (std::size_t i = 0; i < n->size(); ++i) {
        const Node& item = n->child(i);
        if (item.is_scalar()) {
          values.push_back(item.text());
        } else {
          ok = false;
          report(item.location(), path(key) + "[" + std::to_string(i) + "]",
                 "expected text, got " + describe(item));
        }
      }
      if (ok) result = std::move(values);
    }
  } else if (!default_value) {
    missing(key);
  }
  f.value = result;
  return result;
}

void Reader::object(std::string_view key, const FieldDoc& doc,
                    const std::function<void(Reader&)>& fn, bool required) {
  Field& f = record(key, FieldType::object, doc);
  f.required = required;
  const Node* n = take(key);
  const Node* map = nullptr;
  bool muted = muted_;
  if (n == nullptr) {
    if (required) {
      missing(key);
      muted = true;  // its own required keys are not news either
    }
  } else if (!n->is_map()) {
    report(n->location(), path(key), "expected a mapping, got " + describe(*n));
    muted = true;  // its defaults still apply, but its required keys are not news
  } else {
    map = n;
  }
  Reader child(*context_, map, f, path(key), where(key), muted);
  fn(child);
  child.finish();
}

void Reader::list(std::string_view key, const FieldDoc& doc,
                  const std::function<void(Reader&, std::size_t)>& fn, bool required,
                  std::size_t min_items) {
  Field& f = record(key, FieldType::list, doc);
  f.required = required;
  f.min_items = min_items;
  if (context_->schema) {
    Field& prototype = *f.elements.emplace_back(std::make_unique<Field>());
    Reader child(*context_, nullptr, prototype, path(key) + "[0]", location_, muted_);
    fn(child, 0);
    return;
  }
  const Node* n = take(key);
  const auto too_few = [&](std::size_t count) {
    report(where(key), path(key),
           "expected at least " + std::to_string(min_items) +
               (min_items == 1 ? " item" : " items") + ", got " + std::to_string(count));
  };
  if (n == nullptr) {
    if (required) {
      missing(key);
    } else if (min_items > 0) {
      too_few(0);
    }
    return;
  }
  if (!n->is_sequence()) {
    report(n->location(), path(key), "expected a list, got " + describe(*n));
    return;
  }
  if (n->size() < min_items) too_few(n->size());
  for (std::size_t i = 0; i < n->size(); ++i) {
    const Node& item = n->child(i);
    const std::string item_path = path(key) + "[" + std::to_string(i) + "]";
    bool muted = muted_;
    if (!item.is_map()) {
      report(item.location(), item_path, "expected a mapping, got " + describe(item));
      muted = true;
    }
    Field& element = *f.elements.emplace_back(std::make_unique<Field>());
    Reader child(*context_, item.is_map() ? &item : nullptr, element, item_path, item.location(),
                 muted);
    fn(child, i);
    child.finish();
  }
}

std::string Reader::variant(std::string_view key, const FieldDoc& doc,
                            const std::vector<std::string>& choices,
                            const std::function<void(Reader&, const std::string&)>& fn) {
  if (context_->schema) {
    text(key, std::nullopt, doc, choices);
    field_->variant_key = std::string(key);
    for (const std::string& choice : choices) {
      Field& members =
          *field_->variants.emplace_back(choice, std::make_unique<Field>()).second.get();
      Reader child(*context_, nullptr, members, path_, location_, muted_);
      fn(child, choice);
    }
    return {};
  }
  const std::size_t errors_before = error_count();
  std::string choice = text(key, std::nullopt, doc, choices);
  if (error_count() != errors_before || choice.empty()) {
    // Without a valid tag nobody knows which keys belong here: do not report them as unknown.
    if (node_ != nullptr)
      for (const Node::Key& k : node_->keys()) take(k.name);
    return {};
  }
  fn(*this, choice);
  return choice;
}

void Reader::finish() {
  if (context_->schema || muted_ || node_ == nullptr) return;
  for (const Node::Key& key : node_->keys()) {
    if (std::find(read_keys_.begin(), read_keys_.end(), key.name) != read_keys_.end()) continue;
    std::string message = "unknown key '" + key.name + "'";
    const std::string* best = nullptr;
    std::size_t best_distance = 3;
    for (const std::string& known : read_keys_) {
      const std::size_t d = edit_distance(key.name, known);
      // Two edits turn any two-letter key into any other, so a suggestion must also keep at
      // least half of the longer name: 'xy' is no typo of 'dt', 'sead' is one of 'seed'.
      if (d < best_distance && 2 * d <= std::max(key.name.size(), known.size())) {
        best_distance = d;
        best = &known;
      }
    }
    if (best != nullptr) message += "; did you mean '" + *best + "'?";
    report(key.where, path(key.name), std::move(message));
  }
}

std::string read(const Document& doc, const std::function<void(Reader&)>& fn) {
  detail::Context context;
  Field root;
  const Node& top = doc.root();
  if (!top.is_null() && !top.is_map()) {
    throw ScenarioError({Diagnostic{top.location(), "", "expected a mapping at the top level"}});
  }
  Reader reader =
      context.make_reader(top.is_map() ? &top : nullptr, root, "", top.location(), false);
  // Documents have already followed and removed `extends`; keep it known regardless.
  detail::Context::mark_read(reader, "extends");
  fn(reader);
  detail::Context::finish(reader);
  if (!context.diagnostics.empty()) {
    sort_by_location(context.diagnostics);
    throw ScenarioError(std::move(context.diagnostics));
  }
  return detail::write_yaml(root);
}

namespace {

Field run_schema(const std::function<void(Reader&)>& fn) {
  detail::Context context;
  context.schema = true;
  Field root;
  Reader reader = context.make_reader(nullptr, root, "", Location{}, false);
  fn(reader);
  return root;
}

}  // namespace

std::string json_schema(const std::function<void(Reader&)>& fn, std::string_view title) {
  return detail::write_json_schema(run_schema(fn), title);
}

std::string markdown_parameters(const std::function<void(Reader&)>& fn) {
  return detail::write_markdown(run_schema(fn));
}

}  // namespace tipsim::config
