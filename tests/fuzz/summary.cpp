// Fuzz target: `tipsim summary` of any file it takes (run, ensemble or sweep, calibration,
// sensitivity), chosen as the command chooses, both as a table and as JSON.
#include "analysis/summary.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/calibration_summary.hpp"
#include "analysis/ensemble_summary.hpp"
#include "analysis/sensitivity_summary.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/ensemble/ensemble_file.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tipsim::fuzz::InputFile input;
  const std::string& file = input.write(data, size);
  return tipsim::fuzz::guarded([&] {
    namespace a = tipsim::analysis;
    if (tipsim::sensitivity::is_sensitivity_file(file)) {
      const auto r = tipsim::sensitivity::read_sensitivity_file(file);
      static_cast<void>(a::sensitivity_table(file, r));
      static_cast<void>(a::sensitivity_json(file, r));
    } else if (tipsim::calibration::is_calibration_file(file)) {
      const auto c = tipsim::calibration::read_calibration_file(file);
      static_cast<void>(a::calibration_table(file, c));
      static_cast<void>(a::calibration_json(file, c));
    } else if (tipsim::ensemble::is_ensemble_file(file)) {
      const auto s = a::summarize_ensemble(file);
      static_cast<void>(a::ensemble_summary_table(s, true));
      static_cast<void>(a::ensemble_summary_json(s));
    } else {
      const auto s = a::summarize(file, {});
      static_cast<void>(a::summary_table(s));
      static_cast<void>(a::summary_json(s));
    }
  });
}
