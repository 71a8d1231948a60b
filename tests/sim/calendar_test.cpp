#include "sim/calendar.hpp"

#include <gtest/gtest.h>

namespace tipsim {

TEST(Calendar, ItemsComeDueOnTheirStepInScheduleOrder) {
  CalendarQueue<int> q(10);
  EXPECT_TRUE(q.schedule(3, 7));
  EXPECT_TRUE(q.schedule(3, 2));
  EXPECT_TRUE(q.schedule(5, 1));
  EXPECT_EQ(q.pending(), 3u);
  EXPECT_TRUE(q.take(2).empty());
  EXPECT_EQ(q.take(3), (std::vector<int>{7, 2}));
  EXPECT_TRUE(q.take(3).empty());
  EXPECT_EQ(q.pending(), 1u);
}

TEST(Calendar, BeyondHorizonIsDropped) {
  CalendarQueue<int> q(4);
  EXPECT_FALSE(q.schedule(q.steps(), 1));
  EXPECT_EQ(q.pending(), 0u);
}

}  // namespace tipsim
