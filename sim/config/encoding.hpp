#pragma once
/// Text tipsim reads (scenarios, targets, designs, priors, `--set` values) is UTF-8. Other
/// encodings are refused with a message that says which, instead of being read as garbage
/// and stored as such in the run's provenance.
#include <optional>
#include <string>
#include <string_view>

#include "sim/config/diagnostics.hpp"

namespace tipsim::config {

/// `text` without a leading UTF-8 byte-order mark (editors on Windows write one).
std::string_view without_utf8_bom(std::string_view text);

/// A problem with `text` as UTF-8, located in `file`: a UTF-16 or UTF-32 byte-order mark, a
/// NUL byte, or a byte sequence that is not UTF-8 (such as Latin-1 accents); none when the
/// text is UTF-8.
std::optional<Diagnostic> utf8_problem(std::string_view text, const std::string& file);

}  // namespace tipsim::config
