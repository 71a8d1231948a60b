#include "sim/ensemble/design.hpp"

#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/random.hpp"

namespace tipsim::ensemble {

const char* to_string(DesignMethod m) {
  switch (m) {
    case DesignMethod::grid:
      return "grid";
    case DesignMethod::latin_hypercube:
      return "latin_hypercube";
    case DesignMethod::sobol:
      return "sobol";
    case DesignMethod::points:
      return "points";
  }
  return "";
}

double scale_unit(const DesignParameter& p, double u) {
  double v = p.log ? std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)))
                   : p.min + u * (p.max - p.min);
  // exp(log(x)) need not give x back: keep the ends exact.
  if (u <= 0.0) v = p.min;
  if (u >= 1.0) v = p.max;
  return p.integer ? std::round(v) : v;
}

std::vector<double> grid_levels(const DesignParameter& p) {
  if (!p.values.empty()) {
    std::vector<double> out = p.values;
    if (p.integer)
      for (double& v : out) v = std::round(v);
    return out;
  }
  std::vector<double> out;
  if (p.levels == 1) return {scale_unit(p, 0.5)};
  for (std::uint32_t k = 0; k < p.levels; ++k)
    out.push_back(scale_unit(p, static_cast<double>(k) / (p.levels - 1)));
  return out;
}

DesignTable sample_design(const DesignSpec& spec) {
  DesignTable t;
  t.method = to_string(spec.method);
  const std::size_t d = spec.parameters.size();
  for (const auto& p : spec.parameters) {
    t.paths.push_back(p.path);
    t.scales.push_back(p.log ? "log" : "linear");
  }
  if (d == 0) return t;
  switch (spec.method) {
    case DesignMethod::grid: {
      std::vector<std::vector<double>> levels;
      std::size_t total = 1;
      for (const auto& p : spec.parameters) {
        levels.push_back(grid_levels(p));
        total *= levels.back().size();
      }
      for (std::size_t i = 0; i < total; ++i) {
        std::size_t rest = i;
        std::vector<double> row(d);
        for (std::size_t j = d; j-- > 0;) {
          row[j] = levels[j][rest % levels[j].size()];
          rest /= levels[j].size();
        }
        t.values.insert(t.values.end(), row.begin(), row.end());
      }
      break;
    }
    case DesignMethod::latin_hypercube: {
      const std::uint32_t n = spec.points;
      t.values.assign(static_cast<std::size_t>(n) * d, 0.0);
      const RandomKey key(spec.seed, 0);
      for (std::size_t j = 0; j < d; ++j) {
        // A stream of its own per parameter: adding a parameter changes no other column.
        Draws draws(key, Stream::design, 0, static_cast<std::uint32_t>(j));
        std::vector<std::uint32_t> strata(n);
        std::iota(strata.begin(), strata.end(), 0u);
        for (std::uint32_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[draws.below(i)]);
        for (std::uint32_t i = 0; i < n; ++i) {
          const double u = (strata[i] + draws.uniform()) / n;
          t.values[i * d + j] = scale_unit(spec.parameters[j], u);
        }
      }
      break;
    }
    case DesignMethod::sobol: {
      boost::random::sobol engine(static_cast<unsigned>(d));
      const double scale = 1.0 / (static_cast<double>(engine.max()) + 1.0);
      for (std::uint32_t i = 0; i < spec.points; ++i)
        for (std::size_t j = 0; j < d; ++j)
          t.values.push_back(scale_unit(spec.parameters[j], static_cast<double>(engine()) * scale));
      break;
    }
    case DesignMethod::points: {
      const std::size_t n = spec.parameters.front().values.size();
      for (const auto& p : spec.parameters)
        if (p.values.size() != n)
          throw std::invalid_argument("every parameter of a points design needs as many values");
      for (std::size_t i = 0; i < n; ++i)
        for (const auto& p : spec.parameters)
          t.values.push_back(p.integer ? std::round(p.values[i]) : p.values[i]);
      break;
    }
  }
  return t;
}

}  // namespace tipsim::ensemble
