#include "sim/calibration/calibration_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::calibration {
namespace {

using h5::DatasetOptions;

std::string generation_name(std::size_t t) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04zu", t);
  return buffer;
}

void write_generation(h5::Group& generations, const AbcGeneration& g, std::size_t parameters) {
  auto d = generations.create_group(generation_name(g.index));
  d.set_double_attribute("tolerance", g.tolerance);
  d.set_int_attribute("simulations", static_cast<std::int64_t>(g.simulations));
  d.set_int_attribute("failed", static_cast<std::int64_t>(g.failed));
  d.set_double_attribute("acceptance_rate", g.acceptance_rate);
  d.set_double_attribute("effective_sample_size", g.effective_sample_size);
  d.set_double_attribute("seconds", g.seconds);
  d.write("particles", g.particles, {g.size(), parameters},
          DatasetOptions{}.with_description("particles x parameters, each in its own scale"));
  d.write("weights", g.weights, {}, DatasetOptions{}.with_unit("1").with_description("sum 1"));
  d.write("distances", g.distances, {},
          DatasetOptions{}.with_description("each particle's distance to the targets"));
}

AbcGeneration read_generation(const h5::Group& generations, std::size_t t) {
  const auto d = generations.open_group(generation_name(t));
  AbcGeneration g;
  g.index = t;
  g.tolerance = d.double_attribute("tolerance");
  g.simulations = static_cast<std::uint64_t>(d.int_attribute("simulations"));
  g.failed = static_cast<std::uint64_t>(d.int_attribute("failed"));
  g.acceptance_rate = d.double_attribute("acceptance_rate");
  g.effective_sample_size = d.double_attribute("effective_sample_size");
  g.seconds = d.double_attribute("seconds");
  g.particles = d.read<double>("particles");
  g.weights = d.read<double>("weights");
  g.distances = d.read<double>("distances");
  return g;
}

}  // namespace

std::vector<PosteriorSummary> summarize_posterior(const AbcGeneration& g, std::size_t parameters) {
  std::vector<PosteriorSummary> out(parameters);
  std::vector<double> column(g.size());
  for (std::size_t j = 0; j < parameters; ++j) {
    double mean = 0, square = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      column[i] = g.particles[i * parameters + j];
      mean += g.weights[i] * column[i];
      square += g.weights[i] * column[i] * column[i];
    }
    PosteriorSummary& s = out[j];
    s.mean = mean;
    s.sd = std::sqrt(std::max(0.0, square - mean * mean));
    s.median = weighted_quantile(column, g.weights, 0.5);
    s.q05 = weighted_quantile(column, g.weights, 0.05);
    s.q25 = weighted_quantile(column, g.weights, 0.25);
    s.q75 = weighted_quantile(column, g.weights, 0.75);
    s.q95 = weighted_quantile(column, g.weights, 0.95);
  }
  return out;
}

std::vector<double> posterior_correlation(const AbcGeneration& g, std::size_t parameters) {
  const auto s = summarize_posterior(g, parameters);
  std::vector<double> r(parameters * parameters, 0.0);
  for (std::size_t a = 0; a < parameters; ++a) {
    for (std::size_t b = 0; b < parameters; ++b) {
      double cov = 0;
      for (std::size_t i = 0; i < g.size(); ++i)
        cov += g.weights[i] * (g.particles[i * parameters + a] - s[a].mean) *
               (g.particles[i * parameters + b] - s[b].mean);
      const double scale = s[a].sd * s[b].sd;
      r[a * parameters + b] = a == b ? 1.0 : (scale > 0 ? cov / scale : 0.0);
    }
  }
  return r;
}

