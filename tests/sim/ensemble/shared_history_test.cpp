// The shared history of a replicate is computed once however many runs ask at once, kept
// for the replicates asked for last, computed again once dropped, and a failure reaches
// every run that waited for it.
#include "sim/ensemble/shared_history.hpp"

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace tipsim::ensemble {
namespace {

SharedHistory::States states_of(std::uint32_t replicate) {
  // A history whose work takes a while and uses parallel phases of its own, as a run does.
  std::atomic<std::uint64_t> sum{0};
  tbb::parallel_for(0, 1000, [&](int i) { sum += static_cast<std::uint64_t>(i) * replicate; });
  return {{100, {static_cast<std::uint8_t>(replicate), static_cast<std::uint8_t>(sum % 251)}},
          {200, {static_cast<std::uint8_t>(replicate + 1)}}};
}

TEST(SharedHistory, EachReplicateIsComputedOnceHoweverManyRunsAskAtOnce) {
  std::atomic<int> calls{0};
  SharedHistory history(
      [&](std::uint32_t r) {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return states_of(r);
      },
      8);
  // 5 replicates x 12 runs each, asked from parallel tasks in any order.
  tbb::parallel_for(0, 60, [&](int run) {
    const auto r = static_cast<std::uint32_t>(run % 5);
    const auto s = history.states(r);
    ASSERT_EQ(s->size(), 2u);
    EXPECT_EQ(s->at(100), states_of(r).at(100));
  });
  EXPECT_EQ(calls.load(), 5);
  EXPECT_EQ(history.computed(), 5u);
}

TEST(SharedHistory, OnlyTheLastReplicatesAreKeptAndADroppedOneIsComputedAgain) {
  std::atomic<int> calls{0};
  SharedHistory history(
      [&](std::uint32_t r) {
        ++calls;
        return states_of(r);
      },
      2);
  (void)history.states(0);
  (void)history.states(1);
  (void)history.states(0);  // kept: 0 is now the most recent
  EXPECT_EQ(calls.load(), 2);
  (void)history.states(2);  // drops 1, the least recent
  (void)history.states(0);
  EXPECT_EQ(calls.load(), 3);
  const auto again = history.states(1);
  EXPECT_EQ(calls.load(), 4);
  EXPECT_EQ(again->at(200), std::vector<std::uint8_t>{2});
}

TEST(SharedHistory, AFailureReachesEveryWaitingRunAndTheNextAskTriesAgain) {
  std::atomic<int> calls{0};
  SharedHistory history(
      [&](std::uint32_t r) -> SharedHistory::States {
        if (++calls == 1) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          throw std::runtime_error("disk full");
        }
        return states_of(r);
      },
      4);
  std::atomic<int> failed{0}, succeeded{0};
  tbb::parallel_for(0, 8, [&](int) {
    try {
      (void)history.states(3);
      ++succeeded;
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "disk full");
      ++failed;
    }
  });
  EXPECT_GE(failed.load(), 1);
  EXPECT_EQ(failed.load() + succeeded.load(), 8);
  EXPECT_EQ(history.states(3)->at(200), std::vector<std::uint8_t>{4});
}

}  // namespace
}  // namespace tipsim::ensemble
