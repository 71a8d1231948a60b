#pragma once
/// Goodness of fit of one run to calibration targets: each target's simulated value beside
/// the reported one, with a term that grows with their distance, and the sum of the terms,
/// the objective a calibration minimises.
///
/// A targets file (YAML, e.g. scenarios/targets/kedougou.yaml) lists what a survey reported
/// (prevalence by estimator, nationality shares among victims, sample sizes) and the ground
/// truth it stands for (women and victims aged 18-30 on an observation date). Like the
/// summary, the fit reads only the output schema (docs/OUTPUT.md).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/summary.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/date.hpp"

namespace tipsim::analysis {

/// What a target measures (the `quantity` of a targets file).
enum class Quantity {
  prevalence,         ///< share classified trafficked, by estimator (proportion)
  nationality_share,  ///< share of a nationality among respondents classified (proportion)
  sample_size,        ///< respondents (count)
  wecs_18_30,         ///< women in commercial sex aged 18-30 on a date, ground truth (count)
  trafficked_18_30,   ///< of them, trafficked, ground truth (count)
};

/// The name of `q` in targets files and in the fit's output.
[[nodiscard]] std::string_view quantity_name(Quantity q);

/// A proportion is scored with a beta-binomial deviance, a count with a normal term.
[[nodiscard]] bool is_proportion(Quantity q);

/// Relative standard deviation of a count target that does not give its own.
inline constexpr double kDefaultRelativeSd = 0.1;

/// One target of a targets file. The keys a quantity does not take stay empty.
struct Target {
  std::string name;
  Quantity quantity = Quantity::prevalence;
  std::optional<std::string> survey;      ///< survey quantities
  std::optional<std::string> department;  ///< empty: the whole survey population or region
  std::optional<std::string> estimator;   ///< prevalence: one of kEstimatorKeys
  std::optional<std::string> country;     ///< nationality_share: one of kNationalityKeys
  std::optional<Date> date;               ///< wecs_18_30, trafficked_18_30
  double value = 0;                       ///< the reported value
  /// Proportions: respondents the reported value rests on (for a nationality share, those
  /// classified trafficked); when absent, the simulated survey's in the target's scope.
  std::optional<double> n;
  double relative_sd = kDefaultRelativeSd;  ///< counts only
  std::optional<std::string> source;        ///< where the value comes from

  /// Where the target stands in its file, for messages: its key path (`targets[3]`) and the
  /// location of each key it gives.
  std::string path;
  config::Location location;
  std::map<std::string, config::Location, std::less<>> key_locations;
};

/// Reads a targets file. Throws ConfigError (a config::ScenarioError listing every problem,
/// each as file:line:column: key: message) for a file that cannot be read or is malformed.
[[nodiscard]] std::vector<Target> read_targets(const std::filesystem::path& file);
/// The same from text; `name` names the file in messages.
[[nodiscard]] std::vector<Target> read_targets_text(std::string_view text, const std::string& name);

/// The deviance of a reported share `target`, observed on `n_observed` effective
/// respondents, given a simulated survey that found the share `simulated` among
/// `n_simulated` effective respondents (docs/CALIBRATION.md):
///
///   2 [ln Bin(k | n, t) - ln BetaBin(k | n, a, b)],  k = t n,
///   a = s m + 1/2,  b = (1 - s) m + 1/2  (m = n_simulated, s = simulated).
///
/// The simulated survey's counts give a Beta posterior for the model's share (Jeffreys
/// prior); the reported count is scored by its predictive, beta-binomial, likelihood, against
/// the best any model could do (the binomial at p = t). The term is 0 only when both
/// surveys are vast and agree, grows with the distance and shrinks as either survey is
/// smaller; it is finite for every input: a share the simulated survey never saw (s = 0) is
/// unlikely, not impossible. Without a simulated share (nobody in the simulated scope),
/// `simulated` is empty and the Beta is the Jeffreys prior. k and n may be fractional
/// (effective sizes); 0 ln 0 = 0.
[[nodiscard]] double beta_binomial_deviance(double target, double n_observed,
                                            std::optional<double> simulated, double n_simulated);
/// ((s - t) / (relative_sd * t))^2: a normal term with standard deviation relative_sd * t.
[[nodiscard]] double normal_term(double target, double simulated, double relative_sd);

/// One target beside the run.
struct TargetFit {
  Target target;
  /// The run's value; empty only for a nationality share when nobody was classified
  /// trafficked (then n_effective is 0 and the term 0).
  std::optional<double> simulated;
  /// Proportions: the reported share's respondents over the design effect (the simulated
  /// survey's, of the target's estimator and scope; 1 when unknown). Empty for counts.
  std::optional<double> n_effective;
  /// Proportions: the simulated survey's respondents in the scope over the same design
  /// effect. Empty for counts.
  std::optional<double> simulated_n_effective;
  double term = 0;
};

struct Fit {
  std::string file;          ///< the run file, as given
  std::string targets_file;  ///< as given
  std::vector<TargetFit> targets;
  double total = 0;  ///< sum of the terms
};

/// Puts every target beside the run summarised in `run`. Throws ConfigError (a
/// config::ScenarioError, one diagnostic per problem, at the target's location and naming
/// it) when a target asks for what the run does not have: an unknown survey or department,
/// an estimator the survey's design did not use or could not compute, a survey that did not
/// complete, an observation date the run lacks.
[[nodiscard]] Fit fit_targets(const Summary& run, const std::vector<Target>& targets,
                              const std::string& run_file = {},
                              const std::string& targets_file = {});

/// Reads both files and fits. IoError for a run file summarize() refuses; ConfigError for
/// the targets file or a mismatch.
[[nodiscard]] Fit fit_run(const std::filesystem::path& run_file,
                          const std::filesystem::path& targets_file);

/// A fixed-width table: one line per target with its scope, target, simulated value,
/// effective sample size and term, then the total.
[[nodiscard]] std::string fit_table(const Fit& f);

/// The fit as JSON, keys in a fixed order (docs/OUTPUT.md).
[[nodiscard]] std::string fit_json(const Fit& f);

}  // namespace tipsim::analysis
