// Bootstrap intervals and design effects: tree bootstrap for respondent-driven samples,
// Efron's bootstrap for simple random samples, cluster bootstrap for venue samples.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_settings(int replicates, double level) {
  if (replicates < 2) {
    throw ConfigError("bootstrap: " + std::to_string(replicates) +
                      " replicates; at least 2 are needed for a variance");
  }
  if (!(level > 0.0 && level < 1.0)) {
    throw ConfigError("bootstrap: confidence level " + std::to_string(level) +
                      " is not strictly between 0 and 1");
  }
}

/// Quantile `q` of ascending `sorted` values, interpolating linearly between order
/// statistics (Hyndman and Fan's type 7, the default of R and NumPy).
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  if (below + 1 >= sorted.size()) return sorted.back();
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

/// The estimate from the sample's own value and its replicates' values.
Estimate summarize(double value, std::vector<double> replicate_values, std::size_t sample_size,
                   double level) {
  std::erase_if(replicate_values, [](double v) { return std::isnan(v); });
  Estimate estimate{value, kNaN, kNaN, kNaN, kNaN, static_cast<int>(replicate_values.size())};
  if (replicate_values.size() < 2) return estimate;

  std::sort(replicate_values.begin(), replicate_values.end());
  const double tail = (1.0 - level) / 2.0;
  estimate.lo = quantile_of_sorted(replicate_values, tail);
  estimate.hi = quantile_of_sorted(replicate_values, 1.0 - tail);

  const double count = static_cast<double>(replicate_values.size());
  double mean = 0.0;
  for (double v : replicate_values) mean += v;
  mean /= count;
  double squares = 0.0;
  for (double v : replicate_values) squares += (v - mean) * (v - mean);
  const double variance = squares / (count - 1.0);
  estimate.standard_error = std::sqrt(variance);

  // A simple random sample of the same size would have variance p(1-p)/n.
  if (sample_size > 0) {
    const double simple_random_variance = value * (1.0 - value) / static_cast<double>(sample_size);
    if (simple_random_variance > 0.0) estimate.design_effect = variance / simple_random_variance;
  }
  return estimate;
}

}  // namespace

namespace {

/// The recruitment tree of a sample, built once and resampled many times: each replicate
/// reuses the buffers of the last one.
class TreeResampler {
 public:
  explicit TreeResampler(const RdsSample& s) : s_(s), first_recruit_(s.size() + 1, 0) {
    validate(s);
    const std::size_t n = s.size();
    // Recruits of each respondent, in sample order (compressed rows).
    for (std::int32_t recruiter : s.recruiter) {
      if (recruiter >= 0) ++first_recruit_[static_cast<std::size_t>(recruiter) + 1];
    }
    for (std::size_t i = 0; i < n; ++i) first_recruit_[i + 1] += first_recruit_[i];
    recruits_.resize(first_recruit_[n]);
    std::vector<std::size_t> filled(first_recruit_.begin(), first_recruit_.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t recruiter = s.recruiter[i];
      if (recruiter < 0) {
        seeds_.push_back(i);
      } else {
        recruits_[filled[static_cast<std::size_t>(recruiter)]++] = i;
      }
    }
  }

  /// Draws one replicate into `replicate` (see tree_resample).
  void draw(Draws& d, RdsSample& replicate) {
    replicate.recruiter.clear();
    replicate.degree.clear();
    replicate.trait.clear();
    replicate.source.clear();
    // Breadth-first: a drawn respondent joins the replicate before her drawn recruits, so
    // the replicate is in recruitment order.
    queue_.clear();
    const auto seed_count = static_cast<std::uint32_t>(seeds_.size());
    for (std::uint32_t j = 0; j < seed_count; ++j)
      queue_.push_back({seeds_[d.below(seed_count)], -1});
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const Pending drawn = queue_[head];
      const auto index_in_replicate = static_cast<std::int32_t>(replicate.size());
      replicate.recruiter.push_back(drawn.recruiter_in_replicate);
      replicate.degree.push_back(s_.degree[drawn.original]);
      replicate.trait.push_back(s_.trait[drawn.original]);
      replicate.source.push_back(static_cast<std::int32_t>(drawn.original));
      const std::size_t begin = first_recruit_[drawn.original];
      const auto recruit_count =
          static_cast<std::uint32_t>(first_recruit_[drawn.original + 1] - begin);
      for (std::uint32_t j = 0; j < recruit_count; ++j) {
        queue_.push_back({recruits_[begin + d.below(recruit_count)], index_in_replicate});
      }
    }
  }

 private:
  struct Pending {
    std::size_t original;
    std::int32_t recruiter_in_replicate;
  };
  const RdsSample& s_;
  std::vector<std::size_t> first_recruit_;
  std::vector<std::size_t> recruits_;
  std::vector<std::size_t> seeds_;
  std::vector<Pending> queue_;
};

}  // namespace

