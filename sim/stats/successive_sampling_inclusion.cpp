// Inclusion probabilities under successive sampling: computed from the distribution of the
// number of members drawn by a given time, or, where that distribution is too narrow for
// the computation, simulated.
#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Quadrature: the transition of the sample-size curve is split into panels, each
/// integrated with a Gauss-Legendre rule; the integrand there is a smooth sigmoid times
/// an exponential, which 16 x 10 nodes resolve to far below the approximation's own error.
constexpr int kPanels = 16;
using PanelRule = boost::math::quadrature::gauss<double, 10>;
/// Half-width of the integrated transition in standard deviations of the n-th ring's time;
/// beyond it the probability that fewer than n others have rung is below 1e-30.
constexpr double kHalfWidthSd = 12.0;

/// Cumulants of the number of members drawn by time t: each of the N_k members of class
/// k has rung by then with probability p_k = 1 - exp(-d_k t), independently.
struct DrawnCount {
  double mean = 0.0;        // sum N_k p_k
  double variance = 0.0;    // sum N_k p_k (1 - p_k)
  double third = 0.0;       // sum N_k p_k (1 - p_k) (1 - 2 p_k)
  double mean_slope = 0.0;  // d mean / dt = sum N_k d_k exp(-d_k t)
};

DrawnCount drawn_count(const std::vector<double>& degree, const std::vector<std::int64_t>& count,
                       double t, std::vector<double>* rung) {
  DrawnCount c;
  for (std::size_t k = 0; k < degree.size(); ++k) {
    const double p = -std::expm1(-degree[k] * t);
    if (rung != nullptr) (*rung)[k] = p;
    const auto members = static_cast<double>(count[k]);
    c.mean += members * p;
    c.variance += members * p * (1.0 - p);
    c.third += members * p * (1.0 - p) * (1.0 - 2.0 * p);
    c.mean_slope += members * degree[k] * (1.0 - p);
  }
  return c;
}

/// P(S <= threshold) for S with the given cumulants, by the refined normal approximation
/// (a normal with continuity correction and a skewness term; Volkova 1996). Its error falls
/// with the variance, which is why callers use it only for counts that vary enough.
double at_most(double threshold, double mean, double variance, double third) {
  if (variance < 1e-12) return mean <= threshold + 0.5 ? 1.0 : 0.0;
  const double sd = std::sqrt(variance);
  const double z = (threshold + 0.5 - mean) / sd;
  const double skew = third / (variance * sd);
  const double density = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
  const double normal = 0.5 * std::erfc(-z / std::numbers::sqrt2);
  return std::clamp(normal + skew * (1.0 - z * z) * density / 6.0, 0.0, 1.0);
}

/// The time t at which the expected number drawn is `target` (0 < target < N): the mean
/// rises monotonically from 0 to N, so bisection on a bracket is safe; Newton steps that
/// stay inside the bracket speed it up.
double time_of_expected_draws(const std::vector<double>& degree,
                              const std::vector<std::int64_t>& count, double target) {
  double lo = 0.0;
  double hi = 1.0 / degree.back();
  while (drawn_count(degree, count, hi, nullptr).mean < target) hi *= 2.0;
  double t = 0.5 * (lo + hi);
  for (int step = 0; step < 200; ++step) {
    const DrawnCount c = drawn_count(degree, count, t, nullptr);
    if (c.mean < target) {
      lo = t;
    } else {
      hi = t;
    }
    if (hi - lo <= 1e-15 * hi) break;
    const double newton = t - (c.mean - target) / c.mean_slope;
    t = (newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
  }
  return t;
}

void check_classes(const std::vector<double>& class_degree,
                   const std::vector<std::int64_t>& class_population, std::int64_t sample_size) {
  const std::size_t classes = class_degree.size();
  if (class_population.size() != classes) {
    throw InvariantError("successive sampling: " + std::to_string(classes) + " degrees but " +
                         std::to_string(class_population.size()) + " class counts");
  }
  std::int64_t population = 0;
  for (std::size_t k = 0; k < classes; ++k) {
    if (!(class_degree[k] > 0.0) || !std::isfinite(class_degree[k]) || class_population[k] < 0) {
      throw InvariantError("successive sampling: class " + std::to_string(k) +
                           " needs a positive degree and a non-negative count");
    }
    if (k > 0 && !(class_degree[k] > class_degree[k - 1]))
      throw InvariantError("successive sampling: degree classes must ascend");
    population += class_population[k];
  }
  if (sample_size < 0 || sample_size > population) {
    throw ConfigError("successive sampling: a sample of " + std::to_string(sample_size) +
                      " from a population of " + std::to_string(population));
  }
}

}  // namespace

