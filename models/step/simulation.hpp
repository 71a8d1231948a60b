#pragma once
/// One run of the corridor model: the day's agenda in `step()`, phases in their own files.
#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "models/interventions/state.hpp"
#include "models/recording/series.hpp"
#include "models/scenario/parameters.hpp"
#include "models/surveys/acquaintance.hpp"
#include "models/surveys/survey.hpp"
#include "models/world/world.hpp"
#include "sim/calendar.hpp"
#include "sim/id_list.hpp"
#include "sim/index_map.hpp"
#include "sim/random.hpp"

namespace tipsim::model {

/// Counts at one observation date (what `tipsim summary` reports).
struct Observation {
  Date date;
  std::vector<std::int64_t> wecs_18_30;          ///< per department
  std::vector<std::int64_t> trafficked_18_30;    ///< per department
  std::vector<std::int64_t> victims_by_country;  ///< trafficked at the sites, any age
  std::array<std::int64_t, 4> victims_by_age{};  ///< <18, 18-24, 25-30, >30
};

/// Agent state on a snapshot date (persons that ever left their origin or hold a role).
struct Snapshot {
  Date date;
  std::vector<std::uint32_t> person;
  std::vector<std::uint8_t> role, status, nationality;
  std::vector<std::int16_t> place, home;
  std::vector<float> age_years;
  std::vector<std::int32_t> house;
  std::vector<std::int64_t> debt_fcfa;
};

/// What a run records: all of it, kept in memory until the end, or what it recorded since a
/// stream last took it (Simulation::take_recorded).
struct RunRecord {
  std::vector<std::int32_t> days;
  std::vector<std::int64_t> totals;  ///< steps x kTotalCount, row-major
  /// Leading rows of `days` and `totals` that were handed to a stream already and are kept
  /// for the intervention triggers; the other daily arrays hold only the rows after them.
  std::size_t written_rows = 0;
  std::vector<std::int64_t> by_site;   ///< steps x kBySiteCount x sites
  std::vector<double> site_demand;     ///< steps x sites: clients demanded per day
  std::vector<double> site_gold_luck;  ///< steps x sites
  /// steps x kInterventionSeriesCount x interventions, row-major
  std::vector<std::int64_t> interventions;
  std::vector<Event> events;
  std::vector<Observation> observations;
  std::vector<Snapshot> snapshots;

  /// Bytes the daily series, the event ledger and the snapshots hold (their capacity): what
  /// a run keeps for its file, apart from the model's own state.
  [[nodiscard]] std::size_t output_bytes() const {
    std::size_t bytes =
        days.capacity() * sizeof(std::int32_t) +
        (totals.capacity() + by_site.capacity() + interventions.capacity()) * sizeof(std::int64_t) +
        (site_demand.capacity() + site_gold_luck.capacity()) * sizeof(double) +
        events.capacity() * sizeof(Event);
    for (const Snapshot& s : snapshots)
      bytes += s.person.capacity() * 4 + s.role.capacity() + s.status.capacity() +
               s.nationality.capacity() + (s.place.capacity() + s.home.capacity()) * 2 +
               (s.age_years.capacity() + s.house.capacity()) * 4 + s.debt_fcfa.capacity() * 8;
    return bytes;
  }
};

/// What travelled one route of the scenario over the whole run, both ways of a two-way route.
struct RouteFlow {
  std::int64_t women_moved = 0;  ///< women who completed a leg along it, counted at its end
  /// Of them, women intercepted at the end of that leg (screening by the checkpoint or an
  /// intervention). Groups stopped as they leave their origin never travel it.
  std::int64_t women_intercepted = 0;

  bool operator==(const RouteFlow&) const = default;
};

/// A scheduled transition; stale when the person's generation moved on.
struct Scheduled {
  enum Kind : std::uint8_t {
    leg_end,
    free_wecs_leave,
    free_wecs_age_out,
    free_wecs_death,
    shelter_discharge,
    case_ready,
    prison_release,
    replace_madam,
    replace_recruiter,
    replace_transporter,
    inform  ///< word of mouth: `id` is her at-risk index, `generation` the campaign's index
  };
  Kind kind;
  std::uint32_t id;
  std::uint32_t generation;

  /// Items about a person carry her status generation; the others (a group's leg, a vacant
  /// position) are never stale.
  [[nodiscard]] static bool about_person(Kind k) { return k != leg_end && k < replace_madam; }
};

/// The ages in days that are aged_min to age_max in completed years, as the first and
/// last day of age (an age in days d is in the band when d / 365.25 is).
std::pair<std::int32_t, std::int32_t> survey_band_days(double age_min, double age_max);

class Simulation {
 public:
  Simulation(const ScenarioSpec& spec, std::uint64_t seed);

