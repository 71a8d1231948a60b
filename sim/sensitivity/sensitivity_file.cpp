#include "sim/sensitivity/sensitivity_file.hpp"

#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::sensitivity {
namespace {

using h5::DatasetOptions;

template <class T, class F>
std::vector<double> column(const std::vector<T>& items, F get) {
  std::vector<double> out;
  for (const auto& x : items) out.push_back(get(x));
  return out;
}

}  // namespace

void write_sensitivity_file(const std::filesystem::path& path, const SensitivityResult& r) {
  h5::AtomicOutput output(path);
  {
    auto file = h5::File::create(output.temp_path());
    {
      auto root = file.root();
      root.set_string_attribute("file_kind", "sensitivity");
      root.set_int_attribute("sensitivity_schema_version", kSensitivitySchemaVersion);
      root.set_string_attribute("method", r.method);
      root.set_int_attribute("replicates", r.replicates);
      root.set_int_attribute("seed", static_cast<std::int64_t>(r.seed));
      root.set_int_attribute("sobol_base", static_cast<std::int64_t>(r.sobol_base));
      root.set_int_attribute("morris_levels", r.morris_levels);
      auto prov = root.create_group("provenance");
      prov.set_string_attribute("runs_file", r.runs_file);
      prov.set_string_attribute("command_line", r.command_line);
      prov.set_string_attribute("tipsim_version", r.version);
      prov.write_strings("scenario_text", std::vector<std::string>{r.scenario_text});
      auto params = root.create_group("parameters");
      std::vector<std::string> paths, scales;
      for (const auto& p : r.parameters) {
        paths.push_back(p.path);
        scales.emplace_back(p.log ? "log" : "linear");
      }
      params.write_strings("path", paths);
      params.write_strings("scale", scales);
      params.write("min", column(r.parameters, [](const auto& p) { return p.min; }));
      params.write("max", column(r.parameters, [](const auto& p) { return p.max; }));
      const std::size_t k = r.parameters.size();
      auto plan = root.create_group("plan");
      plan.write("unit", r.plan.points, {r.plan.size(), k},
                 DatasetOptions{}.with_description("points x parameters in [0, 1]"));
      plan.write("values", r.values, {r.plan.size(), k},
                 DatasetOptions{}.with_description("points x parameters, each in its own scale"));
      auto outs = root.create_group("outputs");
      std::vector<std::string> names;
      for (const auto& o : r.outputs) names.push_back(o.name);
      outs.write_strings("name", names);
      for (std::size_t i = 0; i < r.outputs.size(); ++i) {
        const OutputIndices& o = r.outputs[i];
        auto g = outs.create_group(std::to_string(i));
        g.set_string_attribute("name", o.name);
        g.set_double_attribute("chance_share", o.chance_share);
        g.write("point_means", o.point_means);
        if (!o.morris.empty()) {
          g.write("mu", column(o.morris, [](const auto& m) { return m.mu; }));
          g.write("mu_star", column(o.morris, [](const auto& m) { return m.mu_star; }));
          g.write("sigma", column(o.morris, [](const auto& m) { return m.sigma; }));
          g.write("mu_star_low",
                  column(o.morris, [](const auto& m) { return m.mu_star_interval.low; }));
          g.write("mu_star_high",
                  column(o.morris, [](const auto& m) { return m.mu_star_interval.high; }));
        }
        if (!o.sobol.empty()) {
          g.write("first", column(o.sobol, [](const auto& s) { return s.first; }));
          g.write("total", column(o.sobol, [](const auto& s) { return s.total; }));
          g.write("first_low", column(o.sobol, [](const auto& s) { return s.first_interval.low; }));
          g.write("first_high",
                  column(o.sobol, [](const auto& s) { return s.first_interval.high; }));
          g.write("total_low", column(o.sobol, [](const auto& s) { return s.total_interval.low; }));
          g.write("total_high",
                  column(o.sobol, [](const auto& s) { return s.total_interval.high; }));
        }
      }
    }
    file.close();
  }
  output.commit();
}

