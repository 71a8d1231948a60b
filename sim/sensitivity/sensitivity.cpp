#include "sim/sensitivity/sensitivity.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/random.hpp"
#include "sim/stats/quantile.hpp"

namespace tipsim::sensitivity {
namespace {

constexpr std::uint32_t kMorrisStream = 0;  // steps of the sensitivity stream
constexpr std::uint32_t kBootstrapStep = 1;

Interval percentile_interval(std::vector<double> values) {
  const std::vector<double> qs{0.025, 0.975};
  const auto q = stats::quantiles(std::move(values), qs);
  return {q[0], q[1]};
}

double trajectory_distance(const Plan& plan, std::size_t a, std::size_t b) {
  // Campolongo et al. 2007: the sum of the Euclidean distances between every point of one
  // trajectory and every point of the other.
  const std::size_t k = plan.parameters, n = k + 1;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double d2 = 0;
      for (std::size_t p = 0; p < k; ++p) {
        const double diff = plan.points[((a * n) + i) * k + p] - plan.points[((b * n) + j) * k + p];
        d2 += diff * diff;
      }
      sum += std::sqrt(d2);
    }
  }
  return sum;
}

}  // namespace

Plan morris_plan(std::size_t k, const MorrisOptions& o) {
  if (k == 0 || o.trajectories == 0) throw std::invalid_argument("Morris: nothing to sample");
  if (o.levels < 2 || o.levels % 2 != 0)
    throw std::invalid_argument("Morris: levels must be even and at least 2");
  const std::size_t m = std::max(o.candidates, 4 * o.trajectories);
  const double p = o.levels;
  const double delta = p / (2 * (p - 1));
  const RandomKey key(o.seed, 0);
  Plan candidates{k, {}};
  for (std::size_t t = 0; t < m; ++t) {
    Draws d(key, Stream::sensitivity, kMorrisStream, static_cast<std::uint32_t>(t));
    // A base point on the levels that leave room for +Δ, then the parameters in a random
    // order, each moved up or down by Δ (whichever stays in [0, 1]).
    std::vector<double> x(k);
    const auto room = static_cast<std::uint32_t>(o.levels / 2);
    for (std::size_t i = 0; i < k; ++i) x[i] = d.below(room) / (p - 1);
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = k; i > 1; --i)
      std::swap(order[i - 1], order[d.below(static_cast<std::uint32_t>(i))]);
    std::vector<bool> up(k);
    for (std::size_t i = 0; i < k; ++i) up[i] = d.bernoulli(0.5);
    // Starting from the low end when going up, the high end when going down.
    for (std::size_t i = 0; i < k; ++i)
      if (!up[i]) x[i] += delta;
    candidates.points.insert(candidates.points.end(), x.begin(), x.end());
    for (const std::size_t i : order) {
      x[i] += up[i] ? delta : -delta;
      candidates.points.insert(candidates.points.end(), x.begin(), x.end());
    }
  }
  // Greedy choice of spread trajectories: the farthest pair, then each time the candidate
  // farthest from those chosen.
  std::vector<std::size_t> chosen;
  if (m == o.trajectories) {
    chosen.resize(m);
    std::iota(chosen.begin(), chosen.end(), std::size_t{0});
  } else {
    std::vector<double> dist(m * m, 0.0);
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = a + 1; b < m; ++b)
        dist[a * m + b] = dist[b * m + a] = trajectory_distance(candidates, a, b);
    std::size_t best_a = 0, best_b = 1;
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = a + 1; b < m; ++b)
        if (dist[a * m + b] > dist[best_a * m + best_b]) best_a = a, best_b = b;
    chosen = {best_a, best_b};
    std::vector<bool> taken(m, false);
    taken[best_a] = taken[best_b] = true;
    while (chosen.size() < o.trajectories) {
      std::size_t best = m;
      double best_sum = -1;
      for (std::size_t c = 0; c < m; ++c) {
        if (taken[c]) continue;
        double sum = 0;
        for (const std::size_t s : chosen) sum += dist[c * m + s];
        if (sum > best_sum) best = c, best_sum = sum;
      }
      taken[best] = true;
      chosen.push_back(best);
    }
    std::sort(chosen.begin(), chosen.end());
  }
  Plan plan{k, {}};
  const std::size_t n = (k + 1) * k;
  for (const std::size_t c : chosen)
    plan.points.insert(plan.points.end(),
                       candidates.points.begin() + static_cast<std::ptrdiff_t>(c * n),
                       candidates.points.begin() + static_cast<std::ptrdiff_t>((c + 1) * n));
  return plan;
}

