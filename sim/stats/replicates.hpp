#pragma once
/// Statistics over the replicates of an experiment: the spread of a quantity, paired and
/// unpaired differences between scenarios, ratios with bootstrap intervals, and the
/// dominance rules of cost-effectiveness analysis.
///
/// Values that are NaN mean "no value in that replicate" and are left out (for a paired
/// difference: the replicate is left out when either side has no value). Results with
/// too few values are NaN.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/random.hpp"

namespace tipsim::stats {

/// Spread of one quantity over replicates. Quantiles interpolate linearly between order
/// statistics, as numpy.quantile does by default.
struct Spread {
  std::size_t n = 0;
  double mean = 0, median = 0;
  double q025 = 0, q10 = 0, q90 = 0, q975 = 0;
};
[[nodiscard]] Spread spread(std::span<const double> values);

/// OTHER minus BASE, replicate by replicate (common random numbers).
struct PairedDifference {
  std::size_t n = 0;          ///< replicates where both have a value
  double mean = 0;            ///< mean of the differences
  double median = 0;          ///< median of the differences
  double q025 = 0;            ///< 2.5% quantile of the differences: with q975, the range in
  double q975 = 0;            ///< which 95% of the replicates' differences fall
  double mean_ci_low = 0;     ///< 95% confidence interval of the mean difference
  double mean_ci_high = 0;    ///< (Student t with n - 1 degrees of freedom)
  double share_positive = 0;  ///< share of replicates with a difference above 0
};
[[nodiscard]] PairedDifference paired_difference(std::span<const double> base,
                                                 std::span<const double> other);

/// OTHER minus BASE for independent samples: difference of means with Welch's 95% interval.
struct UnpairedDifference {
  std::size_t n_base = 0, n_other = 0;
  double mean = 0;    ///< mean(OTHER) - mean(BASE)
  double median = 0;  ///< median(OTHER) - median(BASE)
  double mean_ci_low = 0, mean_ci_high = 0;
};
[[nodiscard]] UnpairedDifference unpaired_difference(std::span<const double> base,
                                                     std::span<const double> other);

/// mean(numerator) / mean(denominator) with a 95% percentile interval from `replicates`
/// bootstrap resamples of the pairs (numerator[i], denominator[i]). The estimate and the
/// resamples whose mean denominator is not above 0 are NaN; the interval is NaN when more
/// than 2.5% of the resamples are.
struct Ratio {
  double value = 0, ci_low = 0, ci_high = 0;
};
[[nodiscard]] Ratio ratio_of_means(std::span<const double> numerator,
                                   std::span<const double> denominator, Draws& draws,
                                   int replicates = 2000);

/// (mean(other_num) - mean(base_num)) / (mean(other_den) - mean(base_den)) for independent
/// samples, with a 95% percentile interval from bootstrap resamples of each sample's runs
/// (a run's numerator and denominator stay together). NaN as for ratio_of_means.
[[nodiscard]] Ratio ratio_of_mean_differences(std::span<const double> base_num,
                                              std::span<const double> base_den,
                                              std::span<const double> other_num,
                                              std::span<const double> other_den, Draws& draws,
                                              int replicates = 2000);

/// Dominance in a cost-effectiveness analysis (the convention of dampack and of most
/// health-economics texts): sorted by cost, a strategy is `dominated` when another costs no
/// more and is at least as effective (better in one of the two); `extendedly_dominated`
/// when, among the rest, its incremental cost-effectiveness ratio exceeds that of the next
/// more effective one, so a mix of its neighbours would do better. The others form the
/// efficient frontier; each frontier strategy but the cheapest has an ICER against the
/// frontier strategy before it.
/// Strategies whose cost or effect is not a number (no replicate ran) are `no_data` and take
/// no part in the classification.
enum class Dominance : std::uint8_t { frontier, dominated, extendedly_dominated, no_data };
struct CostEffect {
  Dominance status = Dominance::frontier;
  double icer = 0;  ///< NaN for the cheapest frontier strategy and for dominated ones
};
[[nodiscard]] std::vector<CostEffect> classify_cost_effectiveness(std::span<const double> cost,
                                                                  std::span<const double> effect);
[[nodiscard]] const char* to_string(Dominance d);

}  // namespace tipsim::stats
