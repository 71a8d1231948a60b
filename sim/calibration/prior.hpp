#pragma once
/// Prior distributions of calibrated parameters, each truncated to the parameter's valid
/// range, handled in a working space where the sampler's perturbations are made: the
/// logarithm for the log-uniform and log-normal priors (positive parameters spanning orders
/// of magnitude), the parameter itself for the others.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace tipsim::calibration {

enum class PriorKind : std::uint8_t { uniform, log_uniform, normal, log_normal, beta };

/// The names used in priors files, in PriorKind order.
[[nodiscard]] std::string_view prior_kind_name(PriorKind kind);

class Prior {
 public:
  /// uniform(min, max), log_uniform(min, max) with 0 < min.
  static Prior uniform(double min, double max);
  static Prior log_uniform(double min, double max);
  /// normal(mean, sd); log_normal: ln of the parameter is normal(mu, sigma).
  static Prior normal(double mean, double sd);
  static Prior log_normal(double mu, double sigma);
  /// beta(alpha, beta) on (0, 1).
  static Prior beta(double alpha, double beta);
  /// The prior of `kind` with its two numbers, as a() and b() give them back.
  static Prior of(PriorKind kind, double a, double b);

  /// The same prior restricted to [lower, upper] (the parameter's valid range); the
  /// density is renormalised implicitly. Throws std::invalid_argument when nothing of the
  /// prior's mass is left.
  [[nodiscard]] Prior truncated(double lower, double upper) const;

  [[nodiscard]] PriorKind kind() const { return kind_; }
  [[nodiscard]] double a() const { return a_; }
  [[nodiscard]] double b() const { return b_; }
  /// The support in the parameter's own scale, truncation included.
  [[nodiscard]] double lower() const;
  [[nodiscard]] double upper() const;

  /// Parameter -> working space and back.
  [[nodiscard]] double to_working(double value) const;
  [[nodiscard]] double from_working(double z) const;
  /// Log density in working space up to a constant; -infinity outside the support.
  [[nodiscard]] double log_density(double z) const;
  /// The working value at cumulative probability u in (0, 1) of the (truncated) prior.
  [[nodiscard]] double quantile(double u) const;

 private:
  Prior(PriorKind kind, double a, double b);
  [[nodiscard]] double cdf(double z) const;          // of the untruncated working density
  [[nodiscard]] double inverse_cdf(double p) const;  // likewise

  PriorKind kind_;
  double a_, b_;
  double lo_ = -std::numeric_limits<double>::infinity();  // working-space support
  double hi_ = std::numeric_limits<double>::infinity();
};

}  // namespace tipsim::calibration
