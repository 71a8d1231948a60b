#include "sim/json_reader.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tipsim {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  JsonValue document() {
    JsonValue v = value();
    skip_space();
    if (pos_ != text_.size()) fail("text after the document");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("JSON: " + what + " at byte " + std::to_string(pos_));
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  char peek() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    return text_[pos_];
  }

  JsonValue value() {
    const char c = peek();
    if (c == '{') return JsonValue{object()};
    if (c == '[') return JsonValue{array()};
    if (c == '"') return JsonValue{string()};
    if (consume("null")) return JsonValue{};
    if (consume("true")) return JsonValue{true};
    if (consume("false")) return JsonValue{false};
    return JsonValue{number()};
  }

  JsonValue::Members object() {
    JsonValue::Members members;
    ++pos_;
    if (peek() == '}') {
      ++pos_;
      return members;
    }
    while (true) {
      if (peek() != '"') fail("expected a key");
      std::string key = string();
      if (peek() != ':') fail("expected ':'");
      ++pos_;
      members.keys.push_back(std::move(key));
      members.values.push_back(value());
      const char c = peek();
      ++pos_;
      if (c == '}') return members;
      if (c != ',') fail("expected ',' or '}'");
    }
  }

  JsonValue::Items array() {
    JsonValue::Items items;
    ++pos_;
    if (peek() == ']') {
      ++pos_;
      return items;
    }
    while (true) {
      items.push_back(value());
      const char c = peek();
      ++pos_;
      if (c == ']') return items;
      if (c != ',') fail("expected ',' or ']'");
    }
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > text_.size()) fail("short \\u escape");
    unsigned code = 0;
    const auto r = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, code, 16);
    if (r.ptr != text_.data() + pos_ + 4) fail("bad \\u escape");
    pos_ += 4;
    return code;
  }

  std::string string() {
    std::string out;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xD800 && code < 0xDC00 && consume("\\u")) {
            const unsigned low = hex4();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          fail("unknown escape");
      }
    }
  }

  double number() {
    const char* begin = text_.data() + pos_;
    double v = 0;
    const auto r = std::from_chars(begin, text_.data() + text_.size(), v);
    if (r.ec != std::errc() || r.ptr == begin) fail("expected a value");
    pos_ += static_cast<std::size_t>(r.ptr - begin);
    return v;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string element_name(const JsonValue& item, std::size_t index) {
  for (const char* key : {"name", "date"}) {
    const JsonValue* v = item.find(key);
    if (v != nullptr && v->is_string()) return std::get<std::string>(v->value);
  }
  return std::to_string(index);
}

void flatten(const JsonValue& v, const std::string& path,
             std::vector<std::pair<std::string, double>>& out) {
  const auto join = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  if (v.is_number()) {
    out.emplace_back(path, std::get<double>(v.value));
  } else if (v.is_null()) {
    out.emplace_back(path, std::numeric_limits<double>::quiet_NaN());
  } else if (const auto* members = v.members()) {
    for (std::size_t m = 0; m < members->keys.size(); ++m) {
      const std::string& key = members->keys[m];
      const JsonValue& child = members->values[m];
      const auto* items = child.items();
      if (key == "ci" && items != nullptr && items->size() == 2) {
        for (int side = 0; side < 2; ++side) {
          const JsonValue& bound = (*items)[static_cast<std::size_t>(side)];
          out.emplace_back(join(side == 0 ? "ci_low" : "ci_high"),
                           bound.is_number() ? std::get<double>(bound.value)
                                             : std::numeric_limits<double>::quiet_NaN());
        }
        continue;
      }
      flatten(child, join(key), out);
    }
  } else if (const auto* items = v.items()) {
    for (std::size_t i = 0; i < items->size(); ++i)
      flatten((*items)[i], join(element_name((*items)[i], i)), out);
  }
}

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  const auto* m = members();
  if (m == nullptr) return nullptr;
  for (std::size_t i = 0; i < m->keys.size(); ++i)
    if (m->keys[i] == key) return &m->values[i];
  return nullptr;
}

JsonValue parse_json(std::string_view text) {
  return Parser(text).document();
}

std::vector<std::pair<std::string, double>> flatten_numbers(const JsonValue& doc) {
  std::vector<std::pair<std::string, double>> out;
  flatten(doc, "", out);
  return out;
}

}  // namespace tipsim