  /// Advances one step. Returns false once the horizon is done.
  bool step();
  void run() {
    while (step()) {
    }
  }

  [[nodiscard]] std::uint32_t steps_done() const { return step_; }
  [[nodiscard]] std::uint32_t total_steps() const { return steps_; }
  [[nodiscard]] Date today() const {
    return Date{spec_.simulation.start.days + static_cast<std::int32_t>(step_) * dt_};
  }
  [[nodiscard]] const World& world() const { return world_; }
  [[nodiscard]] const RunRecord& record() const { return record_; }
  /// One entry per route of the scenario, in declaration order, summed since the start.
  [[nodiscard]] const std::vector<RouteFlow>& route_flows() const { return route_flows_; }
  /// Hands over what was recorded since the last call: the daily rows not handed over yet,
  /// the events and the snapshots. The record keeps the last rows of daily totals that the
  /// intervention triggers read. `next_rows`: steps expected before the next call, reserved
  /// so that the record's memory stays near what one call hands over.
  [[nodiscard]] RunRecord take_recorded(std::uint32_t next_rows);
  /// Rows of daily totals the record must keep for the triggers (at least 1).
  [[nodiscard]] std::uint32_t trigger_rows() const { return trigger_rows_; }
  /// Surveys in declaration order; results are complete once a survey's fieldwork ended.
  [[nodiscard]] const std::vector<SurveyFieldwork>& surveys() const { return surveys_; }
  [[nodiscard]] const Acquaintances& acquaintances() const { return acquaintances_; }
  [[nodiscard]] const ScenarioSpec& spec() const { return spec_; }
  [[nodiscard]] std::uint64_t seed() const { return key_.seed(); }
  [[nodiscard]] std::int64_t status_count(Status s) const {
    return status_counts_[static_cast<std::size_t>(s)];
  }
  /// Persons active this step (not idle at their origin): what a step costs.
  [[nodiscard]] std::size_t active_persons() const;
  /// Everybody in the model: the rows, and the at-risk women no event has reached yet.
  [[nodiscard]] std::size_t population() const {
    return world_.people.size() + world_.at_risk_women - at_risk_rows_.size();
  }
  /// At-risk women who have a row (an event reached them).
  [[nodiscard]] std::size_t at_risk_rows() const { return at_risk_rows_.size(); }
  /// The row of the person with this id in the run's file (events, snapshots, respondents),
  /// kNoPerson for an at-risk woman who has none.
  [[nodiscard]] PersonId row_of(std::uint32_t person_id) const;

  /// An at-risk woman as the model sees her now: her row's fields if she has one, else as
  /// drawn (models/world/at_risk.hpp). Safe to call from parallel phases.
  struct AtHome {
    PersonId row = kNoPerson;
    Status status = Status::at_origin;
    std::uint8_t nationality = 0;
    std::int32_t birth_day = 0;
    std::uint8_t flags = 0;
    float acceptance_odds = 1.0f;
    std::int32_t aware_until_day = kNeverDay;
    std::int16_t aware_by = -1;

    [[nodiscard]] bool has(Flag f) const { return (flags & f) != 0; }
    [[nodiscard]] double age_years(std::int32_t day) const { return (day - birth_day) / 365.25; }
  };
  [[nodiscard]] AtHome at_home(AtRiskIndex v) const;

  /// The run's state between two steps: everything later steps read (the population, the
  /// organisation and its orders, groups on the road, the calendar, the interventions'
  /// states, the acquaintance network and surveys in progress) and everything recorded so
  /// far that was not taken. The scenario is not in it: a run restored from it is built from
  /// a scenario first (models/step/state.cpp).
  [[nodiscard]] std::vector<std::uint8_t> save_state() const;
  /// Continues from `state`, saved by a run of this scenario or of one that differs from it
  /// only on or after the state's date (the caller checks: models/recording/checkpoint.hpp).
  /// Interventions that start before that date take their saved states, at the same places
  /// in the list; the others start afresh, as they would have. Must be called before the
  /// first step. Throws IoError naming `source` when the state does not fit this run.
  void restore_state(std::span<const std::uint8_t> state, const std::string& source);

