// Writers for what the Reader records: the resolved scenario (YAML), the JSON Schema and the
// Markdown parameter table. All are written by hand so the output is stable and exactly as
// documented, independent of emitter defaults.
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <variant>

#include "sim/config/field.hpp"
#include "sim/json.hpp"

namespace tipsim::config::detail {

std::string format_number(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));  // also turns -0 into 0
  }
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string format_range(const Range& range) {
  const bool has_min = std::isfinite(range.min);
  const bool has_max = std::isfinite(range.max);
  if (has_min && has_max) {
    return "[" + format_number(range.min) + ", " + format_number(range.max) + "]";
  }
  if (has_min) return ">= " + format_number(range.min);
  if (has_max) return "<= " + format_number(range.max);
  return "";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out;
}

namespace {

std::string pad(int n) {
  return std::string(static_cast<std::size_t>(n), ' ');
}

// ---------------------------------------------------------------------------------------------
// YAML

bool is_reserved_word(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w :
       {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "inf", "nan", "infinity"}) {
    if (s == w) return true;
  }
  return false;
}

// Conservative: anything not obviously plain is double-quoted, so text reads back as the same
// text (never as null, a number or a boolean).
bool can_be_plain(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s.front())) || s.front() == '_'))
    return false;
  if (s.back() == ' ') return false;
  for (const char c : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                    c == '/' || c == '-' || c == ' ';
    if (!ok) return false;
  }
  return !is_reserved_word(std::string(s));
}

std::string yaml_text(std::string_view s) {
  return can_be_plain(s) ? std::string(s) : json_quote(s);
}

/// Renders a scalar or list value; `json` selects JSON spelling (quoted strings and dates).
std::string render_value(const Value& value, bool json) {
  struct Visitor {
    bool json;
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(double v) const { return format_number(v); }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const {
      return json ? json_quote(v) : yaml_text(v);
    }
    std::string operator()(Date v) const { return json ? "\"" + v.iso() + "\"" : v.iso(); }
    std::string operator()(const std::vector<double>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + format_number(v[i]);
      return out + "]";
    }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + (json ? json_quote(v[i]) : yaml_text(v[i]));
      return out + "]";
    }
  };
  return std::visit(Visitor{json}, value);
}

void write_members(const Field& object, int indent, std::string& out);

void write_yaml_value(const Field& f, int indent, std::string& out) {
  switch (f.type) {
    case FieldType::object:
      if (f.properties.empty()) {
        out += " {}\n";
      } else {
        out += "\n";
        write_members(f, indent + 2, out);
      }
      return;
    case FieldType::list:
      if (f.elements.empty()) {
        out += " []\n";
        return;
      }
      out += "\n";
      for (const auto& element : f.elements) {
        if (element->properties.empty()) {
          out += pad(indent + 2) + "- {}\n";
          continue;
        }
        std::string members;
        write_members(*element, indent + 4, members);
        // The first member goes on the dash line.
        out += pad(indent + 2) + "- " + members.substr(static_cast<std::size_t>(indent + 4));
      }
      return;
    default:
      out += " " + render_value(f.value, false) + "\n";
  }
}

