// Fuzz target: the design reader of sweeps, for the small test scenario.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/design_points.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string scenario = tipsim::fuzz::source_path("tests/cli/data/small.yaml");
  const std::string input(reinterpret_cast<const char*>(data), size);
  return tipsim::fuzz::guarded([&] {
    static_cast<void>(tipsim::experiments::load_design_text(input, "design.yaml", scenario, {}));
  });
}
