#pragma once
/// The calibration file (docs/OUTPUT.md, "Calibration files"): the parameters and their
/// priors, every complete generation of an ABC-SMC run, and the posterior summary of the
/// last one. Rewritten whole, atomically, after each generation, so a calibration killed at
/// any moment leaves the file of its last complete generation, from which it resumes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calibration/abc_smc.hpp"

namespace tipsim::calibration {

inline constexpr std::int64_t kCalibrationSchemaVersion = 1;

/// One calibrated parameter.
struct CalibratedParameter {
  std::string path;  ///< what it names (a scenario key path)
  Prior prior;
  std::string source;  ///< why this prior, as the priors file says
};

/// What a calibration file holds besides its generations.
struct CalibrationRun {
  std::vector<CalibratedParameter> parameters;
  AbcOptions options;
  /// Identifies the problem: a calibration resumes only from a file with the same.
  std::string fingerprint;
  /// Provenance: the inputs' texts (scenario resolved, targets, priors) and the command.
  std::vector<std::string> input_names, input_texts;
  std::string command_line, version, git_commit;
};

/// Posterior summary of one parameter: weighted mean, median and quantiles of the last
/// generation.
struct PosteriorSummary {
  double mean = 0, median = 0;
  double q05 = 0, q25 = 0, q75 = 0, q95 = 0;  ///< 90% and 50% central credible intervals
  double sd = 0;
};

/// Per parameter, from a generation's weighted particles.
[[nodiscard]] std::vector<PosteriorSummary> summarize_posterior(const AbcGeneration& g,
                                                                std::size_t parameters);
/// Weighted correlation matrix (parameters x parameters, row-major).
[[nodiscard]] std::vector<double> posterior_correlation(const AbcGeneration& g,
                                                        std::size_t parameters);

/// Writes the whole file: `run`, `result`'s generations, and (when there is one) the
/// posterior summary of the last; `complete`: the sampler stopped by one of its rules
/// (else it is a file written between generations).
void write_calibration_file(const std::filesystem::path& path, const CalibrationRun& run,
                            const AbcResult& result, bool complete);

/// A calibration file read back.
struct CalibrationFile {
  CalibrationRun run;
  AbcResult result;
  bool complete = false;
};
/// Reads a calibration file; IoError when it is not one (or of another version).
[[nodiscard]] CalibrationFile read_calibration_file(const std::filesystem::path& path);
/// True when `path` is an HDF5 file whose `file_kind` is "calibration".
[[nodiscard]] bool is_calibration_file(const std::filesystem::path& path);

}  // namespace tipsim::calibration
