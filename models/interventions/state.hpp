#pragma once
/// What one intervention carries through a run: where it acts (resolved from its target),
/// whether it is on, its spend and budget, its build-up, and today's counts.
#include <array>
#include <cstdint>
#include <vector>

#include "models/recording/series.hpp"
#include "models/world/population.hpp"
#include "sim/random.hpp"

namespace tipsim::model {

struct InterventionState {
  /// Its own random stream, keyed by its name: adding, removing or reordering other
  /// interventions never changes its draws, nor theirs the model's.
  Stream stream{};
  // Target, resolved to indices. Empty masks mean the dimension is not used by the type.
  std::vector<std::uint8_t> origin_mask;        ///< per origin
  std::vector<std::uint32_t> origins;           ///< targeted origins, in order
  std::vector<double> origin_women_cumulative;  ///< women at those origins, running sum
  std::vector<std::uint8_t> site_mask;          ///< per site
  std::vector<std::uint32_t> sites;             ///< targeted sites, in order
  std::vector<std::uint8_t> edge_mask;          ///< per edge
  std::vector<std::uint8_t> nationality_mask;   ///< per country
  // Switching on and off.
  bool active = false;
  bool fired = false;                      ///< the trigger fired at least once
  std::int32_t spell_end_day = kNeverDay;  ///< a fired trigger keeps it on until this day
  // Spend.
  double fixed_accrued_fcfa = 0;  ///< fixed and pro-rata costs, exact
  std::int64_t fixed_booked_fcfa = 0;
  std::int32_t budget_year = 0;
  std::int64_t spent_this_year_fcfa = 0;
  // Build-up and stocks of the type.
  std::int64_t committees_formed = 0;
  double officers_in_post = 0;
  double officers_trained_exact = 0;
  std::int64_t officers_trained = 0;
  bool first_active_day_done = false;
  std::int32_t beds_used = 0;
  std::size_t next_date = 0;  ///< repatriation: next of its dates
  std::array<std::int64_t, kInterventionSeriesCount> today{};

  void credit(InterventionSeries s, std::int64_t n = 1) { today[static_cast<std::size_t>(s)] += n; }
};

/// An extra hazard of exit for victims at a site, attributed to an intervention.
struct SiteHazard {
  std::int16_t intervention;
  bool escape;  ///< assisted escape (else identification)
  double rate_per_year;
};

}  // namespace tipsim::model