double successive_sampling_count_sd(const std::vector<double>& class_degree,
                                    const std::vector<std::int64_t>& class_population,
                                    std::int64_t sample_size) {
  check_classes(class_degree, class_population, sample_size);
  std::int64_t population = 0;
  for (auto count : class_population) population += count;
  if (sample_size == 0 || sample_size == population) return 0.0;
  const double t =
      time_of_expected_draws(class_degree, class_population, static_cast<double>(sample_size));
  return std::sqrt(drawn_count(class_degree, class_population, t, nullptr).variance);
}

std::vector<double> successive_sampling_inclusion(const std::vector<double>& class_degree,
                                                  const std::vector<std::int64_t>& class_population,
                                                  std::int64_t sample_size, Draws& d,
                                                  int simulations) {
  if (successive_sampling_count_sd(class_degree, class_population, sample_size) >=
      kSuccessiveSamplingMinCountSd)
    return successive_sampling_inclusion_computed(class_degree, class_population, sample_size);
  return successive_sampling_inclusion_simulated(class_degree, class_population, sample_size, d,
                                                 simulations);
}

std::vector<double> successive_sampling_inclusion_computed(
    const std::vector<double>& class_degree, const std::vector<std::int64_t>& class_population,
    std::int64_t sample_size) {
  check_classes(class_degree, class_population, sample_size);
  const std::size_t classes = class_degree.size();
  std::int64_t population = 0;
  for (auto count : class_population) population += count;
  std::vector<double> inclusion(classes, kNaN);
  for (std::size_t k = 0; k < classes; ++k) {
    if (class_population[k] == 0) continue;
    if (sample_size == population) inclusion[k] = 1.0;
    if (sample_size == 0) inclusion[k] = 0.0;
  }
  if (sample_size == 0 || sample_size == population) return inclusion;

  // A member of class k (clock rate d_k) is in the sample when her clock rings before the
  // n-th ring among the N - 1 others, i.e. before fewer than n of them have rung:
  //   pi_k = integral over t of d_k exp(-d_k t) P(S_k(t) <= n - 1) dt,
  // where S_k(t), the others rung by t, is a sum of independent binomials (her own class
  // short of one member). That identity is exact; only P(S_k(t) <= n - 1) is
  // approximated. The integrand switches from d_k exp(-d_k t) to 0 around the time t* at
  // which n rings are expected, over a few standard deviations of the n-th ring's time.
  const auto n = static_cast<double>(sample_size);
  const double centre = time_of_expected_draws(class_degree, class_population, n);
  const DrawnCount at_centre = drawn_count(class_degree, class_population, centre, nullptr);
  const double time_sd = std::sqrt(at_centre.variance) / at_centre.mean_slope;
  const double from = std::max(0.0, centre - kHalfWidthSd * time_sd);
  const double to = centre + kHalfWidthSd * time_sd;
  std::vector<double> integral(classes, 0.0);
  // Before `from` fewer than n others have rung with probability 1 to within 1e-30.
  for (std::size_t k = 0; k < classes; ++k) integral[k] = -std::expm1(-class_degree[k] * from);
  std::vector<double> rung(classes);
  const double panel_width = (to - from) / kPanels;
  const auto& abscissa = PanelRule::abscissa();
  const auto& weight = PanelRule::weights();
  // A class whose clock is fast against a panel decays within a sliver of the first one:
  // it gets panels of its own there, growing geometrically from 1/degree.
  const auto steep = [&](std::size_t k) { return class_degree[k] * panel_width > 4.0; };
  // Adds the rule over [a, b] to the integral of class `only`, or of every class that is
  // not steep when `only` is `classes`.
  const auto add_panel = [&](double a, double b, std::size_t only) {
    const double mid = 0.5 * (a + b);
    const double half = 0.5 * (b - a);
    // The rule stores the non-negative half of its symmetric nodes.
    for (std::size_t i = 0; i < abscissa.size(); ++i) {
      for (const double side : {-1.0, 1.0}) {
        if (abscissa[i] == 0.0 && side > 0.0) continue;
        const double t = mid + side * half * abscissa[i];
        const DrawnCount all = drawn_count(class_degree, class_population, t, &rung);
        for (std::size_t k = 0; k < classes; ++k) {
          if (class_population[k] == 0) continue;
          if (only < classes ? k != only : steep(k)) continue;
          const double p = rung[k];
          const double others_fewer = at_most(n - 1.0, all.mean - p, all.variance - p * (1.0 - p),
                                              all.third - p * (1.0 - p) * (1.0 - 2.0 * p));
          integral[k] +=
              half * weight[i] * class_degree[k] * std::exp(-class_degree[k] * t) * others_fewer;
        }
      }
    }
  };
  for (int panel = 0; panel < kPanels; ++panel)
    add_panel(from + panel * panel_width, from + (panel + 1) * panel_width, classes);
  for (std::size_t k = 0; k < classes; ++k) {
    if (class_population[k] == 0 || !steep(k)) continue;
    // Beyond the first panel its integrand is below exp(-4) of its start and falling fast,
    // and the later panels' nodes follow it well enough.
    for (int panel = 1; panel < kPanels; ++panel)
      add_panel(from + panel * panel_width, from + (panel + 1) * panel_width, k);
    double a = from;
    for (double step = 1.0 / class_degree[k]; a < from + panel_width; step *= 2.0) {
      const double b = std::min(a + step, from + panel_width);
      add_panel(a, b, k);
      a = b;
    }
  }
  for (std::size_t k = 0; k < classes; ++k)
    if (class_population[k] > 0) inclusion[k] = std::clamp(integral[k], 0.0, 1.0);
  return inclusion;
}

