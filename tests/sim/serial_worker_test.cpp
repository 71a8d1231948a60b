// The background worker runs jobs in order, one at a time, bounds what waits, and reports
// the first failure once, running nothing after it.
#include "sim/serial_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tipsim {
namespace {

TEST(SerialWorker, RunsJobsInTheOrderSubmitted) {
  std::vector<int> order;  // touched by the worker only, read after wait()
  SerialWorker worker(3);
  for (int i = 0; i < 100; ++i) worker.submit([&order, i] { order.push_back(i); });
  worker.wait();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

TEST(SerialWorker, SubmitBlocksWhileTheQueueIsFull) {
  std::atomic<bool> started{false}, release{false};
  std::atomic<int> submitted{0};
  SerialWorker worker(2);
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) {
      worker.submit([&] {
        started = true;
        while (!release) std::this_thread::yield();
      });
      ++submitted;
    }
  });
  // One job runs (held), two wait: the fourth submit cannot return.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((!started || submitted < 3) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(submitted.load(), 3);
  release = true;
  producer.join();
  worker.wait();
  EXPECT_EQ(submitted.load(), 5);
}

TEST(SerialWorker, TheFirstFailureStopsLaterJobsAndIsReportedAtEveryCall) {
  SerialWorker worker(4);
  int ran_after = 0;
  bool queued = true;
  worker.submit([] { throw std::runtime_error("disk full"); });
  try {
    worker.submit([&] { ++ran_after; });  // may come after the failure: then it throws
  } catch (const std::runtime_error&) {
    queued = false;
  }
  for (int call = 0; call < 2; ++call) {
    try {
      worker.wait();
      FAIL() << "the failure was not reported";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "disk full");
    }
  }
  EXPECT_EQ(ran_after, 0) << queued;
  // Whatever is submitted afterwards is refused with the same failure, and never runs.
  EXPECT_THROW(worker.submit([&] { ++ran_after; }), std::runtime_error);
  EXPECT_EQ(ran_after, 0);
}

TEST(SerialWorker, AFailureReachesTheNextSubmit) {
  SerialWorker worker(1);
  worker.submit([] { throw std::runtime_error("no space"); });
  // Until the job has run, submit may still queue; it throws at the latest once it has.
  bool thrown = false;
  for (int i = 0; i < 1000 && !thrown; ++i) {
    try {
      worker.submit([] {});
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "no space");
      thrown = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(thrown);
}

TEST(SerialWorker, DestroyingSkipsWhatHasNotStarted) {
  std::atomic<bool> started{false}, release{false};
  std::atomic<int> ran{0};
  std::thread releaser;
  {
    SerialWorker worker(8);
    worker.submit([&] {
      started = true;
      while (!release) std::this_thread::yield();
      ++ran;
    });
    for (int i = 0; i < 5; ++i) worker.submit([&] { ++ran; });
    while (!started) std::this_thread::yield();
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      release = true;
    });
  }  // the running job finishes; the five queued ones never start
  releaser.join();
  EXPECT_EQ(ran.load(), 1);
}

TEST(SerialWorker, CountsTheTimeItSpentOnJobs) {
  SerialWorker worker;
  worker.submit([] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); });
  worker.wait();
  EXPECT_GE(worker.busy_seconds(), 0.029);
}

}  // namespace
}  // namespace tipsim
