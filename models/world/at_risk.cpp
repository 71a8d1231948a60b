#include "models/world/at_risk.hpp"

#include <algorithm>

#include "models/world/world.hpp"
#include "sim/error.hpp"

namespace tipsim::model {

namespace {

/// A 32-bit integer hash with good avalanche (Wellons' lowbias32).
std::uint32_t mix(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/// A keyed pseudo-random permutation of [0, n): a four-round Feistel network on the
/// smallest square power of two that holds n, walked along its cycles until it lands
/// below n (at most four tries on average, since that square is under 4n). Its round keys
/// come from one Philox block of the social network's stream, so the permutation is a
/// function of the run's key, the origin and the slot.
class KeyedPermutation {
 public:
  KeyedPermutation(const RandomKey& key, std::uint32_t origin, std::uint32_t slot, std::uint32_t n)
      : n_(n) {
    while ((std::uint64_t{1} << (2 * half_bits_)) < n) ++half_bits_;
    mask_ = (1U << half_bits_) - 1U;
    // Step numbers of this stream from 2^31 up are the permutations'; below are the slots'.
    const auto block = key.block(Stream::social_network, 0x80000000U | slot, origin, 0);
    for (int r = 0; r < 4; ++r) round_key_[r] = block.v[r];
  }

  [[nodiscard]] std::uint32_t forward(std::uint32_t x) const {
    do {
      x = encrypt(x);
    } while (x >= n_);
    return x;
  }
  [[nodiscard]] std::uint32_t inverse(std::uint32_t y) const {
    do {
      y = decrypt(y);
    } while (y >= n_);
    return y;
  }

 private:
  [[nodiscard]] std::uint32_t round(int r, std::uint32_t half) const {
    return mix(round_key_[r] ^ mix(half + 0x9e3779b9U * static_cast<std::uint32_t>(r + 1))) & mask_;
  }
  [[nodiscard]] std::uint32_t encrypt(std::uint32_t x) const {
    std::uint32_t left = x >> half_bits_;
    std::uint32_t right = x & mask_;
    for (int r = 0; r < 4; ++r) {
      const std::uint32_t next = left ^ round(r, right);
      left = right;
      right = next;
    }
    return (left << half_bits_) | right;
  }
  [[nodiscard]] std::uint32_t decrypt(std::uint32_t y) const {
    std::uint32_t left = y >> half_bits_;
    std::uint32_t right = y & mask_;
    for (int r = 3; r >= 0; --r) {
      const std::uint32_t previous = right ^ round(r, left);
      right = left;
      left = previous;
    }
    return (left << half_bits_) | right;
  }

  std::uint32_t n_;
  std::uint32_t half_bits_ = 1;
  std::uint32_t mask_ = 1;
  std::uint32_t round_key_[4] = {};
};

}  // namespace

std::uint32_t origin_of(const World& w, AtRiskIndex v) {
  if (v >= w.at_risk_women) throw InvariantError("at-risk index out of range");
  const auto after =
      std::upper_bound(w.origins.begin(), w.origins.end(), v,
                       [](AtRiskIndex x, const Origin& o) { return x < o.first_woman; });
  // Origins with no women share their first index with the next one; upper_bound lands
  // after the last of them, so the one before holds v (the loop is a guard).
  auto it = after - 1;
  while (v >= it->first_woman + it->women) ++it;
  return static_cast<std::uint32_t>(it - w.origins.begin());
}

AtRiskWoman draw_at_risk_woman(const World& w, const RandomKey& key, AtRiskIndex v) {
  const AtRiskTraits& t = w.at_risk;
  AtRiskWoman woman;
  woman.origin = origin_of(w, v);
  const Origin& origin = w.origins[woman.origin];
  Draws d(key, Stream::world_build, 0, v);
  if (d.bernoulli(t.poverty_share)) woman.flags |= kPoverty;
  if (d.bernoulli(t.childhood_sexual_violence_share)) woman.flags |= kChildhoodSexualViolence;
  if (d.bernoulli(t.partner_violence_share)) woman.flags |= kPartnerViolence;
  // Birth order follows the index so neighbours on the ring are of similar age.
  const double i = v - origin.first_woman;
  const double born = t.born_first + (t.born_last - t.born_first) * (i + d.uniform()) /
                                         static_cast<double>(origin.women);
  woman.birth_day = static_cast<std::int32_t>(born);
  return woman;
}

void at_risk_ties(const World& w, const RandomKey& key, AtRiskIndex v,
                  std::vector<AtRiskIndex>& out) {
  out.clear();
  const std::uint32_t o = origin_of(w, v);
  const Origin& origin = w.origins[o];
  const std::uint32_t n = origin.women;
  if (n < 2) return;
  const std::uint32_t i = v - origin.first_woman;
  const double rewiring = w.at_risk.rewiring;
  const auto rewired = [&](std::uint32_t woman, std::uint32_t slot) {
    return Draws(key, Stream::social_network, slot, origin.first_woman + woman).bernoulli(rewiring);
  };
  for (std::uint32_t j = 1; j <= w.at_risk.ring_neighbours && j < n; ++j) {
    const KeyedPermutation perm(key, o, j, n);
    // Her own slot j.
    // In 64 bits: an origin may hold more than 2^31 women.
    const auto ring = [&](std::uint64_t x) { return static_cast<std::uint32_t>(x % n); };
    const std::uint32_t own = rewired(i, j) ? perm.forward(i) : ring(std::uint64_t{i} + j);
    if (own != i) out.push_back(own);
    // Slot j of the woman j places before her on the ring, if it was not rewired.
    const std::uint32_t before = ring(std::uint64_t{i} + n - j);
    if (before != i && !rewired(before, j)) out.push_back(before);
    // Slot j of the woman whose rewired tie the permutation sends to her.
    const std::uint32_t sender = perm.inverse(i);
    if (sender != i && rewired(sender, j)) out.push_back(sender);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  for (auto& tie : out) tie += origin.first_woman;
}

}  // namespace tipsim::model
