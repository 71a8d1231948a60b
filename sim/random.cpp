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

}  // namespace tipsim
