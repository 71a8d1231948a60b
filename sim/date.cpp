#include "sim/date.hpp"

#include <charconv>
#include <cstdio>

namespace tipsim {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain).
Date Date::from_ymd(int year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{static_cast<std::int32_t>(era * 146097 + static_cast<int>(doe) - 719468)};
}

void Date::to_ymd(int& year, unsigned& month, unsigned& day) const {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto field = [&](std::size_t pos, std::size_t len, int& out) {
    const char* first = text.data() + pos;
    const char* last = first + len;
    for (const char* c = first; c != last; ++c)
      if (*c < '0' || *c > '9') return false;
    return std::from_chars(first, last, out).ec == std::errc{};
  };
  int y = 0, m = 0, d = 0;
  if (!field(0, 4, y) || !field(5, 2, m) || !field(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  const Date date = from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  int y2 = 0;
  unsigned m2 = 0, d2 = 0;
  date.to_ymd(y2, m2, d2);
  if (y2 != y || static_cast<int>(m2) != m || static_cast<int>(d2) != d) return std::nullopt;
  return date;
}

std::string Date::iso() const {
  int y = 0;
  unsigned m = 0, d = 0;
  to_ymd(y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

}  // namespace tipsim
