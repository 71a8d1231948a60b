#pragma once
/// Estimators of a population proportion from survey samples, and bootstrap intervals.
///
/// Domain-free: a sample is a list of respondents with a binary trait, and for
/// respondent-driven sampling (RDS) who recruited whom and how many people each reports
/// knowing. Every estimate is a pure function of its inputs and, where resampling or
/// simulation is involved, of the `Draws` the caller passes in.
///
/// Conventions shared by every function here:
/// - a trait value of 0 means "does not have the trait", any other value means "has it";
/// - an undefined result (empty sample, weights that sum to zero) is NaN, never an exception;
/// - a malformed sample (vectors of different lengths, a recruiter after her recruit,
///   a negative or non-finite weight or degree) is a caller bug: InvariantError;
/// - an unusable setting (a population smaller than the sample, a confidence level outside
///   (0, 1), fewer than two replicates) is an input error: ConfigError.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/random.hpp"

namespace tipsim::stats {

/// A respondent-driven sample in recruitment order (a recruiter comes before her recruits).
struct RdsSample {
  std::vector<std::int32_t> recruiter;  ///< index in the sample of her recruiter; -1 for a seed
  std::vector<double> degree;           ///< reported network size; below 1 counts as 1
  std::vector<std::uint8_t> trait;      ///< nonzero if she has the trait
  /// In a tree-bootstrap replicate, each respondent's index in the sample it was drawn
  /// from (so that an estimator can reuse what it computed for her there); else empty.
  std::vector<std::int32_t> source = {};

