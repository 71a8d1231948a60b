#pragma once
/// The numeric indicators of a Summary, each with its JSON key, its label in a table and its
/// unit. The summary and the comparison both render these lists, so a new indicator added
/// here shows in both, in the same order. Not part of the public API.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/summary.hpp"

namespace tipsim::analysis::detail {

struct Count {
  std::string_view key;
  std::string_view label;
  std::int64_t value;
  std::string_view unit;
};

/// Totals before the exits, which the JSON nests in an object of their own.
[[nodiscard]] std::vector<Count> arrival_counts(const WindowTotals& t);
/// The ways out of trafficking.
[[nodiscard]] std::vector<Count> exit_counts(const ExitTotals& e);
/// Totals after the exits, the derived sums among them.
[[nodiscard]] std::vector<Count> later_counts(const WindowTotals& t);
/// Stocks at the end of the window (not its date).
[[nodiscard]] std::vector<Count> stock_counts(const StocksAtEnd& e);
/// What one intervention did over the window (not its name and type).
[[nodiscard]] std::vector<Count> intervention_counts(const InterventionTotals& i);

/// A share as a percentage with one decimal; "-" when there is no denominator.
[[nodiscard]] std::string percent(std::optional<double> share);

/// Text padded with spaces to `width` characters, on the right or on the left.
[[nodiscard]] std::string pad_right(std::string_view text, std::size_t width);
[[nodiscard]] std::string pad_left(std::string_view text, std::size_t width);

}  // namespace tipsim::analysis::detail
