// Fuzz target: the calibration targets reader, then a fit of a small valid run to the
// targets it accepts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/fit.hpp"
#include "analysis/summary.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tipsim::analysis::Summary run = tipsim::analysis::summarize(
      tipsim::fuzz::source_path("tests/fuzz/corpus/summary/surveys.h5"));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  return tipsim::fuzz::guarded([&] {
    const auto targets = tipsim::analysis::read_targets_text(input, "targets.yaml");
    const auto fit = tipsim::analysis::fit_targets(run, targets, "run.h5", "targets.yaml");
    static_cast<void>(tipsim::analysis::fit_table(fit));
    static_cast<void>(tipsim::analysis::fit_json(fit));
  });
}
