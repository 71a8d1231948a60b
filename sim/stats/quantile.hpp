#pragma once
/// Quantiles as NumPy computes them by default (linear interpolation between order
/// statistics, Hyndman and Fan's type 7), so that numbers read from an ensemble file can be
/// checked with numpy.quantile.
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

namespace tipsim::stats {

/// The q-quantile (0 <= q <= 1) of values already sorted ascending; NaN when empty.
[[nodiscard]] inline double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/// The q-quantiles of `values`, NaNs left out.
[[nodiscard]] inline std::vector<double> quantiles(std::vector<double> values,
                                                   std::span<const double> qs) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  out.reserve(qs.size());
  for (const double q : qs) out.push_back(quantile_sorted(values, q));
  return out;
}

}  // namespace tipsim::stats