void write_calibration_file(const std::filesystem::path& path, const CalibrationRun& run,
                            const AbcResult& result, bool complete) {
  h5::AtomicOutput output(path);
  {
    auto file = h5::File::create(output.temp_path());
    {
      auto root = file.root();
      const AbcOptions& o = run.options;
      root.set_string_attribute("file_kind", "calibration");
      root.set_int_attribute("calibration_schema_version", kCalibrationSchemaVersion);
      root.set_string_attribute("method", "abc_smc");
      root.set_int_attribute("seed", static_cast<std::int64_t>(o.seed));
      root.set_int_attribute("population", static_cast<std::int64_t>(o.population));
      root.set_double_attribute("quantile", o.quantile);
      root.set_int_attribute("max_generations", static_cast<std::int64_t>(o.max_generations));
      root.set_int_attribute("max_simulations", static_cast<std::int64_t>(o.max_simulations));
      root.set_double_attribute("min_acceptance", o.min_acceptance);
      root.set_double_attribute("min_tolerance", o.min_tolerance);
      root.set_double_attribute("max_seconds", o.max_seconds);
      root.set_int_attribute("complete", complete ? 1 : 0);
      root.set_string_attribute("stopped", complete ? stop_reason_name(result.stopped) : "");
      root.set_string_attribute("fingerprint", run.fingerprint);
      auto prov = root.create_group("provenance");
      prov.write_strings("input_name", run.input_names);
      prov.write_strings("input_text", run.input_texts);
      prov.set_string_attribute("command_line", run.command_line);
      prov.set_string_attribute("tipsim_version", run.version);
      prov.set_string_attribute("git_commit", run.git_commit);

      auto params = root.create_group("parameters");
      std::vector<std::string> paths, kinds, sources;
      std::vector<double> a, b, lower, upper;
      for (const auto& p : run.parameters) {
        paths.push_back(p.path);
        kinds.emplace_back(prior_kind_name(p.prior.kind()));
        sources.push_back(p.source);
        a.push_back(p.prior.a());
        b.push_back(p.prior.b());
        lower.push_back(p.prior.lower());
        upper.push_back(p.prior.upper());
      }
      params.write_strings("path", paths);
      params.write_strings("prior", kinds);
      params.write("a", a, {}, DatasetOptions{}.with_description("min, mean, mu or alpha"));
      params.write("b", b, {}, DatasetOptions{}.with_description("max, sd, sigma or beta"));
      params.write("lower", lower, {},
                   DatasetOptions{}.with_description("support after truncation"));
      params.write("upper", upper, {},
                   DatasetOptions{}.with_description("support after truncation"));
      params.write_strings("source", sources);

      auto generations = root.create_group("generations");
      std::vector<double> tolerance, acceptance, ess;
      std::vector<std::int64_t> simulations;
      const std::size_t np = run.parameters.size();
      for (const AbcGeneration& g : result.generations) {
        write_generation(generations, g, np);
        tolerance.push_back(g.tolerance);
        acceptance.push_back(g.acceptance_rate);
        ess.push_back(g.effective_sample_size);
        simulations.push_back(static_cast<std::int64_t>(g.simulations));
      }
      generations.write("tolerance", tolerance);
      generations.write("acceptance_rate", acceptance);
      generations.write("effective_sample_size", ess);
      generations.write("simulations", simulations);

      if (!result.generations.empty()) {
        const AbcGeneration& last = result.generations.back();
        auto post = root.create_group("posterior");
        post.set_int_attribute("generation", static_cast<std::int64_t>(last.index));
        const auto summary = summarize_posterior(last, np);
        const auto column = [&](double PosteriorSummary::*field) {
          std::vector<double> v;
          for (const auto& s : summary) v.push_back(s.*field);
          return v;
        };
        post.write("mean", column(&PosteriorSummary::mean));
        post.write("sd", column(&PosteriorSummary::sd));
        post.write("median", column(&PosteriorSummary::median));
        post.write("q05", column(&PosteriorSummary::q05));
        post.write("q25", column(&PosteriorSummary::q25));
        post.write("q75", column(&PosteriorSummary::q75));
        post.write("q95", column(&PosteriorSummary::q95));
        post.write("correlation", posterior_correlation(last, np), {np, np});
      }
    }
    file.close();
  }
  output.commit();
}

