#pragma once
/// Summary of one run file: the observation dates (the ground truth a survey at the sites
/// estimates), the virtual surveys, flow totals over a date window, stocks at its end and
/// what each intervention did over the window.
///
/// Reads only the output schema (docs/OUTPUT.md), never the simulator's own types, so it
/// works on any file a run wrote, with the same build or another.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "analysis/surveys.hpp"
#include "sim/date.hpp"
#include "sim/h5/group.hpp"

namespace tipsim::analysis {

/// Output schema versions this reader understands (root attribute `schema_version`): from
/// the oldest to the newest. Version 4 only added /routes, which the readers do not need.
inline constexpr std::int64_t kOldestSchemaVersion = 3;
inline constexpr std::int64_t kNewestSchemaVersion = 4;

/// Nationalities reported on their own; every other country is summed into "other".
inline constexpr std::array<std::string_view, 4> kNationalityKeys = {"NG", "SN", "ML", "other"};
static_assert(kNationalityKeys.size() ==
                  std::tuple_size_v<decltype(ClassifiedProfile::nationality_share)>,
              "surveys report the same nationalities as the observations");
/// Age bands of `/observations/victims_by_age`, in column order.
inline constexpr std::array<std::string_view, 4> kAgeBandKeys = {"<18", "18-24", "25-30", ">30"};

/// Inclusive date window for totals; an empty bound means the start or end of the run.
struct SummaryOptions {
  std::optional<Date> from;
  std::optional<Date> to;
};

/// Women in commercial sex aged 18-30 at the sites of one department on one date.
struct DepartmentCount {
  std::string name;                   ///< as in `/departments`
  std::int64_t wecs_18_30 = 0;        ///< persons
  std::int64_t trafficked_18_30 = 0;  ///< of whom trafficked (ground truth), persons
  /// trafficked_18_30 / wecs_18_30 (1); empty when there are no such women.
  std::optional<double> trafficked_share_true;
};

/// Counts on one observation date (`/observations`).
struct ObservationSummary {
  Date date;
  std::int64_t wecs_18_30 = 0;        ///< summed over departments, persons
  std::int64_t trafficked_18_30 = 0;  ///< summed over departments, persons
  /// trafficked_18_30 / wecs_18_30 (1); empty when there are no such women.
  std::optional<double> trafficked_share_true;
  std::vector<DepartmentCount> by_department;  ///< in `/departments` order

  /// Trafficked women at the sites, any age, persons.
  std::int64_t victims = 0;
  /// Victims by nationality, in kNationalityKeys order, persons.
  std::array<std::int64_t, 4> victims_by_nationality{};
  /// victims_by_nationality / victims (1); empty when there are no victims.
  std::array<std::optional<double>, 4> victim_nationality_share{};
  /// Victims by age band, in kAgeBandKeys order, persons.
  std::array<std::int64_t, 4> victims_by_age{};
  /// victims_by_age / (sum of victims_by_age) (1); empty when that sum is 0.
  std::array<std::optional<double>, 4> victim_age_share{};
};

/// Women leaving trafficking over the window, by way out, persons.
struct ExitTotals {
  std::int64_t repaid = 0;
  std::int64_t escaped = 0;           ///< on their own
  std::int64_t escaped_assisted = 0;  ///< helped out by an intervention, referred to care
  std::int64_t identified = 0;
  std::int64_t intercepted_in_transit = 0;
  std::int64_t aged_out = 0;
  std::int64_t died = 0;
};

/// Sums of the flow series over the steps whose date lies in the window.
struct WindowTotals {
  std::int64_t steps = 0;                  ///< recorded steps in the window
  std::int64_t recruited = 0;              ///< persons
  std::int64_t re_trafficked = 0;          ///< of the recruited, trafficked before, persons
  std::int64_t arrived_at_sites = 0;       ///< trafficked arrivals, persons
  std::int64_t voluntary_arrivals = 0;     ///< persons
  ExitTotals exits;                        ///< persons
  std::int64_t sheltered = 0;              ///< persons
  std::int64_t repatriated = 0;            ///< persons
  std::int64_t reintegrated = 0;           ///< persons
  std::int64_t arrests = 0;                ///< persons
  std::int64_t convictions = 0;            ///< persons
  std::int64_t became_madam = 0;           ///< persons
  std::int64_t replacements = 0;           ///< organisation members replaced, persons
  std::int64_t victim_days_exploited = 0;  ///< person-days
  std::int64_t debt_imposed_fcfa = 0;      ///< FCFA
  std::int64_t debt_paid_fcfa = 0;         ///< FCFA
  std::int64_t spend_fcfa = 0;             ///< spent on all interventions, FCFA

