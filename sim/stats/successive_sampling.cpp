// Gile's (2011) successive-sampling estimator for respondent-driven samples.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kConvergenceTolerance = 1e-6;

/// Integer population counts per degree class, proportional to `share`, summing to
/// `population`, with at least one member in every class (each class was seen in the
/// sample). Largest remainders get the units that flooring leaves over; the classes most
/// over-allocated by the minimum of one give units back. Ties go to the lower class.
std::vector<std::int64_t> allocate_population(const std::vector<double>& share,
                                              std::int64_t population) {
  const double total_share = std::accumulate(share.begin(), share.end(), 0.0);
  const std::size_t classes = share.size();
  std::vector<double> target(classes);
  std::vector<std::int64_t> count(classes);
  std::int64_t allocated = 0;
  for (std::size_t k = 0; k < classes; ++k) {
    target[k] = static_cast<double>(population) * share[k] / total_share;
    count[k] = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(target[k])));
    allocated += count[k];
  }
  std::vector<std::size_t> order(classes);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto shortfall = [&](std::size_t k) { return target[k] - static_cast<double>(count[k]); };
  // Flooring leaves fewer than `classes` units over, so one pass in order of remainder
  // places them all.
  if (allocated < population) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return shortfall(a) > shortfall(b); });
    for (std::size_t k : order) {
      if (allocated == population) break;
      ++count[k];
      ++allocated;
    }
  }
  // The minimum of one can overshoot; population >= classes, so some class above one
  // always remains to give a unit back.
  while (allocated > population) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return shortfall(a) < shortfall(b); });
    for (std::size_t k : order) {
      if (allocated == population) break;
      if (count[k] <= 1) continue;
      --count[k];
      --allocated;
    }
  }
  return count;
}

/// Hajek estimate with one inclusion probability per degree class.
double hajek_by_class(const std::vector<double>& sampled, const std::vector<double>& with_trait,
                      const std::vector<double>& inclusion) {
  double weighted_with_trait = 0.0;
  double total_weight = 0.0;
  for (std::size_t k = 0; k < inclusion.size(); ++k) {
    weighted_with_trait += with_trait[k] / inclusion[k];
    total_weight += sampled[k] / inclusion[k];
  }
  if (total_weight <= 0.0) return kNaN;
  return weighted_with_trait / total_weight;
}

}  // namespace

SuccessiveSamplingDetail successive_sampling_detail(const RdsSample& s, double population_size,
                                                    Draws& d, int simulations, int iterations) {
  validate(s);
  const std::size_t n = s.size();
  if (!std::isfinite(population_size) || population_size < static_cast<double>(n)) {
    throw ConfigError("successive sampling: population size " + std::to_string(population_size) +
                      " is smaller than the sample (" + std::to_string(n) + ")");
  }
  if (iterations < 1) throw ConfigError("successive sampling: iterations must be at least 1");
  if (simulations < 1) throw ConfigError("successive sampling: simulations must be at least 1");
  SuccessiveSamplingDetail detail{kNaN, {}, {}, {}, 0, false};
  if (n == 0) return detail;

  // Degree classes: the distinct effective degrees, and what the sample holds of each.
  std::vector<double>& class_degree = detail.class_degree;
  for (double reported : s.degree) class_degree.push_back(effective_degree(reported));
  std::sort(class_degree.begin(), class_degree.end());
  class_degree.erase(std::unique(class_degree.begin(), class_degree.end()), class_degree.end());
  const std::size_t classes = class_degree.size();
  std::vector<std::size_t> class_of(n);
  std::vector<double> sampled(classes, 0.0), with_trait(classes, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double degree = effective_degree(s.degree[i]);
    class_of[i] = static_cast<std::size_t>(
        std::lower_bound(class_degree.begin(), class_degree.end(), degree) - class_degree.begin());
    sampled[class_of[i]] += 1.0;
    if (s.trait[i] != 0) with_trait[class_of[i]] += 1.0;
  }

  const auto population = static_cast<std::int64_t>(std::llround(population_size));
  // Inclusion proportional to degree to start; its Hajek estimate is RDS-II.
  std::vector<double> inclusion = class_degree;
  double previous = hajek_by_class(sampled, with_trait, inclusion);
  const Draws first_draw = d;
  std::vector<double> share(classes);
  for (int iteration = 1; iteration <= iterations; ++iteration) {
    for (std::size_t k = 0; k < classes; ++k) share[k] = sampled[k] / inclusion[k];
    detail.class_population = allocate_population(share, population);
    Draws simulation_draws = first_draw;
    inclusion =
        successive_sampling_inclusion(class_degree, detail.class_population,
                                      static_cast<std::int64_t>(n), simulation_draws, simulations);
    d = simulation_draws;
    detail.value = hajek_by_class(sampled, with_trait, inclusion);
    detail.iterations = iteration;
    detail.converged = std::abs(detail.value - previous) < kConvergenceTolerance;
    previous = detail.value;
    if (detail.converged) break;
  }
  detail.inclusion.resize(n);
  for (std::size_t i = 0; i < n; ++i) detail.inclusion[i] = inclusion[class_of[i]];
  return detail;
}

double successive_sampling(const RdsSample& s, double population_size, Draws& d, int simulations,
                           int iterations) {
  return successive_sampling_detail(s, population_size, d, simulations, iterations).value;
}

}  // namespace tipsim::stats