RdsSample tree_resample(const RdsSample& s, Draws& d) {
  RdsSample replicate;
  TreeResampler(s).draw(d, replicate);
  return replicate;
}

Estimate rds_bootstrap(const RdsSample& s, const RdsEstimator& estimator, Draws& d, int replicates,
                       double level) {
  check_settings(replicates, level);
  TreeResampler resampler(s);
  const double value = estimator(s);
  std::vector<double> replicate_values;
  replicate_values.reserve(static_cast<std::size_t>(replicates));
  RdsSample replicate;
  for (int r = 0; r < replicates; ++r) {
    resampler.draw(d, replicate);
    replicate_values.push_back(estimator(replicate));
  }
  return summarize(value, std::move(replicate_values), s.size(), level);
}

std::vector<Estimate> rds_bootstrap(const RdsSample& s, const std::vector<RdsEstimator>& estimators,
                                    Draws& d, int replicates, double level) {
  check_settings(replicates, level);
  TreeResampler resampler(s);
  std::vector<std::vector<double>> values(estimators.size());
  for (auto& v : values) v.reserve(static_cast<std::size_t>(replicates));
  RdsSample replicate;
  for (int r = 0; r < replicates; ++r) {
    resampler.draw(d, replicate);
    for (std::size_t k = 0; k < estimators.size(); ++k)
      values[k].push_back(estimators[k](replicate));
  }
  std::vector<Estimate> out;
  for (std::size_t k = 0; k < estimators.size(); ++k)
    out.push_back(summarize(estimators[k](s), std::move(values[k]), s.size(), level));
  return out;
}

Estimate iid_bootstrap(const std::vector<std::uint8_t>& trait, Draws& d, int replicates,
                       double level) {
  check_settings(replicates, level);
  const auto n = static_cast<std::uint32_t>(trait.size());
  std::vector<double> replicate_values;
  replicate_values.reserve(static_cast<std::size_t>(replicates));
  for (int r = 0; r < replicates; ++r) {
    if (n == 0) {
      replicate_values.push_back(kNaN);
      continue;
    }
    std::uint32_t with_trait = 0;
    for (std::uint32_t j = 0; j < n; ++j) with_trait += trait[d.below(n)] != 0 ? 1 : 0;
    replicate_values.push_back(static_cast<double>(with_trait) / static_cast<double>(n));
  }
  return summarize(sample_proportion(trait), std::move(replicate_values), trait.size(), level);
}

Estimate cluster_bootstrap(const std::vector<std::uint8_t>& trait,
                           const std::vector<std::int32_t>& cluster, Draws& d, int replicates,
                           double level) {
  return cluster_bootstrap(trait, cluster, std::vector<double>(trait.size(), 1.0), d, replicates,
                           level);
}

Estimate cluster_bootstrap(const std::vector<std::uint8_t>& trait,
                           const std::vector<std::int32_t>& cluster,
                           const std::vector<double>& weight, Draws& d, int replicates,
                           double level) {
  check_settings(replicates, level);
  if (cluster.size() != trait.size()) {
    throw InvariantError("cluster bootstrap: " + std::to_string(trait.size()) + " traits but " +
                         std::to_string(cluster.size()) + " cluster labels");
  }
  const double value = weighted_proportion(trait, weight);  // also checks the weights

  // Clusters in ascending order of label, so the draws do not depend on sample order.
  std::vector<std::int32_t> labels = cluster;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  std::vector<double> cluster_weight(labels.size(), 0.0);
  std::vector<double> cluster_weight_with_trait(labels.size(), 0.0);
  for (std::size_t i = 0; i < trait.size(); ++i) {
    const auto c = static_cast<std::size_t>(
        std::lower_bound(labels.begin(), labels.end(), cluster[i]) - labels.begin());
    cluster_weight[c] += weight[i];
    if (trait[i] != 0) cluster_weight_with_trait[c] += weight[i];
  }

  const auto cluster_count = static_cast<std::uint32_t>(labels.size());
  // Rao and Wu (1988): C - 1 draws per replicate (see the header).
  const std::uint32_t draws_per_replicate = cluster_count > 0 ? cluster_count - 1 : 0;
  std::vector<double> replicate_values;
  replicate_values.reserve(static_cast<std::size_t>(replicates));
  for (int r = 0; r < replicates; ++r) {
    double total_weight = 0.0;
    double total_with_trait = 0.0;
    for (std::uint32_t j = 0; j < draws_per_replicate; ++j) {
      const std::uint32_t c = d.below(cluster_count);
      total_weight += cluster_weight[c];
      total_with_trait += cluster_weight_with_trait[c];
    }
    replicate_values.push_back(total_weight > 0.0 ? total_with_trait / total_weight : kNaN);
  }
  return summarize(value, std::move(replicate_values), trait.size(), level);
}

}  // namespace tipsim::stats
