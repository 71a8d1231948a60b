#include "sim/ensemble/plan.hpp"

#include <charconv>

namespace tipsim::ensemble {

std::optional<RunSlice> parse_run_slice(std::string_view text, std::string& error) {
  const auto colon = text.find(':');
  const auto number = [](std::string_view s, std::uint64_t& v) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  RunSlice slice;
  if (colon == std::string_view::npos || !number(text.substr(0, colon), slice.first) ||
      !number(text.substr(colon + 1), slice.last)) {
    error = "expected FIRST:LAST, two run ids (the runs FIRST to LAST-1), got '" +
            std::string(text) + "'";
    return std::nullopt;
  }
  if (slice.first >= slice.last) {
    error = "the slice " + std::string(text) + " holds no run: FIRST must be below LAST";
    return std::nullopt;
  }
  return slice;
}

}  // namespace tipsim::ensemble
