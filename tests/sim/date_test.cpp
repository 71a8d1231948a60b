#include "sim/date.hpp"

#include <gtest/gtest.h>

namespace tipsim {

TEST(Date, EpochIsDayZero) {
  EXPECT_EQ(Date::from_ymd(1970, 1, 1).days, 0);
}

TEST(Date, RoundTripsEveryDayOverTwoCenturies) {
  for (std::int32_t d = Date::from_ymd(1950, 1, 1).days; d < Date::from_ymd(2150, 1, 1).days; ++d) {
    const Date date{d};
    const auto parsed = Date::parse(date.iso());
    ASSERT_TRUE(parsed.has_value()) << date.iso();
    ASSERT_EQ(parsed->days, d);
  }
}

TEST(Date, KnownIntervals) {
  EXPECT_EQ(Date::from_ymd(2025, 12, 31) - Date::from_ymd(2015, 1, 1), 4017);
  EXPECT_EQ(Date::from_ymd(2024, 3, 1) - Date::from_ymd(2024, 2, 28), 2);  // leap year
  EXPECT_EQ(Date::from_ymd(2023, 3, 1) - Date::from_ymd(2023, 2, 28), 1);
}

TEST(Date, RejectsMalformedAndImpossibleDates) {
  for (const char* bad : {"2021-02-30", "2021-13-01", "2021-00-10", "2021-1-01", "21-01-01",
                          "2021/01/01", "2021-01-01x", "", "abcd-ef-gh", "2023-02-29"})
    EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
  EXPECT_TRUE(Date::parse("2024-02-29").has_value());
}

}  // namespace tipsim
