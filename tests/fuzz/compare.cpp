// Fuzz target: `tipsim compare` of a run file against a valid one of the same scenario
// (the comparison and the first divergence), and of the valid one against it.
#include "analysis/compare.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tipsim::fuzz::InputFile input;
  static const std::string valid = tipsim::fuzz::source_path("tests/fuzz/corpus/compare/small.h5");
  const std::string& file = input.write(data, size);
  return tipsim::fuzz::guarded([&] {
    namespace a = tipsim::analysis;
    const auto c = a::compare_runs(valid, file);
    static_cast<void>(a::comparison_table(c));
    static_cast<void>(a::comparison_json(c));
    static_cast<void>(a::first_divergence(file, valid));
  });
}