bool is_sensitivity_file(const std::filesystem::path& path) {
  return h5::file_kind(path) == "sensitivity";
}

SensitivityResult read_sensitivity_file(const std::filesystem::path& path) {
  if (!is_sensitivity_file(path)) throw IoError(path.string() + ": not a sensitivity file");
  const auto file = h5::File::open_read(path);
  const auto root = file.root();
  if (!root.has_attribute("sensitivity_schema_version"))
    throw IoError(path.string() + ": root attribute 'sensitivity_schema_version' is missing");
  const std::int64_t version = root.int_attribute("sensitivity_schema_version");
  if (version != kSensitivitySchemaVersion)
    throw IoError(path.string() + ": sensitivity schema version " + std::to_string(version) +
                  ", this reader understands version " + std::to_string(kSensitivitySchemaVersion));
  // A damaged or crafted file whose lists disagree in length is refused, not read past.
  const auto require_length = [&](const std::string& name, std::size_t got, std::size_t want) {
    if (got != want)
      throw IoError(path.string() + ": /" + name + " holds " + std::to_string(got) +
                    " values, expected " + std::to_string(want));
  };
  SensitivityResult r;
  r.method = root.string_attribute("method");
  r.replicates = static_cast<std::uint32_t>(root.int_attribute("replicates"));
  r.seed = static_cast<std::uint64_t>(root.int_attribute("seed"));
  r.sobol_base = static_cast<std::size_t>(root.int_attribute("sobol_base"));
  r.morris_levels = static_cast<std::uint32_t>(root.int_attribute("morris_levels"));
  const auto prov = root.open_group("provenance");
  r.runs_file = prov.string_attribute("runs_file");
  r.command_line = prov.string_attribute("command_line");
  r.version = prov.string_attribute("tipsim_version");
  const auto paths = root.read_strings("parameters/path");
  const auto scales = root.read_strings("parameters/scale");
  const auto min = root.read<double>("parameters/min"), max = root.read<double>("parameters/max");
  require_length("parameters/scale", scales.size(), paths.size());
  require_length("parameters/min", min.size(), paths.size());
  require_length("parameters/max", max.size(), paths.size());
  for (std::size_t j = 0; j < paths.size(); ++j)
    r.parameters.push_back({paths[j], min.at(j), max.at(j), scales.at(j) == "log"});
  r.plan.parameters = paths.size();
  r.plan.points = root.read<double>("plan/unit");
  r.values = root.read<double>("plan/values");
  const auto names = root.read_strings("outputs/name");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto g = root.open_group("outputs/" + std::to_string(i));
    OutputIndices o;
    o.name = names[i];
    o.chance_share = g.double_attribute("chance_share");
    o.point_means = g.read<double>("point_means");
    if (g.exists("mu")) {
      const auto mu = g.read<double>("mu"), star = g.read<double>("mu_star"),
                 sigma = g.read<double>("sigma"), lo = g.read<double>("mu_star_low"),
                 hi = g.read<double>("mu_star_high");
      const std::string at = "outputs/" + std::to_string(i) + "/";
      for (const auto* v : {&star, &sigma, &lo, &hi})
        require_length(at + "mu_star", v->size(), mu.size());
      for (std::size_t j = 0; j < mu.size(); ++j)
        o.morris.push_back({mu[j], star[j], sigma[j], {lo[j], hi[j]}});
    }
    if (g.exists("first")) {
      const auto f = g.read<double>("first"), t = g.read<double>("total"),
                 fl = g.read<double>("first_low"), fh = g.read<double>("first_high"),
                 tl = g.read<double>("total_low"), th = g.read<double>("total_high");
      const std::string at = "outputs/" + std::to_string(i) + "/";
      for (const auto* v : {&t, &fl, &fh, &tl, &th})
        require_length(at + "total", v->size(), f.size());
      for (std::size_t j = 0; j < f.size(); ++j)
        o.sobol.push_back({f[j], t[j], {fl[j], fh[j]}, {tl[j], th[j]}});
    }
    r.outputs.push_back(std::move(o));
  }
  return r;
}

}  // namespace tipsim::sensitivity
