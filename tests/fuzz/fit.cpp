// Fuzz target: `tipsim fit` of a run or ensemble file to targets that the small valid run
// answers (a ground-truth count and a survey prevalence).
#include "analysis/fit.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/fit_ensemble.hpp"
#include "sim/ensemble/ensemble_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tipsim::fuzz::InputFile input;
  static const std::string targets = tipsim::fuzz::source_path("tests/fuzz/data/targets.yaml");
  const std::string& file = input.write(data, size);
  return tipsim::fuzz::guarded([&] {
    namespace a = tipsim::analysis;
    if (tipsim::ensemble::is_ensemble_file(file)) {
      const auto f = a::fit_ensemble(file, targets);
      static_cast<void>(a::ensemble_fit_table(f));
      static_cast<void>(a::ensemble_fit_json(f));
      return;
    }
    const auto f = a::fit_run(file, targets);
    static_cast<void>(a::fit_table(f));
    static_cast<void>(a::fit_json(f));
  });
}
