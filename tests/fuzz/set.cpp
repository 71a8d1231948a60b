// Fuzz target: `--set` overrides (one `key.path=value` per input line) applied to the small
// test scenario, then validated as `run` would.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string base =
      tipsim::fuzz::read_text(tipsim::fuzz::source_path("tests/cli/data/small.yaml"));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  std::size_t start = 0;
  while (start < input.size()) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    overrides.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  return tipsim::fuzz::guarded(
      [&] { static_cast<void>(tipsim::model::load_scenario_text(base, "small.yaml", overrides)); });
}