bool is_calibration_file(const std::filesystem::path& path) {
  return h5::file_kind(path) == "calibration";
}

namespace {

CalibrationFile read_contents(const std::filesystem::path& path) {
  const auto file = h5::File::open_read(path);
  const auto root = file.root();
  if (!root.has_attribute("file_kind") || root.string_attribute("file_kind") != "calibration")
    throw IoError(path.string() + ": not a calibration file");
  const std::int64_t version = root.int_attribute("calibration_schema_version");
  if (version != kCalibrationSchemaVersion)
    throw IoError(path.string() + ": calibration file version " + std::to_string(version) +
                  ", this tipsim reads version " + std::to_string(kCalibrationSchemaVersion));
  CalibrationFile out;
  AbcOptions& o = out.run.options;
  o.seed = static_cast<std::uint64_t>(root.int_attribute("seed"));
  o.population = static_cast<std::size_t>(root.int_attribute("population"));
  o.quantile = root.double_attribute("quantile");
  o.max_generations = static_cast<std::size_t>(root.int_attribute("max_generations"));
  o.max_simulations = static_cast<std::uint64_t>(root.int_attribute("max_simulations"));
  o.min_acceptance = root.double_attribute("min_acceptance");
  o.min_tolerance = root.double_attribute("min_tolerance");
  o.max_seconds = root.double_attribute("max_seconds");
  out.complete = root.int_attribute("complete") != 0;
  out.run.fingerprint = root.string_attribute("fingerprint");
  const auto prov = root.open_group("provenance");
  out.run.input_names = prov.read_strings("input_name");
  out.run.input_texts = prov.read_strings("input_text");
  out.run.command_line = prov.string_attribute("command_line");
  out.run.version = prov.string_attribute("tipsim_version");
  out.run.git_commit = prov.string_attribute("git_commit");
  const auto params = root.open_group("parameters");
  const auto paths = params.read_strings("path");
  const auto kinds = params.read_strings("prior");
  const auto sources = params.read_strings("source");
  const auto a = params.read<double>("a"), b = params.read<double>("b");
  const auto lower = params.read<double>("lower"), upper = params.read<double>("upper");
  for (std::size_t j = 0; j < paths.size(); ++j) {
    PriorKind kind = PriorKind::uniform;
    bool known = false;
    for (int k = 0; k < 5; ++k) {
      if (prior_kind_name(static_cast<PriorKind>(k)) == kinds.at(j)) {
        kind = static_cast<PriorKind>(k);
        known = true;
      }
    }
    if (!known) throw IoError(path.string() + ": unknown prior '" + kinds.at(j) + "'");
    out.run.parameters.push_back(CalibratedParameter{
        paths[j], Prior::of(kind, a.at(j), b.at(j)).truncated(lower.at(j), upper.at(j)),
        sources.at(j)});
  }
  const auto generations = root.open_group("generations");
  const std::size_t count = generations.read<double>("tolerance").size();
  for (std::size_t t = 0; t < count; ++t)
    out.result.generations.push_back(read_generation(generations, t));
  if (out.complete) {
    const std::string stopped = root.string_attribute("stopped");
    for (int k = 0; k < 5; ++k)
      if (stop_reason_name(static_cast<StopReason>(k)) == stopped)
        out.result.stopped = static_cast<StopReason>(k);
  }
  return out;
}

}  // namespace

CalibrationFile read_calibration_file(const std::filesystem::path& path) {
  try {
    return read_contents(path);
  } catch (const std::invalid_argument& e) {
    // Values that no calibration writes (a prior with min > max, lists of other lengths).
    throw IoError(path.string() + ": " + e.what() + ": a damaged or crafted file");
  } catch (const std::out_of_range& e) {
    throw IoError(path.string() + ": lists of different lengths (" + e.what() +
                  "): a damaged or crafted file");
  }
}

}  // namespace tipsim::calibration
