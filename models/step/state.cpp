// A run's state between two steps as bytes, for checkpoints (sim/state_archive.hpp): one
// list of fields serves saving and restoring. What the scenario determines (places, routes
// and paths, the at-risk women's traits and ties, the survey band) is rebuilt from the
// scenario, not saved.
#include <algorithm>
#include <string>

#include "models/step/simulation.hpp"
#include "sim/state_archive.hpp"

namespace tipsim::model {

template <class Archive>
void transfer(Archive& ar, House& h) {
  ar(h.site, h.capacity, h.madam, h.nationality, h.workers, h.incoming, h.next_review_day,
     h.closing, h.testimony, h.closed, h.recruiters);
}

template <class Archive>
void transfer(Archive& ar, Recruiter& r) {
  ar(r.origin, r.holder, r.contacts, r.contact_ties_begin, r.contact_ties, r.transporters, r.orders,
     r.group, r.group_started_day);
}

template <class Archive>
void transfer(Archive& ar, Population& p) {
  ar(p.role, p.status, p.place, p.generation, p.home, p.nationality, p.birth_day, p.flags, p.house,
     p.debt_fcfa, p.price_per_client_fcfa, p.arrival_day, p.status_since_day, p.org_node,
     p.acceptance_odds, p.aware_until_day, p.aware_by, p.draw_key, p.first_created_key,
     p.created_row);
}

template <class Archive>
void transfer(Archive& ar, Observation& o) {
  ar(o.date, o.wecs_18_30, o.trafficked_18_30, o.victims_by_country, o.victims_by_age);
}

template <class Archive>
void transfer(Archive& ar, Snapshot& s) {
  ar(s.date, s.person, s.role, s.status, s.nationality, s.place, s.home, s.age_years, s.house,
     s.debt_fcfa);
}

template <class Archive>
void transfer(Archive& ar, InterventionState& s) {
  ar(s.stream, s.origin_mask, s.origins, s.origin_women_cumulative, s.site_mask, s.sites,
     s.edge_mask, s.nationality_mask, s.active, s.fired, s.spell_end_day, s.fixed_accrued_fcfa,
     s.fixed_booked_fcfa, s.budget_year, s.spent_this_year_fcfa, s.committees_formed,
     s.officers_in_post, s.officers_trained_exact, s.officers_trained, s.first_active_day_done,
     s.beds_used, s.next_date, s.today);
}

namespace {

constexpr std::uint32_t kStateVersion = 1;

/// The sizes of the types saved as bytes: a state written by a build that lays them out
/// otherwise is refused, not misread.
std::string layout() {
  return "Event " + std::to_string(sizeof(Event)) + ", Site " + std::to_string(sizeof(Site)) +
         ", Transporter " + std::to_string(sizeof(Transporter)) + ", Order " +
         std::to_string(sizeof(Order)) + ", Scheduled " + std::to_string(sizeof(Scheduled)) +
         ", Respondent " + std::to_string(sizeof(Respondent)) + ", RouteFlow " +
         std::to_string(sizeof(RouteFlow)) + ", size_t " + std::to_string(sizeof(std::size_t));
}

/// A value the restoring run must share with the saved one.
template <class Archive, class T>
void expect_same(Archive& ar, T value, const char* what) {
  T saved = value;
  ar(saved);
  if constexpr (Archive::kLoading) {
    if (saved != value)
      throw IoError(ar.source() + ": the saved state does not fit this run: " + what + " " +
                    std::to_string(saved) + " there, " + std::to_string(value) + " here");
  }
}

}  // namespace

template <class Archive>
void Simulation::transfer_state(Archive& ar) {
  std::string format = "tipsim run state";
  std::uint32_t version = kStateVersion;
  std::string saved_layout = layout();
  ar(format, version, saved_layout);
  if constexpr (Archive::kLoading) {
    if (format != "tipsim run state" || version != kStateVersion || saved_layout != layout())
      throw IoError(ar.source() + ": the saved state was written by another version of tipsim (" +
                    format + " " + std::to_string(version) + ", " + saved_layout +
                    "); it needs version " + std::to_string(kStateVersion) + ", " + layout());
  }
  // The world the scenario builds: the same on both sides, or the state is not this run's.
  expect_same(ar, dt_, "step_days");
  expect_same(ar, world_.places.size(), "places");
  expect_same(ar, world_.edges.size(), "route legs");
  expect_same(ar, world_.sites.size(), "sites");
  expect_same(ar, world_.origins.size(), "origins");
  expect_same(ar, world_.paths.size(), "paths");
  expect_same(ar, world_.at_risk_women, "at-risk women");
  expect_same(ar, spec_.surveys.size(), "surveys");
  std::uint32_t step = step_;
  ar(step);
  if constexpr (Archive::kLoading) {
    if (step == 0 || step >= steps_)
      throw IoError(ar.source() + ": the saved state is of step " + std::to_string(step) +
                    ", not inside this run's " + std::to_string(steps_) + " steps");
    step_ = step;
  }

  auto& w = world_;
  ar(w.sites, w.houses, w.recruiters, w.transporters, w.people);
  std::uint64_t groups = w.groups.size();
  ar(groups);
  if constexpr (Archive::kLoading) {
    if (groups > w.people.size() + 1) throw IoError(ar.source() + ": the saved state is damaged");
    w.groups.assign(groups, Group{});
  }
  for (Group& g : w.groups) {
    std::uint64_t path = g.path ? static_cast<std::uint64_t>(g.path - w.paths.data()) : ~0ULL;
    ar(g.members, g.house, g.transporter, path, g.leg, g.done);
    if constexpr (Archive::kLoading) {
      if (path != ~0ULL && path >= w.paths.size())
        throw IoError(ar.source() + ": the saved state is damaged (a group's route)");
      g.path = path == ~0ULL ? nullptr : &w.paths[path];
    }
  }

  calendar_.transfer(ar, step_);
  ar(status_counts_, flows_, site_flows_, route_flows_, counted_site_, at_risk_rows_, exploited_,
     free_at_sites_, shelter_queue_, repatriation_queue_, trial_queue_, beds_used_, court_credit_,
     next_repatriation_day_, next_observation_, next_snapshot_, in_programme_bed_, acting_,
     acquaintances_, record_reserve_rows_);
  for (SurveyFieldwork& survey : surveys_) ar(survey);  // as many on both sides (above)

  // Interventions: the saved ones in their places; one that starts on or after the saved
  // day has done nothing yet, so a branch may add, drop or change it.
  std::vector<std::string> names;
  for (const auto& i : spec_.interventions) names.push_back(i.name);
  std::vector<InterventionState> saved_programme = programme_;
  ar(names, saved_programme);
  const std::size_t saved_count = names.size();
  std::vector<bool> restored(spec_.interventions.size(), false);
  if constexpr (Archive::kLoading) {
    for (std::size_t i = 0; i < spec_.interventions.size(); ++i) {
      const InterventionSpec& s = spec_.interventions[i];
      if (s.start.days >= day()) continue;
      if (i >= saved_count || names[i] != s.name)
        throw IoError(ar.source() + ": intervention '" + s.name +
                      "' starts before the saved day but is not in its place in the saved run");
      programme_[i] = std::move(saved_programme[i]);
      restored[i] = true;
    }
  }

  RunRecord& r = record_;
  ar(r.days, r.totals, r.written_rows, r.by_site, r.site_demand, r.site_gold_luck, r.events,
     r.observations, r.snapshots);
  std::vector<std::int64_t> series = r.interventions;
  ar(series);
  if constexpr (Archive::kLoading) {
    // The daily series of interventions, column by column: a restored intervention's from
    // the saved run, zeros for one that has not started.
    if (r.written_rows > r.days.size())
      throw IoError(ar.source() + ": the saved state is damaged (recorded rows)");
    const std::size_t rows = r.days.size() - r.written_rows;
    const std::size_t n = spec_.interventions.size();
    if (r.totals.size() != r.days.size() * kTotalCount ||
        series.size() != rows * kInterventionSeriesCount * saved_count ||
        r.by_site.size() != rows * kBySiteCount * w.sites.size())
      throw IoError(ar.source() + ": the saved state is damaged (recorded series)");
    r.interventions.assign(rows * kInterventionSeriesCount * n, 0);
    for (std::size_t row = 0; row < rows * kInterventionSeriesCount; ++row)
      for (std::size_t i = 0; i < n; ++i)
        if (restored[i]) r.interventions[row * n + i] = series[row * saved_count + i];
    if (!ar.at_end()) throw IoError(ar.source() + ": the saved state has bytes after its end");
  }
}

std::vector<std::uint8_t> Simulation::save_state() const {
  StateWriter writer;
  // Saving only reads: the field list is shared with restoring.
  const_cast<Simulation*>(this)->transfer_state(writer);
  return writer.take();
}

void Simulation::restore_state(std::span<const std::uint8_t> state, const std::string& source) {
  if (step_ != 0) throw InvariantError("a saved state is restored before the first step");
  StateReader reader(state, source);
  transfer_state(reader);
}

}  // namespace tipsim::model
