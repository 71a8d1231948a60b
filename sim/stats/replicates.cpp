#include "sim/stats/replicates.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/stats/quantile.hpp"

namespace tipsim::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v, double mean) {
  if (v.size() < 2) return kNaN;
  double ss = 0;
  for (const double x : v) ss += (x - mean) * (x - mean);
  return ss / static_cast<double>(v.size() - 1);
}

std::vector<double> finite(std::span<const double> values) {
  std::vector<double> out;
  for (const double v : values)
    if (!std::isnan(v)) out.push_back(v);
  return out;
}

double t_quantile_975(double df) {
  if (!(df > 0)) return kNaN;
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), 0.975);
}

}  // namespace

Spread spread(std::span<const double> values) {
  std::vector<double> v = finite(values);
  std::sort(v.begin(), v.end());
  Spread s;
  s.n = v.size();
  s.mean = mean_of(v);
  s.median = quantile_sorted(v, 0.5);
  s.q025 = quantile_sorted(v, 0.025);
  s.q10 = quantile_sorted(v, 0.1);
  s.q90 = quantile_sorted(v, 0.9);
  s.q975 = quantile_sorted(v, 0.975);
  return s;
}

PairedDifference paired_difference(std::span<const double> base, std::span<const double> other) {
  std::vector<double> d;
  for (std::size_t i = 0; i < std::min(base.size(), other.size()); ++i)
    if (!std::isnan(base[i]) && !std::isnan(other[i])) d.push_back(other[i] - base[i]);
  PairedDifference p;
  p.n = d.size();
  p.mean = mean_of(d);
  p.share_positive =
      d.empty()
          ? kNaN
          : static_cast<double>(std::count_if(d.begin(), d.end(), [](double x) { return x > 0; })) /
                static_cast<double>(d.size());
  const double half = t_quantile_975(static_cast<double>(d.size()) - 1.0) *
                      std::sqrt(variance_of(d, p.mean) / static_cast<double>(d.size()));
  p.mean_ci_low = p.mean - half;
  p.mean_ci_high = p.mean + half;
  std::sort(d.begin(), d.end());
  p.median = quantile_sorted(d, 0.5);
  p.q025 = quantile_sorted(d, 0.025);
  p.q975 = quantile_sorted(d, 0.975);
  return p;
}

UnpairedDifference unpaired_difference(std::span<const double> base,
                                       std::span<const double> other) {
  std::vector<double> a = finite(base), b = finite(other);
  UnpairedDifference u;
  u.n_base = a.size();
  u.n_other = b.size();
  const double ma = mean_of(a), mb = mean_of(b);
  u.mean = mb - ma;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  u.median = quantile_sorted(b, 0.5) - quantile_sorted(a, 0.5);
  // Welch: standard error from each sample's own variance, Welch-Satterthwaite df.
  const double va = variance_of(a, ma) / static_cast<double>(a.size());
  const double vb = variance_of(b, mb) / static_cast<double>(b.size());
  const double se = std::sqrt(va + vb);
  double df = (va + vb) * (va + vb) /
              (va * va / (static_cast<double>(a.size()) - 1) +
               vb * vb / (static_cast<double>(b.size()) - 1));
  if (va + vb == 0) df = static_cast<double>(a.size() + b.size()) - 2;
  const double half = t_quantile_975(df) * se;
  u.mean_ci_low = u.mean - half;
  u.mean_ci_high = u.mean + half;
  return u;
}

namespace {

/// Pairs (num[i], den[i]) with neither NaN.
void complete_pairs(std::span<const double> numerator, std::span<const double> denominator,
                    std::vector<double>& num, std::vector<double>& den) {
  for (std::size_t i = 0; i < std::min(numerator.size(), denominator.size()); ++i) {
    if (std::isnan(numerator[i]) || std::isnan(denominator[i])) continue;
    num.push_back(numerator[i]);
    den.push_back(denominator[i]);
  }
}

/// Mean of numerator and denominator over one bootstrap resample of the pairs.
std::pair<double, double> resampled_means(const std::vector<double>& num,
                                          const std::vector<double>& den, Draws& draws) {
  const auto size = static_cast<std::uint32_t>(num.size());
  double sn = 0, sd = 0;
  for (std::uint32_t k = 0; k < size; ++k) {
    const std::uint32_t i = draws.below(size);
    sn += num[i];
    sd += den[i];
  }
  return {sn / size, sd / size};
}

double defined_ratio(double n, double d) {
  return d > 0 ? n / d : kNaN;
}

/// The percentile interval of `resampled`, undefined resamples counting as the worst
/// ratio (no gain): NaN when more than 2.5% of them are undefined.
void percentile_interval(std::vector<double> resampled, Ratio& r) {
  const std::size_t total = resampled.size();
  const auto undefined = static_cast<std::size_t>(
      std::count_if(resampled.begin(), resampled.end(), [](double v) { return std::isnan(v); }));
  if (total == 0 || undefined * 40 > total) return;
  std::erase_if(resampled, [](double v) { return std::isnan(v); });
  std::sort(resampled.begin(), resampled.end());
  resampled.insert(resampled.end(), undefined, std::numeric_limits<double>::infinity());
  r.ci_low = quantile_sorted(resampled, 0.025);
  r.ci_high = quantile_sorted(resampled, 0.975);
}

}  // namespace