void write_members(const Field& object, int indent, std::string& out) {
  for (const auto& [name, field] : object.properties) {
    out += pad(indent) + yaml_text(name) + ":";
    write_yaml_value(*field, indent, out);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

using Members = std::vector<std::pair<std::string, std::string>>;

std::string render_object(const Members& members, int indent) {
  if (members.empty()) return "{}";
  std::string out = "{\n";
  for (std::size_t i = 0; i < members.size(); ++i) {
    out += pad(indent + 2) + json_quote(members[i].first) + ": " + members[i].second;
    out += i + 1 < members.size() ? ",\n" : "\n";
  }
  return out + pad(indent) + "}";
}

std::string describe(const FieldDoc& doc) {
  std::string out = doc.description;
  const auto sentence = [&out](const std::string& s) {
    if (s.empty()) return;
    if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out += '.';
    if (!out.empty()) out += ' ';
    out += s;
  };
  if (!doc.unit.empty()) sentence("Unit: " + doc.unit + ".");
  if (!doc.source.empty()) sentence("Source: " + doc.source + ".");
  return out;
}

void add_bounds(Members& m, const Range& r) {
  if (std::isfinite(r.min)) m.emplace_back("minimum", format_number(r.min));
  if (std::isfinite(r.max)) m.emplace_back("maximum", format_number(r.max));
}

std::string object_schema(const Field& f, int indent, Members head, bool top = false);

std::string field_schema(const Field& f, int indent) {
  Members m;
  const std::string description = describe(f.doc);
  if (!description.empty()) m.emplace_back("description", json_quote(description));
  switch (f.type) {
    case FieldType::object:
      return object_schema(f, indent, std::move(m));
    case FieldType::list:
      m.emplace_back("type", "\"array\"");
      if (!f.elements.empty())
        m.emplace_back("items", object_schema(*f.elements.front(), indent + 2, {}));
      if (f.min_items > 0) m.emplace_back("minItems", std::to_string(f.min_items));
      break;
    case FieldType::number:
    case FieldType::integer:
      m.emplace_back("type", f.type == FieldType::number ? "\"number\"" : "\"integer\"");
      add_bounds(m, f.range);
      break;
    case FieldType::boolean:
      m.emplace_back("type", "\"boolean\"");
      break;
    case FieldType::text:
      m.emplace_back("type", "\"string\"");
      if (!f.choices.empty()) m.emplace_back("enum", render_value(Value(f.choices), true));
      break;
    case FieldType::date:
      m.emplace_back("type", "\"string\"");
      m.emplace_back("format", "\"date\"");
      m.emplace_back("pattern", "\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"");
      break;
    case FieldType::numbers: {
      m.emplace_back("type", "\"array\"");
      Members items{{"type", "\"number\""}};
      add_bounds(items, f.range);
      m.emplace_back("items", render_object(items, indent + 2));
      break;
    }
    case FieldType::texts:
      m.emplace_back("type", "\"array\"");
      m.emplace_back("items", render_object({{"type", "\"string\""}}, indent + 2));
      break;
  }
  if (!std::holds_alternative<std::monostate>(f.default_value))
    m.emplace_back("default", render_value(f.default_value, true));
  if (f.nullable) {
    // An optional value without a default reads back from the resolved scenario as null.
    for (auto& [name, value] : m) {
      if (name == "type") value = "[" + value + ", \"null\"]";
      if (name == "enum") value = value.substr(0, value.size() - 1) + ", null]";
    }
  }
  return render_object(m, indent);
}

std::string object_schema(const Field& f, int indent, Members head, bool top) {
  Members m = std::move(head);
  m.emplace_back("type", "\"object\"");
  Members props;
  if (top) {
    const std::string what =
        "Path of a scenario file this one is based on, relative to this file's directory; "
        "this file's keys are merged over it.";
    props.emplace_back(
        "extends",
        render_object({{"description", json_quote(what)}, {"type", "\"string\""}}, indent + 4));
  }
  std::string required;
  for (const auto& [name, field] : f.properties) {
    props.emplace_back(name, field_schema(*field, indent + 4));
    if (field->required) required += (required.empty() ? "" : ", ") + json_quote(name);
  }
  m.emplace_back("properties", render_object(props, indent + 2));
  if (!required.empty()) m.emplace_back("required", "[" + required + "]");
  if (f.variants.empty()) {
    m.emplace_back("additionalProperties", "false");
    return render_object(m, indent);
  }
  // A tagged union: each value of the tag brings its own members. unevaluatedProperties
  // (unlike additionalProperties) sees the members the matching `then` declares.
  std::string all_of = "[\n";
  for (std::size_t v = 0; v < f.variants.size(); ++v) {
    const auto& [choice, members] = f.variants[v];
    const int inner = indent + 4;
    Members tag{{f.variant_key, render_object({{"const", json_quote(choice)}}, inner + 4)}};
    Members when{{"properties", render_object(tag, inner + 2)},
                 {"required", "[" + json_quote(f.variant_key) + "]"}};
    Members own;
    std::string own_required;
    for (const auto& [name, field] : members->properties) {
      own.emplace_back(name, field_schema(*field, inner + 4));
      if (field->required) own_required += (own_required.empty() ? "" : ", ") + json_quote(name);
    }
    Members then{{"properties", render_object(own, inner + 2)}};
    if (!own_required.empty()) then.emplace_back("required", "[" + own_required + "]");
    all_of += pad(indent + 4) + render_object({{"if", render_object(when, inner)},
                                               {"then", render_object(then, inner)}},
                                              indent + 4);
    all_of += v + 1 < f.variants.size() ? ",\n" : "\n";
  }
  m.emplace_back("allOf", all_of + pad(indent + 2) + "]");
  m.emplace_back("unevaluatedProperties", "false");
  return render_object(m, indent);
}

// ---------------------------------------------------------------------------------------------
// Markdown

std::string cell(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void markdown_rows(const Field& object, const std::string& prefix, std::string& out) {
  for (const auto& [name, f] : object.properties) {
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    std::string default_text;
    std::string range;
    if (f->required) {
      default_text = "required";
    } else if (f->type == FieldType::list) {
      default_text = "`[]`";
    } else if (!std::holds_alternative<std::monostate>(f->default_value)) {
      default_text = "`" + render_value(f->default_value, false) + "`";
    }
    switch (f->type) {
      case FieldType::number:
      case FieldType::integer:
      case FieldType::numbers:
        range = format_range(f->range);
        break;
      case FieldType::text:
        if (!f->choices.empty()) range = "one of: " + join(f->choices);
        break;
      case FieldType::date:
        range = "YYYY-MM-DD";
        break;
      case FieldType::list:
        if (f->min_items > 0)
          range =
              "at least " + std::to_string(f->min_items) + (f->min_items == 1 ? " item" : " items");
        break;
      default:
        break;
    }
    out += "| `" + cell(key) + "` | " + cell(default_text) + " | " + cell(f->doc.unit) + " | " +
           cell(range) + " | " + cell(f->doc.description) + " | " + cell(f->doc.source) + " |\n";
    if (f->type == FieldType::object) markdown_rows(*f, key, out);
    if (f->type == FieldType::list && !f->elements.empty())
      markdown_rows(*f->elements.front(), key + "[]", out);
  }
  // Members of a tagged union, by value of the tag: `interventions[type=repatriation].dates`.
  for (const auto& [choice, members] : object.variants) {
    std::string tagged = prefix;
    if (tagged.ends_with("[]")) tagged.resize(tagged.size() - 2);
    markdown_rows(*members, tagged + "[" + object.variant_key + "=" + choice + "]", out);
  }
}

}  // namespace

std::string write_yaml(const Field& root) {
  std::string out;
  write_members(root, 0, out);
  return out.empty() ? "{}\n" : out;
}

std::string write_json_schema(const Field& root, std::string_view title) {
  Members head{{"$schema", "\"https://json-schema.org/draft/2020-12/schema\""},
               {"title", json_quote(title)}};
  return object_schema(root, 0, std::move(head), true) + "\n";
}

std::string write_markdown(const Field& root) {
  std::string out =
      "| key path | default | unit | range | meaning | source |\n"
      "|---|---|---|---|---|---|\n";
  markdown_rows(root, "", out);
  return out;
}

}  // namespace tipsim::config::detail
