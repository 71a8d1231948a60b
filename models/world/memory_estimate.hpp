#pragma once
/// The memory a scenario's run holds from its start, worked out from the scenario alone
/// before anything is built: the rows of the persons made at the start (organisation
/// members, the women in the houses and at the sites), each recruiter's contacts and their
/// ties, the houses, the routes between every origin and site, and the calendar and daily
/// record over the horizon. The sizes are those of the data structures (sizeof of the
/// elements, the allocator's block overhead), without the slack of growing vectors, so the
/// figure is a lower bound of what the run will take; what happens during the run (women
/// recruited, events) comes on top.
#include <string>
#include <vector>

#include "models/scenario/parameters.hpp"

namespace tipsim::model {

/// One scenario value and the memory that follows from it.
struct MemoryTerm {
  std::string key;  ///< the scenario key, e.g. "places.Edo.recruiters"
  double count = 0;
  double bytes_each = 0;
  std::string each;  ///< what one of `count` is, e.g. "recruiter"
  [[nodiscard]] double bytes() const { return count * bytes_each; }
};

struct MemoryEstimate {
  std::vector<MemoryTerm> terms;  ///< largest first
  [[nodiscard]] double total_bytes() const;
  /// The largest terms: "places.Edo.recruiters 1e+06: 2.1 KiB each, ...".
  [[nodiscard]] std::string describe(std::size_t terms_shown = 3) const;
};

/// Bytes of one person's row in the population and the run's per-person arrays.
[[nodiscard]] double person_row_bytes(bool with_acquaintances);

/// The memory the run of `spec` holds once its world is built and its first step recorded.
[[nodiscard]] MemoryEstimate estimate_start_memory(const ScenarioSpec& spec);

}  // namespace tipsim::model