  /// Victims taken out of exploitation or transit by the authorities or an intervention:
  /// identified, intercepted on the way, or helped to escape (persons).
  [[nodiscard]] std::int64_t victims_removed() const noexcept {
    return rescued_identified() + exits.escaped_assisted;
  }
  /// Victims identified at the sites or intercepted on the way (persons).
  [[nodiscard]] std::int64_t rescued_identified() const noexcept {
    return exits.identified + exits.intercepted_in_transit;
  }
  /// Survivors sent or returned home, foreign and national (persons).
  [[nodiscard]] std::int64_t repatriated_or_reintegrated() const noexcept {
    return repatriated + reintegrated;
  }
};

/// Stocks at the end of the last recorded step in the window.
struct StocksAtEnd {
  Date date;                               ///< that step's date
  std::int64_t wecs = 0;                   ///< persons
  std::int64_t wecs_18_30 = 0;             ///< persons
  std::int64_t trafficked_at_sites = 0;    ///< persons
  std::int64_t in_transit = 0;             ///< persons
  std::int64_t shelter_occupancy = 0;      ///< persons
  std::int64_t debt_outstanding_fcfa = 0;  ///< FCFA
  std::int64_t houses_open = 0;            ///< houses
};

/// What one declared intervention did over the window (sums of its `/interventions`
/// series).
struct InterventionTotals {
  std::string name;                  ///< as declared in the scenario
  std::string type;                  ///< e.g. `site_raids`
  std::int64_t reached = 0;          ///< its own unit of reach
  std::int64_t victims_removed = 0;  ///< its `removed` series, persons
  std::int64_t arrests = 0;          ///< organisation members arrested through it, persons
  std::int64_t spend_fcfa = 0;       ///< FCFA
};

/// Everything summarize() reports about one run.
struct Summary {
  std::string scenario;                          ///< scenario name
  std::uint64_t seed = 0;                        ///< root seed of the run
  std::int64_t replicate = 0;                    ///< replicate number
  std::int64_t step_days = 1;                    ///< days per step
  Date start;                                    ///< first simulated day
  Date end;                                      ///< last simulated day
  Date from;                                     ///< window start (inclusive)
  Date to;                                       ///< window end (inclusive)
  std::vector<ObservationSummary> observations;  ///< every observation date of the file
  WindowTotals totals;
  StocksAtEnd at_end;
  std::vector<InterventionTotals> interventions;  ///< in declaration order; may be empty
  /// Every survey of the file, in declaration order, whatever the window: a survey reports
  /// its own fieldwork dates.
  std::vector<SurveySummary> surveys;
};

/// First and last simulated day of a run file (root attributes), after the same checks of
/// the file that summarize() makes. Throws IoError as summarize() does.
struct RunSpan {
  Date start;
  Date end;
};
[[nodiscard]] RunSpan run_span(const std::filesystem::path& run_file);

/// Reads a run file. Throws IoError for a missing or unreadable file, or one without the
/// expected groups, datasets or attributes (or of an unsupported schema version); throws
/// ConfigError when from > to, when a bound lies outside [start, end] of the run, or when
/// no step was recorded in the window.
[[nodiscard]] Summary summarize(const std::filesystem::path& run_file,
                                const SummaryOptions& options = {});
/// The same for a run file already open (an in-memory one, say): `run_root` is its root
/// group and `name` names it in messages.
[[nodiscard]] Summary summarize(const h5::Group& run_root, const std::string& name,
                                const SummaryOptions& options = {});
namespace detail {
class RunReader;
}
[[nodiscard]] Summary summarize(const detail::RunReader& run, const SummaryOptions& options);

/// A fixed-width text table for a terminal: one block per observation date and per survey,
/// then the totals over the window, the stocks at its end and, when there are any, the
/// interventions.
[[nodiscard]] std::string summary_table(const Summary& s);

/// The summary as JSON, keys in a fixed order. Shares with no denominator are null.
[[nodiscard]] std::string summary_json(const Summary& s);

}  // namespace tipsim::analysis