 private:
  template <class Archive>
  void transfer_state(Archive& ar);
  // The day's agenda, in order (see step()).
  void update_demand();
  void review_houses();
  void recruit();
  void depart_groups();
  void run_calendar();
  void exploit();
  void arrive_voluntary();
  void admit_to_shelters();
  void repatriate();
  void hold_trials();
  void observe();
  // Interventions (models/interventions/phase.cpp and actions.cpp).
  void prepare_interventions();
  void update_interventions();  // first in the day: on/off, triggers, build-up, fixed costs
  void intervene();             // after the calendar: reach, enrolment, raids, operations
  [[nodiscard]] bool trigger_holds(const InterventionSpec& spec) const;
  [[nodiscard]] bool woman_targeted(const InterventionState& s, const InterventionSpec& spec,
                                    PersonId p) const;
  [[nodiscard]] bool woman_targeted(const InterventionState& s, const InterventionSpec& spec,
                                    const AtHome& woman) const;
  [[nodiscard]] std::int64_t affordable(std::size_t i, std::int64_t wanted,
                                        std::int64_t unit_cost) const;
  void spend(std::size_t i, std::int64_t fcfa);
  /// Buys `units` of the intervention's unit of cost (and records them).
  void buy(std::size_t i, std::int64_t units);
  void accrue(std::size_t i, double fcfa);
  void reach_women(std::size_t i, Draws& d);
  void make_aware(PersonId p, std::size_t i, Draws& d);
  void raid(std::size_t i, std::uint32_t site, Draws& d);
  void move_house(std::uint32_t house, Draws& d);
  void disrupt(std::size_t i, Draws& d);
  void operate_against_recruiters(std::size_t i, Draws& d);
  /// Screening of a group by the interventions at this edge; true when it is intercepted.
  bool screen_by_interventions(std::uint32_t group_id, const Edge& edge, std::uint32_t edge_id);
  bool intercept_at_origin(std::uint32_t group_id);
  /// Stops a group: its women leave transit, identified and referred to care, or sent home
  /// when stopped at their origin.
  void intercept(std::uint32_t group_id, std::int32_t place, bool at_origin = false);
  bool admit_to_programme_bed(PersonId p);
  void repatriate_by_interventions();
  [[nodiscard]] double demand_factor(std::uint32_t site) const;
  void add_training_hazards(std::size_t i);
  [[nodiscard]] double conviction_odds_factor() const;

  // Transitions shared by the phases.
  void set_status(PersonId p, Status s);
  void emit(EventType type, PersonId person, std::int32_t place, std::int32_t other,
            std::int64_t value = 0);
  void count(Total t, std::int64_t n = 1) { flows_[static_cast<std::size_t>(t)] += n; }
  void count_site(BySite series, std::size_t site, std::int64_t n = 1);
  bool schedule_in_days(double days, Scheduled::Kind kind, std::uint32_t id);
  void arrive_at_site(const Group& group);
  void place_at_site(PersonId p, std::uint16_t site, std::int32_t house, std::int64_t debt);
  void start_free_wecs(PersonId p, std::uint16_t site, Draws& d);
  /// `status_quo_arrest`: whether the identification may lead to the madam's arrest by the
  /// status-quo rule (raids decide arrests themselves).
  void leave_exploitation(PersonId p, Total cause, EventType event, BySite site_series,
                          bool status_quo_arrest = true);
  void identify(PersonId p);
  void arrest(PersonId member, std::int32_t place);
  void free_after_repayment(PersonId p, Draws& d);
  void become_madam(PersonId p, std::uint16_t site, Draws& d);
  void vacate_role(PersonId member);
  void finish_leg(std::uint32_t group_id);
  /// `programme_bed`: the shelter_care intervention whose bed she leaves, -1 for none.
  void discharge(PersonId p, std::int16_t programme_bed = -1);
  void repatriate_all();
  void return_home(PersonId p);
  void replace(Scheduled::Kind kind, std::uint32_t node);
  void release(PersonId member, Draws& d);
  /// `at_risk_index`: the at-risk woman this row is for; by default a newly created person.
  PersonId create_person(Role role, Status status, std::uint16_t place, std::uint16_t home,
                         std::uint8_t nationality, std::int32_t born,
                         AtRiskIndex at_risk_index = kNotAtRisk);
  /// The agent number person `p`'s draws are keyed by (Population::draw_key).
  [[nodiscard]] std::uint32_t agent(PersonId p) const { return world_.people.draw_key[p]; }
  /// The id a person has in the run's file: her draw key, so that ids do not depend on the
  /// order in which rows were made; kNoPerson stays kNoPerson.
  [[nodiscard]] std::uint32_t person_id(PersonId p) const {
    return p == kNoPerson ? kNoPerson : agent(p);
  }
  /// Her row, made now if she has none (serial phases only: rows are appended in order).
  PersonId materialize(AtRiskIndex v);
  void add_free_woman(std::uint16_t site, Draws& d);
  void initialise();
  void snapshot();
  void record_observation();
  /// Aged wecs_age_min to wecs_age_max in completed years today.
  [[nodiscard]] bool in_survey_band(PersonId p) const;
  /// The survey band's first and last age in days (see in_survey_band).
  std::pair<std::int32_t, std::int32_t> band_days_;
  [[nodiscard]] std::uint32_t steps_for(double days) const;
  [[nodiscard]] std::int32_t day() const { return today().days; }