std::vector<MorrisIndex> morris_indices(const Plan& plan, const std::vector<double>& y,
                                        std::size_t bootstrap, std::uint64_t seed) {
  const std::size_t k = plan.parameters, n = k + 1;
  if (y.size() != plan.size() || plan.size() % n != 0)
    throw std::invalid_argument("Morris: one output per point of whole trajectories expected");
  const std::size_t r = plan.size() / n;
  // effects[t * k + i]: trajectory t's elementary effect of parameter i.
  std::vector<double> effects(r * k, 0.0);
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t a = t * n + s, b = a + 1;
      std::size_t moved = k;
      double step = 0;
      for (std::size_t i = 0; i < k; ++i) {
        const double d = plan.points[b * k + i] - plan.points[a * k + i];
        if (d != 0) moved = i, step = d;
      }
      if (moved == k) throw std::invalid_argument("Morris: a step moved no parameter");
      effects[t * k + moved] = (y[b] - y[a]) / step;
    }
  }
  const auto summarise = [&](const std::vector<std::size_t>& rows, std::size_t i,
                             MorrisIndex& out) {
    double sum = 0, abs_sum = 0, sq = 0;
    for (const std::size_t t : rows) {
      const double e = effects[t * k + i];
      sum += e;
      abs_sum += std::abs(e);
      sq += e * e;
    }
    const double rn = static_cast<double>(rows.size());
    out.mu = sum / rn;
    out.mu_star = abs_sum / rn;
    out.sigma =
        rows.size() > 1 ? std::sqrt(std::max(0.0, (sq - rn * out.mu * out.mu) / (rn - 1))) : 0;
  };
  std::vector<std::size_t> all(r);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<MorrisIndex> out(k);
  const RandomKey key(seed, 0);
  for (std::size_t i = 0; i < k; ++i) {
    summarise(all, i, out[i]);
    std::vector<double> resampled;
    for (std::size_t b = 0; b < bootstrap; ++b) {
      Draws d(key, Stream::sensitivity, kBootstrapStep, static_cast<std::uint32_t>(b));
      std::vector<std::size_t> rows(r);
      for (auto& row : rows) row = d.below(static_cast<std::uint32_t>(r));
      MorrisIndex m;
      summarise(rows, i, m);
      resampled.push_back(m.mu_star);
    }
    if (bootstrap > 0) out[i].mu_star_interval = percentile_interval(std::move(resampled));
  }
  return out;
}

Plan sobol_plan(std::size_t k, std::size_t base) {
  if (k == 0 || base == 0) throw std::invalid_argument("Sobol: nothing to sample");
  boost::random::sobol engine(static_cast<unsigned>(2 * k));
  const double scale = 1.0 / (static_cast<double>(engine.max()) + 1.0);
  std::vector<double> a(base * k), b(base * k);
  for (std::size_t n = 0; n < base; ++n) {
    for (std::size_t i = 0; i < k; ++i) a[n * k + i] = static_cast<double>(engine()) * scale;
    for (std::size_t i = 0; i < k; ++i) b[n * k + i] = static_cast<double>(engine()) * scale;
  }
  Plan plan{k, {}};
  plan.points.reserve(base * (k + 2) * k);
  plan.points.insert(plan.points.end(), a.begin(), a.end());
  plan.points.insert(plan.points.end(), b.begin(), b.end());
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t n = 0; n < base; ++n) {
      for (std::size_t j = 0; j < k; ++j)
        plan.points.push_back(j == i ? b[n * k + j] : a[n * k + j]);
    }
  }
  return plan;
}

std::vector<SobolIndex> sobol_indices(std::size_t k, std::size_t base, const std::vector<double>& y,
                                      std::size_t bootstrap, std::uint64_t seed) {
  if (y.size() != base * (k + 2))
    throw std::invalid_argument("Sobol: one output per point of the plan expected");
  const auto fa = [&](std::size_t n) { return y[n]; };
  const auto fb = [&](std::size_t n) { return y[base + n]; };
  const auto fab = [&](std::size_t i, std::size_t n) { return y[(2 + i) * base + n]; };
  const auto estimate = [&](const std::vector<std::size_t>& rows, std::size_t i, double& s1,
                            double& st) {
    // Var(Y) over A and B together.
    double sum = 0, sq = 0;
    for (const std::size_t n : rows) {
      sum += fa(n) + fb(n);
      sq += fa(n) * fa(n) + fb(n) * fb(n);
    }
    const double m = 2.0 * static_cast<double>(rows.size());
    const double var = sq / m - (sum / m) * (sum / m);
    double first = 0, total = 0;
    for (const std::size_t n : rows) {
      first += fb(n) * (fab(i, n) - fa(n));                      // Saltelli et al. 2010
      total += 0.5 * (fa(n) - fab(i, n)) * (fa(n) - fab(i, n));  // Jansen 1999
    }
    const double rn = static_cast<double>(rows.size());
    s1 = var > 0 ? first / rn / var : 0;
    st = var > 0 ? total / rn / var : 0;
  };
  std::vector<std::size_t> all(base);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<SobolIndex> out(k);
  const RandomKey key(seed, 0);
  std::vector<std::vector<std::size_t>> samples;
  for (std::size_t b = 0; b < bootstrap; ++b) {
    Draws d(key, Stream::sensitivity, kBootstrapStep + 1, static_cast<std::uint32_t>(b));
    std::vector<std::size_t> rows(base);
    for (auto& row : rows) row = d.below(static_cast<std::uint32_t>(base));
    samples.push_back(std::move(rows));
  }
  for (std::size_t i = 0; i < k; ++i) {
    estimate(all, i, out[i].first, out[i].total);
    std::vector<double> firsts, totals;
    for (const auto& rows : samples) {
      double s1 = 0, st = 0;
      estimate(rows, i, s1, st);
      firsts.push_back(s1);
      totals.push_back(st);
    }
    if (bootstrap > 0) {
      out[i].first_interval = percentile_interval(std::move(firsts));
      out[i].total_interval = percentile_interval(std::move(totals));
    }
  }
  return out;
}

}  // namespace tipsim::sensitivity
