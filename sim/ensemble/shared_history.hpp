#pragma once
/// The common part of an experiment's runs, computed once per replicate. Runs of one
/// replicate that agree until some day (a base and its what-ifs share their random key and
/// their history until their first difference) can each start from a state saved on that
/// day instead of running the shared days again. The states of a replicate are computed by
/// the first run that asks, once, while the others that ask wait; the states of the
/// replicates asked for last are kept, older ones dropped (and computed again if asked for
/// again), so memory stays bounded by the runs in flight. Knows nothing of what a state is.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace tipsim::ensemble {

class SharedHistory {
 public:
  /// A replicate's saved states, by day (days since 1970-01-01).
  using States = std::map<std::int32_t, std::vector<std::uint8_t>>;
  using Compute = std::function<States(std::uint32_t replicate)>;

  /// `compute(replicate)` runs the shared history of one replicate and returns its states;
  /// `kept_replicates` (at least 1): how many replicates' states are kept at once.
  SharedHistory(Compute compute, std::size_t kept_replicates);

  /// The states of `replicate`, computed now by this caller if nobody has (others asking
  /// meanwhile wait), else as computed before. An exception from `compute` reaches every
  /// caller waiting for it; the next call tries again.
  [[nodiscard]] std::shared_ptr<const States> states(std::uint32_t replicate);

  /// Times `compute` ran, failures included.
  [[nodiscard]] std::uint64_t computed() const;

 private:
  struct Entry {
    bool ready = false;
    bool computing = false;
    std::shared_ptr<const States> states;
  };

  Compute compute_;
  std::size_t kept_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::map<std::uint32_t, Entry> entries_;
  std::list<std::uint32_t> recent_;  ///< replicates with states, most recently asked first
  std::uint64_t computed_ = 0;
};

}  // namespace tipsim::ensemble