std::vector<double> successive_sampling_inclusion_simulated(
    const std::vector<double>& class_degree, const std::vector<std::int64_t>& class_population,
    std::int64_t sample_size, Draws& d, int simulations) {
  check_classes(class_degree, class_population, sample_size);
  const std::size_t classes = class_degree.size();
  std::int64_t population = 0;
  for (const auto count : class_population) population += count;
  if (simulations < 1) throw ConfigError("successive sampling: simulations must be at least 1");

  std::vector<double> inclusion(classes, kNaN);
  if (sample_size == population) {
    // A census includes everyone: no simulation needed, and the result is exact.
    for (std::size_t k = 0; k < classes; ++k) {
      if (class_population[k] > 0) inclusion[k] = 1.0;
    }
    return inclusion;
  }

  // Successive sampling is the order in which independent exponential clocks ring, each
  // member's at rate equal to her degree. Within a class the first of m remaining clocks
  // rings after an exponential time of rate m * degree (memorylessness), so a heap of one
  // pending time per class yields the sample in O(log classes) per unit, whatever N is.
  //
  // Counting who was drawn would estimate the inclusion probabilities, but noisily.
  // Instead each member contributes her inclusion probability given everyone else's clock
  // (conditional Monte Carlo): she is in the sample if she rings before the n-th of the
  // others, which is the n-th ring overall (time tau_n) if she was not drawn and the
  // (n+1)-th (tau_n1) if she was, so that probability is 1 - exp(-degree * tau). Its mean
  // is the inclusion probability; its noise is far smaller, and when N is large it is
  // nearly proportional to degree in every simulation, as it should be.
  using PendingRing = std::pair<double, std::size_t>;  // (time, class)
  std::vector<PendingRing> heap;
  heap.reserve(classes);
  std::vector<std::int64_t> remaining(classes);
  std::vector<double> probability_sum(classes, 0.0);
  const auto rate = [&](std::size_t k) {
    return static_cast<double>(remaining[k]) * class_degree[k];
  };
  for (int simulation = 0; simulation < simulations; ++simulation) {
    heap.clear();
    for (std::size_t k = 0; k < classes; ++k) {
      remaining[k] = class_population[k];
      if (remaining[k] > 0) heap.emplace_back(d.exponential(rate(k)), k);
    }
    std::make_heap(heap.begin(), heap.end(), std::greater<>());
    double tau_n = 0.0;
    for (std::int64_t drawn = 0; drawn < sample_size; ++drawn) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      const auto [time, k] = heap.back();
      heap.pop_back();
      tau_n = time;
      if (--remaining[k] > 0) {
        heap.emplace_back(time + d.exponential(rate(k)), k);
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
      }
    }
    // Not a census, so someone is still waiting; the heap's front is the earliest ring.
    const double tau_n1 = heap.front().first;
    for (std::size_t k = 0; k < classes; ++k) {
      const double drawn = static_cast<double>(class_population[k] - remaining[k]);
      const double not_drawn = static_cast<double>(remaining[k]);
      probability_sum[k] += drawn * -std::expm1(-class_degree[k] * tau_n1) +
                            not_drawn * -std::expm1(-class_degree[k] * tau_n);
    }
  }
  for (std::size_t k = 0; k < classes; ++k) {
    if (class_population[k] == 0) continue;
    inclusion[k] = probability_sum[k] /
                   (static_cast<double>(simulations) * static_cast<double>(class_population[k]));
  }
  return inclusion;
}

}  // namespace tipsim::stats
