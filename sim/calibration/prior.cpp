#include "sim/calibration/prior.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

namespace tipsim::calibration {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"uniform", "log_uniform", "normal",
                                                    "log_normal", "beta"};
constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool is_log(PriorKind k) {
  return k == PriorKind::log_uniform || k == PriorKind::log_normal;
}

}  // namespace

std::string_view prior_kind_name(PriorKind kind) {
  return kNames[static_cast<std::size_t>(kind)];
}

Prior::Prior(PriorKind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}

Prior Prior::uniform(double min, double max) {
  if (!(min < max)) throw std::invalid_argument("uniform prior: expected min < max");
  Prior p(PriorKind::uniform, min, max);
  p.lo_ = min;
  p.hi_ = max;
  return p;
}

Prior Prior::log_uniform(double min, double max) {
  if (!(0 < min && min < max))
    throw std::invalid_argument("log_uniform prior: expected 0 < min < max");
  Prior p(PriorKind::log_uniform, min, max);
  p.lo_ = std::log(min);
  p.hi_ = std::log(max);
  return p;
}

Prior Prior::normal(double mean, double sd) {
  if (!(sd > 0) || !std::isfinite(mean))
    throw std::invalid_argument("normal prior: expected sd > 0");
  return {PriorKind::normal, mean, sd};
}

Prior Prior::log_normal(double mu, double sigma) {
  if (!(sigma > 0) || !std::isfinite(mu))
    throw std::invalid_argument("log_normal prior: expected sigma > 0");
  return {PriorKind::log_normal, mu, sigma};
}

Prior Prior::beta(double alpha, double beta) {
  if (!(alpha > 0 && beta > 0)) throw std::invalid_argument("beta prior: expected a, b > 0");
  Prior p(PriorKind::beta, alpha, beta);
  p.lo_ = 0;
  p.hi_ = 1;
  return p;
}

Prior Prior::of(PriorKind kind, double a, double b) {
  switch (kind) {
    case PriorKind::uniform:
      return uniform(a, b);
    case PriorKind::log_uniform:
      return log_uniform(a, b);
    case PriorKind::normal:
      return normal(a, b);
    case PriorKind::log_normal:
      return log_normal(a, b);
    case PriorKind::beta:
      return beta(a, b);
  }
  throw std::invalid_argument("unknown prior");
}

Prior Prior::truncated(double lower, double upper) const {
  Prior p = *this;
  const double lo = is_log(kind_) ? (lower > 0 ? std::log(lower) : -kInfinity) : lower;
  const double hi = is_log(kind_) ? (upper > 0 ? std::log(upper) : -kInfinity) : upper;
  p.lo_ = std::max(lo_, lo);
  p.hi_ = std::min(hi_, hi);
  if (!(p.lo_ < p.hi_) || !(p.cdf(p.hi_) - p.cdf(p.lo_) > 0))
    throw std::invalid_argument("the prior has no mass inside the parameter's valid range");
  return p;
}

double Prior::lower() const {
  return from_working(lo_);
}

double Prior::upper() const {
  return from_working(hi_);
}

double Prior::to_working(double value) const {
  return is_log(kind_) ? std::log(value) : value;
}

double Prior::from_working(double z) const {
  return is_log(kind_) ? std::exp(z) : z;
}

double Prior::log_density(double z) const {
  if (!(z >= lo_ && z <= hi_)) return -kInfinity;
  switch (kind_) {
    case PriorKind::uniform:
    case PriorKind::log_uniform:  // uniform in the logarithm
      return 0.0;
    case PriorKind::normal:
    case PriorKind::log_normal: {  // the logarithm is normal
      const double x = (z - a_) / b_;
      return -0.5 * x * x;
    }
    case PriorKind::beta:
      if (z <= 0 || z >= 1) return -kInfinity;
      return (a_ - 1) * std::log(z) + (b_ - 1) * std::log1p(-z);
  }
  return -kInfinity;
}

double Prior::cdf(double z) const {
  switch (kind_) {
    case PriorKind::uniform:
    case PriorKind::log_uniform:
      return std::clamp((z - lo_) / (hi_ - lo_), 0.0, 1.0);
    case PriorKind::normal:
    case PriorKind::log_normal:
      if (std::isinf(z)) return z < 0 ? 0.0 : 1.0;
      return boost::math::cdf(boost::math::normal(a_, b_), z);
    case PriorKind::beta:
      return boost::math::cdf(boost::math::beta_distribution<>(a_, b_), std::clamp(z, 0.0, 1.0));
  }
  return 0.0;
}

double Prior::inverse_cdf(double p) const {
  switch (kind_) {
    case PriorKind::uniform:
    case PriorKind::log_uniform:
      return lo_ + p * (hi_ - lo_);
    case PriorKind::normal:
    case PriorKind::log_normal:
      return boost::math::quantile(boost::math::normal(a_, b_), p);
    case PriorKind::beta:
      return boost::math::quantile(boost::math::beta_distribution<>(a_, b_), p);
  }
  return 0.0;
}

double Prior::quantile(double u) const {
  if (kind_ == PriorKind::uniform || kind_ == PriorKind::log_uniform)
    return lo_ + u * (hi_ - lo_);  // the truncation is the support itself
  const double p_lo = cdf(lo_), p_hi = cdf(hi_);
  const double z = inverse_cdf(p_lo + u * (p_hi - p_lo));
  return std::clamp(z, lo_, hi_);
}

}  // namespace tipsim::calibration
