#include "sim/config/encoding.hpp"

#include <cstdint>
#include <cstdio>

namespace tipsim::config {
namespace {

/// Length of the UTF-8 sequence starting at `s[i]`, or 0 when it is not valid UTF-8
/// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t min = 0, cp = 0;
  if ((b & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

Location location_of(std::string_view text, std::size_t at, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<std::uint8_t>(text[i]) & 0xC0) != 0x80) {
      ++column;  // one column per character, not per byte
    }
  }
  return Location{file, line, column};
}

}  // namespace

std::string_view without_utf8_bom(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

std::optional<Diagnostic> utf8_problem(std::string_view text, const std::string& file) {
  const auto refuse = [&](std::size_t at, std::string message) {
    return Diagnostic{location_of(text, at, file), "", std::move(message)};
  };
  // UTF-32 first: its little-endian mark begins like UTF-16's.
  if (text.starts_with(std::string_view("\xFF\xFE\0\0", 4)) ||
      text.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    return refuse(0, "the file is UTF-32 text; save it as UTF-8");
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return refuse(0, "the file is UTF-16 text; save it as UTF-8");
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') return refuse(i, "a NUL byte: tipsim reads UTF-8 text, not binary data");
    const std::size_t n = sequence_length(text, i);
    if (n == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X",
                    static_cast<unsigned>(static_cast<std::uint8_t>(text[i])));
      return refuse(i, std::string("byte ") + byte +
                           " is not UTF-8 (Latin-1 or Windows-1252 text?); save the file as UTF-8");
    }
    i += n;
  }
  return std::nullopt;
}

}  // namespace tipsim::config