  [[nodiscard]] std::size_t size() const { return trait.size(); }
};

/// The degree an estimator uses: a respondent was reached through at least one tie, so a
/// reported network size below 1 (including 0) counts as 1.
inline double effective_degree(double reported) {
  return reported < 1.0 ? 1.0 : reported;
}

/// Throws InvariantError unless the three vectors have the same length, every recruiter
/// index is -1 or names an earlier respondent, and every degree is finite.
void validate(const RdsSample& s);

/// Share of respondents with the trait; NaN for an empty sample.
double sample_proportion(const std::vector<std::uint8_t>& trait);

/// sum(w_i y_i) / sum(w_i): the ratio (Hajek) estimator for a sample whose respondent i
/// stands for w_i members of the population (e.g. the inverse of her inclusion probability
/// in a venue sample that is not self-weighting). NaN when the weights sum to zero.
double weighted_proportion(const std::vector<std::uint8_t>& trait,
                           const std::vector<double>& weight);

/// Volz-Heckathorn (2008) RDS-II: sum(y_i / d_i) / sum(1 / d_i), with d_i the effective
/// degree. NaN for an empty sample.
double rds_ii(const RdsSample& s);

/// Which rule produced an RDS-I value.
enum class RdsIRule {
  equilibrium,      ///< the published formula, from the transition proportions
  one_group,        ///< only one group in the sample: its share, 0 or 1
  rds_ii_fallback,  ///< the transitions cannot identify the equilibrium: RDS-II instead
  empty,            ///< no respondents: NaN
};

/// RDS-I with the quantities it is computed from (A = has the trait, B = does not).
struct RdsIDetail {
  double value;
  RdsIRule rule;
  double s_ab;  ///< share of A's recruits who are B; NaN when no A recruited anyone
  double s_ba;  ///< share of B's recruits who are A; NaN when no B recruited anyone
  double d_a;   ///< harmonic mean effective degree of the A respondents; NaN if none
  double d_b;   ///< harmonic mean effective degree of the B respondents; NaN if none
};

/// Salganik-Heckathorn (2004) RDS-I for a binary trait:
///   S_AB = (recruitments A -> B) / (recruitments by A),  S_BA likewise,
///   D_A = n_A / sum_{i in A} 1/d_i,  D_B likewise,
///   P_A = S_BA D_B / (S_AB D_A + S_BA D_B).
/// Degenerate cases, in the order they are checked:
/// - empty sample: NaN (`empty`);
/// - only one group in the sample: 1 if everyone has the trait, 0 if no one has
///   (`one_group`; RDS-II and the sample proportion agree);
/// - no recruitment at all (seeds only), a group that recruited no one (its S is 0/0), or
///   no recruitment across groups (S_AB = S_BA = 0, so P_A = 0/0): the recruitment chain
///   does not identify an equilibrium, and the value is RDS-II (`rds_ii_fallback`).
/// One-way recruitment (S_AB = 0 < S_BA, or the reverse) is not degenerate: the formula
/// gives 1 (or 0), the equilibrium of a chain that absorbs in one group.
RdsIDetail rds_i_detail(const RdsSample& s);
double rds_i(const RdsSample& s);

/// Gile's (2011) successive-sampling (SS) estimator with all its intermediate results.
struct SuccessiveSamplingDetail {
  double value;                      ///< Hajek estimate with the final inclusion probabilities
  std::vector<double> inclusion;     ///< each respondent's estimated inclusion probability
  std::vector<double> class_degree;  ///< distinct effective degrees in the sample, ascending
  std::vector<std::int64_t> class_population;  ///< estimated population count per degree
  int iterations;                              ///< fixed-point updates performed
  bool converged;                              ///< the last update changed the value by < 1e-6
};

/// Gile's (2011) successive-sampling estimator for a population of `population_size`
/// (rounded to the nearest integer; at least the sample size, else ConfigError).
/// Starting from inclusion probabilities proportional to degree, each iteration
/// 1. estimates the population's degree distribution from the sample weighted by
///    1/pi, and turns it into integer counts that sum to N (every sampled degree keeps at
///    least one member);
/// 2. finds each degree's inclusion probability under successive sampling (without
///    replacement, probability proportional to degree) of n units from that population:
///    computed, or simulated with `simulations` samples where the drawn count hardly varies
///    (see successive_sampling_inclusion);
/// 3. recomputes the Hajek estimate sum(y_i/pi_i) / sum(1/pi_i),
/// until the estimate changes by less than 1e-6 or `iterations` updates are done.
/// Where simulated, every iteration reuses the same draws (common random numbers), so the
/// iteration is a deterministic map that settles instead of chasing simulation noise; `d`
/// is left where one iteration's draws end (about simulations * (n + degree classes)
/// uniforms), and is untouched where the probabilities are computed. A census
/// (N = n) gives the sample proportion; as N/n grows the value approaches RDS-II. NaN for
/// an empty sample.
SuccessiveSamplingDetail successive_sampling_detail(const RdsSample& s, double population_size,
                                                    Draws& d, int simulations = 200,
                                                    int iterations = 10);
double successive_sampling(const RdsSample& s, double population_size, Draws& d,
                           int simulations = 200, int iterations = 10);

/// Inclusion probability of one member of each degree class under successive sampling of
/// `sample_size` units from a population with `class_population[k]` members of degree
/// `class_degree[k]` (ascending; a class with no members gets NaN). Computed where the
/// number of members drawn by the time n draws are expected varies enough for the
/// computation to be accurate (standard deviation >= kSuccessiveSamplingMinCountSd, which
/// holds for any survey of more than a few dozen from a population some times larger),
/// simulated otherwise; `d` and `simulations` serve the simulation. Used by the SS
/// estimator; public so that it can be checked against hand-computed cases.
std::vector<double> successive_sampling_inclusion(const std::vector<double>& class_degree,
                                                  const std::vector<std::int64_t>& class_population,
                                                  std::int64_t sample_size, Draws& d,
                                                  int simulations);

/// Below this standard deviation of the drawn count the inclusion probabilities are simulated.
inline constexpr double kSuccessiveSamplingMinCountSd = 2.0;

/// The inclusion probabilities estimated over `simulations` simulated samples by
/// conditional Monte Carlo: each member contributes her probability of inclusion given the
/// other members' draws rather than whether she was drawn, which keeps the estimate
/// unbiased with far less noise. Exact for a census (probability 1).
std::vector<double> successive_sampling_inclusion_simulated(
    const std::vector<double>& class_degree, const std::vector<std::int64_t>& class_population,
    std::int64_t sample_size, Draws& d, int simulations);

/// The inclusion probabilities computed without simulation. Successive sampling is the
/// order in which independent exponential clocks ring (rate = degree), so a member of
/// degree d is sampled with probability integral d exp(-d t) P(S(t) <= n - 1) dt, where
/// S(t), the others rung by t, is a sum of independent binomials. The integral is taken by
/// quadrature and P(S(t) <= n - 1) by the refined normal approximation (continuity and
/// skewness corrections), whose error shrinks with S's variance: with a standard deviation
/// of 2 or more the probabilities agree with 400,000 simulated samples to within 2e-3 of
/// their value, and from 4 on to within the simulations' own error, about 3e-4
/// (tests/sim/stats). Exact for a census (1) and an empty sample (0).
std::vector<double> successive_sampling_inclusion_computed(
    const std::vector<double>& class_degree, const std::vector<std::int64_t>& class_population,
    std::int64_t sample_size);

/// The standard deviation of the number of members drawn by the time `sample_size` draws
/// are expected (0 for an empty sample or a census): what decides between computing and
/// simulating.
double successive_sampling_count_sd(const std::vector<double>& class_degree,
                                    const std::vector<std::int64_t>& class_population,
                                    std::int64_t sample_size);

/// A point estimate with a percentile bootstrap interval.
/// The percentile interval may exclude `value` for a skewed estimator; lo, hi and the
/// standard error are NaN with fewer than two defined replicates, and the design effect is
/// NaN when p is 0 or 1 (a simple random sample would then have no variance either).
struct Estimate {
  double value;           ///< the estimator applied to the sample itself
  double lo;              ///< lower percentile of the replicate values
  double hi;              ///< upper percentile of the replicate values
  double design_effect;   ///< bootstrap variance / (p(1-p)/n), p = value, n = sample size
  double standard_error;  ///< standard deviation of the replicate values
  int replicates_used;    ///< replicates whose value was defined (NaN ones are dropped)
};

using RdsEstimator = std::function<double(const RdsSample&)>;

/// One tree-bootstrap replicate (Baraff, McCormick and Raftery 2016): draw as many seeds
/// as the sample has, with replacement, from its seeds; then, recursively, for each drawn
/// respondent draw as many recruits as she had, with replacement, from her own recruits.
/// The replicate is in recruitment order and its size varies around the sample's.
RdsSample tree_resample(const RdsSample& s, Draws& d);

/// Applies `estimator` to the sample and to `replicates` tree-bootstrap replicates; the
/// interval holds the central `level` share of the replicate values. An estimator that
/// needs draws of its own (SS) can count its calls and build a fresh Draws per call with
/// the count as its agent index: one cursor then never runs long enough (about 4 million
/// uniforms) to wrap into another replicate's counters. Pass SS a population size of at
/// least the replicate's: a replicate can be larger than the sample.
Estimate rds_bootstrap(const RdsSample& s, const RdsEstimator& estimator, Draws& d, int replicates,
                       double level);

/// The same for several estimators over the same replicates (one tree resample each, shared):
/// cheaper than one bootstrap per estimator, and the intervals are then paired.
std::vector<Estimate> rds_bootstrap(const RdsSample& s, const std::vector<RdsEstimator>& estimators,
                                    Draws& d, int replicates, double level);

/// Efron's bootstrap of the sample proportion of a simple random sample: each replicate
/// draws n respondents with replacement.
Estimate iid_bootstrap(const std::vector<std::uint8_t>& trait, Draws& d, int replicates,
                       double level);

/// Cluster bootstrap for a venue (time-location) sample: `cluster[i]` is respondent i's
/// venue (any integer label). Each replicate draws C - 1 of the sample's C clusters with
/// replacement and keeps all their respondents (Rao and Wu 1988: with C - 1 draws instead
/// of C the bootstrap variance of a total equals the usual with-replacement estimator, and
/// that of a ratio does to first order; the naive C draws understate it by (C-1)/C, which
/// matters with the few venues of a real survey). The estimate is the
/// weighted proportion, with equal weights unless `weight` is given. A single cluster
/// gives no variance estimate: NaN interval and design effect.
Estimate cluster_bootstrap(const std::vector<std::uint8_t>& trait,
                           const std::vector<std::int32_t>& cluster, Draws& d, int replicates,
                           double level);
Estimate cluster_bootstrap(const std::vector<std::uint8_t>& trait,
                           const std::vector<std::int32_t>& cluster,
                           const std::vector<double>& weight, Draws& d, int replicates,
                           double level);

}  // namespace tipsim::stats
