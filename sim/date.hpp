#pragma once
/// Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian), so that
/// scenario dates, survey windows and the step clock line up exactly.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tipsim {

/// A civil date stored as days since 1970-01-01.
struct Date {
  std::int32_t days = 0;

  static Date from_ymd(int year, unsigned month, unsigned day);
  /// Parses exactly `YYYY-MM-DD`; returns nullopt for anything else, including 2021-02-30.
  static std::optional<Date> parse(std::string_view text);

  void to_ymd(int& year, unsigned& month, unsigned& day) const;
  [[nodiscard]] std::string iso() const;
  /// Fractional years between two dates (365.25-day years), for ages.
  [[nodiscard]] double years_since(Date earlier) const { return (days - earlier.days) / 365.25; }

  friend auto operator<=>(const Date&, const Date&) = default;
  friend Date operator+(Date d, std::int32_t n) { return Date{d.days + n}; }
  friend std::int32_t operator-(Date a, Date b) { return a.days - b.days; }
};

}  // namespace tipsim