Ratio ratio_of_mean_differences(std::span<const double> base_num, std::span<const double> base_den,
                                std::span<const double> other_num,
                                std::span<const double> other_den, Draws& draws, int replicates) {
  std::vector<double> bn, bd, on, od;
  complete_pairs(base_num, base_den, bn, bd);
  complete_pairs(other_num, other_den, on, od);
  Ratio r{kNaN, kNaN, kNaN};
  if (bn.empty() || on.empty()) return r;
  r.value = defined_ratio(mean_of(on) - mean_of(bn), mean_of(od) - mean_of(bd));
  std::vector<double> resampled;
  for (int b = 0; b < replicates; ++b) {
    const auto [mbn, mbd] = resampled_means(bn, bd, draws);
    const auto [mon, mod] = resampled_means(on, od, draws);
    resampled.push_back(defined_ratio(mon - mbn, mod - mbd));
  }
  percentile_interval(std::move(resampled), r);
  return r;
}

Ratio ratio_of_means(std::span<const double> numerator, std::span<const double> denominator,
                     Draws& draws, int replicates) {
  std::vector<double> num, den;
  complete_pairs(numerator, denominator, num, den);
  Ratio r{kNaN, kNaN, kNaN};
  if (num.empty()) return r;
  r.value = defined_ratio(mean_of(num), mean_of(den));
  std::vector<double> resampled;
  for (int b = 0; b < replicates; ++b) {
    const auto [mn, md] = resampled_means(num, den, draws);
    resampled.push_back(defined_ratio(mn, md));
  }
  percentile_interval(std::move(resampled), r);
  return r;
}

std::vector<CostEffect> classify_cost_effectiveness(std::span<const double> cost,
                                                    std::span<const double> effect) {
  const std::size_t n = std::min(cost.size(), effect.size());
  std::vector<CostEffect> out(n, CostEffect{Dominance::frontier, kNaN});
  const auto known = [&](std::size_t i) {
    return std::isfinite(cost[i]) && std::isfinite(effect[i]);
  };
  for (std::size_t i = 0; i < n; ++i)
    if (!known(i)) out[i].status = Dominance::no_data;
  for (std::size_t i = 0; i < n; ++i) {
    if (!known(i)) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || !known(j)) continue;
      const bool no_worse = cost[j] <= cost[i] && effect[j] >= effect[i];
      const bool better = cost[j] < cost[i] || effect[j] > effect[i];
      if (no_worse && better) out[i].status = Dominance::dominated;
    }
  }
  // Of identical strategies keep the first on the frontier.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i && known(i); ++j)
      if (out[j].status == Dominance::frontier && cost[j] == cost[i] && effect[j] == effect[i])
        out[i].status = Dominance::dominated;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (out[i].status == Dominance::frontier) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] < cost[b] || (cost[a] == cost[b] && effect[a] > effect[b]);
  });
  // Remove extendedly dominated strategies until the ICERs increase along the frontier.
  bool removed = true;
  while (removed && order.size() > 2) {
    removed = false;
    for (std::size_t k = 1; k + 1 < order.size(); ++k) {
      const std::size_t a = order[k - 1], b = order[k], c = order[k + 1];
      const double icer_b = (cost[b] - cost[a]) / (effect[b] - effect[a]);
      const double icer_c = (cost[c] - cost[b]) / (effect[c] - effect[b]);
      if (icer_b > icer_c) {
        out[b].status = Dominance::extendedly_dominated;
        order.erase(order.begin() + static_cast<std::ptrdiff_t>(k));
        removed = true;
        break;
      }
    }
  }
  for (std::size_t k = 1; k < order.size(); ++k)
    out[order[k]].icer =
        (cost[order[k]] - cost[order[k - 1]]) / (effect[order[k]] - effect[order[k - 1]]);
  return out;
}

const char* to_string(Dominance d) {
  switch (d) {
    case Dominance::frontier:
      return "frontier";
    case Dominance::dominated:
      return "dominated";
    case Dominance::extendedly_dominated:
      return "extendedly_dominated";
    case Dominance::no_data:
      return "no_data";
  }
  return "";
}

}  // namespace tipsim::stats
