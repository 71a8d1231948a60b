// Fuzz target: the priors reader of calibrations, for the small test scenario and the
// project's target names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/priors_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string scenario = tipsim::fuzz::source_path("tests/cli/data/small.yaml");
  static const std::vector<std::string> targets{"prevalence", "prevalence_saraya",
                                                "victims_nigerian", "trafficked_18_30"};
  const std::string input(reinterpret_cast<const char*>(data), size);
  return tipsim::fuzz::guarded([&] {
    static_cast<void>(
        tipsim::experiments::load_priors_text(input, "priors.yaml", scenario, {}, targets));
  });
}
