#pragma once
/// The at-risk women at their origins, held as counts. Woman `v` of origin `o` has the
/// index v in [Origin::first_woman, first_woman + women); her attributes and her social
/// ties are drawn from streams keyed by v, so she exists, with everything the model could
/// ask of her, without a row in the population. A row is made only when an event reaches
/// her (an approach that wins her, an intervention that marks her); until then she costs
/// neither time nor memory.
#include <cstdint>
#include <vector>

#include "sim/random.hpp"

namespace tipsim::model {

struct World;

using AtRiskIndex = std::uint32_t;
inline constexpr AtRiskIndex kNotAtRisk = 0xFFFFFFFFu;

/// What the draws of an at-risk woman need, fixed when the world is built.
struct AtRiskTraits {
  double poverty_share = 0;
  double childhood_sexual_violence_share = 0;
  double partner_violence_share = 0;
  /// Birth dates spread evenly over [born_first, born_last] in index order within an
  /// origin, so that the recruitable band holds the scenario's women on any day.
  double born_first = 0;
  double born_last = 0;
  std::uint32_t ring_neighbours = 1;  ///< ties to each side on the Watts-Strogatz ring
  double rewiring = 0;                ///< probability that a ring tie is rewired
};

/// An at-risk woman as drawn: what she is before any event reaches her.
struct AtRiskWoman {
  std::uint32_t origin = 0;  ///< index into World::origins
  std::int32_t birth_day = 0;
  std::uint8_t flags = 0;
};

/// The origin whose index range holds `v`.
[[nodiscard]] std::uint32_t origin_of(const World& w, AtRiskIndex v);

/// Her attributes, from the draws keyed by `v` (stream world_build).
[[nodiscard]] AtRiskWoman draw_at_risk_woman(const World& w, const RandomKey& key, AtRiskIndex v);

/// Her social ties, ascending and without repeats, into `out`. The ties form a
/// Watts-Strogatz small world within her origin: each woman i holds slots j = 1..k, each a
/// tie to i + j on the ring or, with the rewiring probability, to perm_j(i), where perm_j
/// is a keyed pseudo-random permutation of the origin's women. Because a permutation can
/// be inverted, the ties that others' slots point at her are found from her index alone:
/// i - j (if that slot was not rewired) and perm_j^-1(i) (if that slot was). The network is
/// therefore symmetric and the same whoever asks, and nobody has to hold it.
void at_risk_ties(const World& w, const RandomKey& key, AtRiskIndex v,
                  std::vector<AtRiskIndex>& out);

}  // namespace tipsim::model
