#pragma once
/// What the scenario-reading files share: the ranges of common kinds of parameters, the
/// source written for assumptions, and the check of names against those declared.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/reader.hpp"

namespace tipsim::model::reading {

inline constexpr config::Range kShare{0.0, 1.0};
inline constexpr config::Range kNonNegative{0.0, 1e15};
inline constexpr config::Range kPositive{1e-9, 1e15};
inline constexpr config::Range kOddsRatio{0.0, 1e3};
/// An amount of FCFA: up to 1,000 billion, so that sums over a run's women, days and
/// units stay within 64-bit integers (9.2e18).
inline constexpr config::Range kMoney{0.0, 1e12};
/// FCFA paid or charged per client or per day, multiplied by clients and days: up to 10
/// million (and so within the 32-bit integers prices are held in).
inline constexpr config::Range kDailyMoney{0.0, 1e7};
inline const std::string kAssumption =
    "assumption: not reported by the sources; explore by sensitivity";

/// Records "unknown <kind> 'name'" at `key` for each of `names` not in `known`.
inline void report_unknown(config::Reader& r, std::string_view key,
                           const std::vector<std::string>& names,
                           const std::set<std::string>& known, const char* kind) {
  if (r.schema_mode()) return;
  for (const auto& n : names)
    if (!known.count(n)) r.error(key, std::string("unknown ") + kind + " '" + n + "'");
}

}  // namespace tipsim::model::reading