  const ScenarioSpec spec_;  ///< a copy: the run never depends on the caller keeping it
  RandomKey key_;
  std::int32_t dt_;
  std::uint32_t steps_;
  std::uint32_t trigger_rows_ = 1;
  std::uint32_t record_reserve_rows_;  ///< daily rows reserved when a record array is empty
  std::uint32_t step_ = 0;
  World world_;
  CalendarQueue<Scheduled> calendar_;
  std::array<std::int64_t, kStatusCount> status_counts_{};
  std::array<std::int64_t, kTotalCount> flows_{};
  std::vector<std::int64_t> site_flows_;   ///< kBySiteCount x sites for this step
  std::vector<RouteFlow> route_flows_;     ///< per scenario route, over the run
  std::vector<std::int64_t> stock_tally_;  ///< the stocks of observe(), reused every step
  /// The outcome of one exploited woman's step, computed in parallel, applied in id order.
  struct DayAtSite {
    std::int64_t clients = 0;
    std::int64_t paid_fcfa = 0;     ///< taken towards the debt
    std::int64_t charged_fcfa = 0;  ///< living costs added to the debt
    std::int64_t interest_fcfa = 0;
    enum Exit : std::uint8_t { none, repaid, escaped, identified, aged_out, died } exit = none;
    std::int16_t by = -1;  ///< intervention behind an identification or escape, -1 none
  };
  /// A woman a recruiter won today, before the serial resolve.
  struct Proposal {
    AtRiskIndex woman;  ///< her index among the at-risk women
    bool deceptive;
    bool complicit;
  };
  /// What every exploited woman at a site shares on a day (see exploit()).
  struct SiteDay {
    PoissonTable clients;
    std::array<double, 3> rates{};  ///< death, identification, escape (status quo), per year
    double total = 0;               ///< with the interventions' hazards
    double exit_probability = 0;    ///< of any exit over the step
  };
  // Per-step work buffers, kept to avoid allocating every step.
  std::vector<SiteDay> site_day_;
  std::vector<DayAtSite> day_at_site_;
  std::vector<std::vector<Proposal>> proposals_;
  std::vector<PersonId> at_sites_;

  std::vector<std::int16_t> counted_site_;  ///< per person: site whose `women` counts her, -1
  /// The rows of the at-risk women an event reached, by index. Written only in serial
  /// phases, so parallel phases may read it.
  IndexMap at_risk_rows_;
  std::vector<AtRiskIndex> ties_;  ///< a serial phase's buffer for an at-risk woman's ties
  IdList exploited_;               ///< exploited women, tidied at the start of exploit()
  IdList free_at_sites_;           ///< free women at the sites, tidied in observe()
  std::deque<PersonId> shelter_queue_;
  std::vector<PersonId> repatriation_queue_;
  std::deque<PersonId> trial_queue_;
  std::int32_t beds_used_ = 0;
  double court_credit_ = 0;
  std::int32_t next_repatriation_day_ = 0;
  std::size_t next_observation_ = 0;
  std::size_t next_snapshot_ = 0;
  std::vector<InterventionState> programme_;           ///< one per spec_.interventions
  std::vector<std::vector<SiteHazard>> site_hazards_;  ///< per site, rebuilt each step
  std::vector<std::pair<PersonId, std::int16_t>> in_programme_bed_;  ///< person, intervention
  /// The intervention acting now, credited with identifications and arrests; -1 for none.
  std::int16_t acting_ = -1;
  Acquaintances acquaintances_;  ///< enabled only when the scenario declares surveys
  std::vector<SurveyFieldwork> surveys_;
  RunRecord record_;
};

}  // namespace tipsim::model
