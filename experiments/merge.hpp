#pragma once
/// `tipsim merge`: part files of one experiment (each written with `--runs A:B`) joined
/// into the file the whole experiment would have written.
#include <cstdint>
#include <string>
#include <vector>

namespace tipsim::experiments {

struct MergeOptions {
  std::vector<std::string> parts;
  std::string out;
  std::string command_line;  ///< recorded in the merged file's provenance
  bool overwrite = false;    ///< replace an existing `out`
};

struct MergeReport {
  std::uint64_t runs = 0;     ///< runs in the merged file
  std::uint64_t planned = 0;  ///< runs of the whole experiment
};

/// Throws IoError when a part is not an ensemble file, when parts come from different
/// experiments (or replicate counts), when two parts hold the same run, or when `out`
/// exists and `overwrite` is not set.
MergeReport merge_parts(const MergeOptions& options);

}  // namespace tipsim::experiments
