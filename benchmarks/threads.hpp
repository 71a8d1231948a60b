#pragma once
// Thread counts the scaling benchmarks are registered at.
#include <benchmark/benchmark.h>

#include <thread>

namespace tipsim::bench {

/// Arguments 1 and 2 threads (the figures of benchmarks/README.md), then 4, 8, 16, ... as
/// far as this machine has cores, so a larger machine shows how far scaling goes.
inline void thread_counts(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")->Arg(1)->Arg(2);
  const unsigned cores = std::thread::hardware_concurrency();
  for (unsigned t = 4; t <= cores; t *= 2) b->Arg(static_cast<int>(t));
}

}  // namespace tipsim::bench
