#include "sim/id_list.hpp"

#include <gtest/gtest.h>

#include <set>

#include "sim/index_map.hpp"
#include "sim/random.hpp"

namespace tipsim {

TEST(IdList, TidySortsDeduplicatesAndFilters) {
  IdList list;
  for (IdList::Id id : {5u, 1u, 9u, 1u, 4u}) list.push_back(id);
  list.tidy([](IdList::Id id) { return id != 4; });
  EXPECT_EQ(std::vector<IdList::Id>(list.begin(), list.end()), (std::vector<IdList::Id>{1, 5, 9}));
  list.push_back(3);
  list.push_back(9);
  list.push_back(0);
  list.tidy([](IdList::Id) { return true; });
  EXPECT_EQ(std::vector<IdList::Id>(list.begin(), list.end()),
            (std::vector<IdList::Id>{0, 1, 3, 5, 9}));
}

TEST(IdList, MatchesASetOverManyRounds) {
  // The incremental merge must give what sorting everything would give.
  IdList list;
  std::set<IdList::Id> reference;
  const RandomKey key(3, 0);
  for (std::uint32_t round = 0; round < 200; ++round) {
    Draws d(key, Stream::observation, round, 0);
    for (int i = 0; i < 20; ++i) {
      const auto id = d.below(500);
      list.push_back(id);
      reference.insert(id);
    }
    const auto drop = d.below(500);
    auto keep = [&](IdList::Id id) { return id % 7 != drop % 7; };
    list.tidy(keep);
    std::erase_if(reference, [&](IdList::Id id) { return !keep(id); });
    ASSERT_EQ(std::vector<IdList::Id>(list.begin(), list.end()),
              std::vector<IdList::Id>(reference.begin(), reference.end()))
        << round;
  }
}

}  // namespace tipsim

namespace tipsim {
namespace {

TEST(IndexMap, FindsWhatWasInsertedAndNothingElseThroughGrowth) {
  IndexMap map;
  EXPECT_FALSE(map.find(0).has_value());
  // Consecutive and scattered keys, through several doublings of the table.
  for (std::uint32_t k = 0; k < 5000; ++k) EXPECT_EQ(map.insert(k * 7919u % 100003u, k), k);
  EXPECT_EQ(map.size(), 5000u);
  for (std::uint32_t k = 0; k < 5000; ++k) {
    const auto found = map.find(k * 7919u % 100003u);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, k);
  }
  EXPECT_FALSE(map.find(100003u).has_value());
  // A key already there keeps its value.
  EXPECT_EQ(map.insert(0, 42), 0u);
  EXPECT_EQ(map.size(), 5000u);
}

}  // namespace
}  // namespace tipsim
