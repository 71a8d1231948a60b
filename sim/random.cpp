#include "sim/random.hpp"

#include <algorithm>

namespace tipsim {

std::uint32_t Draws::poisson(double mean) {
  if (mean <= 0.0) return 0;
  if (mean > 50.0) {
    const double x = mean + std::sqrt(mean) * normal();
    return static_cast<std::uint32_t>(std::max(0.0, std::round(x)));
  }
  const double u = uniform();
  double p = std::exp(-mean);
  double cumulative = p;
  std::uint32_t k = 0;
  while (u > cumulative && k < 1000) {
    ++k;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

// The loop in Draws::poisson stops at the first k whose cumulative probability reaches u,
// or at k = 1000. The table holds the same partial sums, computed in the same order, until
// the mode is passed and a further term no longer changes the sum; past that point the
// loop could only run on to 1000.
namespace {
constexpr std::uint32_t kPoissonLoopLimit = 1000;
}

void PoissonTable::assign(double mean) {
  mean_ = mean;
  cumulative_.clear();
  if (mean <= 0.0 || mean > 50.0) return;
  double p = std::exp(-mean);
  double cumulative = p;
  cumulative_.push_back(cumulative);
  for (std::uint32_t k = 1; k <= kPoissonLoopLimit; ++k) {
    p *= mean / k;
    const double next = cumulative + p;
    if (next == cumulative && k > mean) break;
    cumulative = next;
    cumulative_.push_back(cumulative);
  }
}

std::uint32_t PoissonTable::sample(Draws& d) const {
  if (mean_ <= 0.0) return 0;
  if (mean_ > 50.0) return d.poisson(mean_);
  const double u = d.uniform();
  const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
  if (it == cumulative_.end()) return kPoissonLoopLimit;
  return static_cast<std::uint32_t>(it - cumulative_.begin());
}

}  // namespace tipsim
