// Fuzz target: the scenario reader from text, with `extends:` resolved in memory. The input
// is the scenario "main.yaml"; each line "#--- NAME" starts another file NAME that it (or
// another one) may extend, so chains, loops and missing bases are reached too.
#include "models/scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/config/document.hpp"
#include "sim/config/reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> files;
  std::string name = "main.yaml";
  std::string main_text;
  std::size_t start = 0;
  bool first = true;
  while (start <= input.size()) {
    const std::size_t marker = input.find("#--- ", start);
    const std::size_t end = marker == std::string_view::npos ? input.size() : marker;
    std::string text(input.substr(start, end - start));
    if (first) {
      main_text = std::move(text);
      first = false;
    } else {
      files[name] = std::move(text);
    }
    if (marker == std::string_view::npos) break;
    const std::size_t line_end = input.find('\n', marker);
    name = std::string(input.substr(marker + 5, line_end == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : line_end - marker - 5));
    start = line_end == std::string_view::npos ? input.size() + 1 : line_end + 1;
  }
  return tipsim::fuzz::guarded([&] {
    const auto doc = tipsim::config::Document::load_string(main_text, "main.yaml", ".", {}, files);
    tipsim::model::ScenarioSpec spec;
    tipsim::config::read(
        doc, [&](tipsim::config::Reader& r) { spec = tipsim::model::read_scenario(r); });
    // Valid: what run and validate do next with it.
    static_cast<void>(tipsim::model::dates_between_steps(spec));
  });
}
