// Interventions: targets, switching on and off, triggers, spend and budgets, and the hooks
// through which they act on demand, exits at the sites, transit, shelters, repatriation and
// courts. The actions that touch many agents are in actions.cpp.
#include <algorithm>
#include <cmath>

#include "models/step/simulation.hpp"

namespace tipsim::model {
namespace {

using Type = InterventionType;

/// A stream id from the intervention's name (FNV-1a), above every model stream.
Stream stream_of(const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (const unsigned char c : name) h = (h ^ c) * 16777619u;
  return static_cast<Stream>(h | 0x80000000u);
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// Linear build-up from `start` over `ramp_days` (immediate when 0).
double ramp(const InterventionSpec& s, std::int32_t day) {
  if (s.ramp_days <= 0) return 1.0;
  return std::min(1.0, (day - s.start.days + 1) / s.ramp_days);
}

}  // namespace

void Simulation::prepare_interventions() {
  const auto& specs = spec_.interventions;
  programme_.assign(specs.size(), InterventionState{});
  site_hazards_.assign(specs.empty() ? 0 : world_.sites.size(), {});
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const InterventionSpec& s = specs[i];
    const TargetSpec& t = s.target;
    InterventionState& st = programme_[i];
    st.stream = stream_of(s.name);
    for (std::uint32_t o = 0; o < world_.origins.size(); ++o) {
      const Place& place = world_.places[world_.origins[o].place];
      const bool in = t.all_origins || contains(t.origins, place.name);
      st.origin_mask.push_back(in ? 1 : 0);
      if (!in) continue;
      st.origins.push_back(o);
      const double before =
          st.origin_women_cumulative.empty() ? 0.0 : st.origin_women_cumulative.back();
      st.origin_women_cumulative.push_back(before + world_.origins[o].women);
    }
    for (std::uint32_t k = 0; k < world_.sites.size(); ++k) {
      const Place& place = world_.places[world_.sites[k].place];
      const std::string& department =
          world_.departments[static_cast<std::size_t>(world_.sites[k].department)];
      const bool in =
          t.all_sites || contains(t.sites, place.name) || contains(t.departments, department);
      st.site_mask.push_back(in ? 1 : 0);
      if (in) st.sites.push_back(k);
    }
    for (const Edge& e : world_.edges) {
      bool in = t.all_edges;
      for (const EdgeRef& ref : t.edges) {
        const std::string& from = world_.places[e.from].name;
        const std::string& to = world_.places[e.to].name;
        in = in || (ref.from == from && ref.to == to) || (ref.from == to && ref.to == from);
      }
      st.edge_mask.push_back(in ? 1 : 0);
    }
    for (const auto& code : world_.countries)
      st.nationality_mask.push_back(t.all_nationalities || contains(t.nationalities, code) ? 1 : 0);
    // Batch dates before it may act are never held.
    while (st.next_date < s.dates.size() &&
           (s.dates[st.next_date] < spec_.simulation.start || s.dates[st.next_date] < s.start))
      ++st.next_date;
  }
}

bool Simulation::woman_targeted(const InterventionState& st, const InterventionSpec& s,
                                PersonId p) const {
  const auto& people = world_.people;
  AtHome woman;
  woman.nationality = people.nationality[p];
  woman.birth_day = people.birth_day[p];
  woman.flags = people.flags[p];
  return woman_targeted(st, s, woman);
}

bool Simulation::woman_targeted(const InterventionState& st, const InterventionSpec& s,
                                const AtHome& woman) const {
  if (!st.nationality_mask[woman.nationality]) return false;
  const double age = woman.age_years(day());
  if (age < s.target.age_min || age > s.target.age_max) return false;
  const bool returnee = woman.has(kEverTrafficked);
  if (s.target.history == "returnees") return returnee;
  if (s.target.history == "never_trafficked") return !returnee;
  return true;
}

/// The trigger's indicator over the last check period, from what was recorded.
bool Simulation::trigger_holds(const InterventionSpec& s) const {
  const auto& g = s.trigger;
  const auto column = static_cast<std::size_t>(
      std::find(kTotalNames.begin(), kTotalNames.end(), g.indicator) - kTotalNames.begin());
  const std::size_t rows = record_.days.size();
  if (rows == 0 || column >= kTotalCount) return false;
  double value = 0;
  if (column < kFirstFlow) {
    value = static_cast<double>(record_.totals[(rows - 1) * kTotalCount + column]);
  } else {
    // The steps that cover the check period (rounded up when it is not a whole number).
    const auto window = static_cast<std::size_t>(std::max(1, (g.check_every_days + dt_ - 1) / dt_));
    for (std::size_t r = rows - std::min(rows, window); r < rows; ++r)
      value += static_cast<double>(record_.totals[r * kTotalCount + column]);
  }
  return g.above ? value > g.threshold : value < g.threshold;
}

std::int64_t Simulation::affordable(std::size_t i, std::int64_t wanted,
                                    std::int64_t unit_cost) const {
  const std::int64_t cap = spec_.interventions[i].cost.budget_per_year_fcfa;
  if (cap <= 0 || unit_cost <= 0) return wanted;
  const std::int64_t left = cap - programme_[i].spent_this_year_fcfa;
  return std::clamp<std::int64_t>(left / unit_cost, 0, wanted);
}

void Simulation::buy(std::size_t i, std::int64_t units) {
  programme_[i].credit(InterventionSeries::units, units);
  spend(i, units * spec_.interventions[i].cost.per_unit_fcfa);
}

void Simulation::spend(std::size_t i, std::int64_t fcfa) {
  programme_[i].credit(InterventionSeries::spend_fcfa, fcfa);
  programme_[i].spent_this_year_fcfa += fcfa;
}

/// Spend that accrues in fractions of a franc (fixed costs, pro-rata units): booked to the
/// franc so that the series sums to the exact total.
void Simulation::accrue(std::size_t i, double fcfa) {
  InterventionState& st = programme_[i];
  st.fixed_accrued_fcfa += fcfa;
  const auto booked = static_cast<std::int64_t>(std::llround(st.fixed_accrued_fcfa));
  spend(i, booked - st.fixed_booked_fcfa);
  st.fixed_booked_fcfa = booked;
}

void Simulation::update_interventions() {
  if (programme_.empty()) return;
  int year = 0;
  unsigned month = 0, mday = 0;
  today().to_ymd(year, month, mday);
  const double years = dt_ / 365.25;
  for (auto& hazards : site_hazards_) hazards.clear();
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (st.budget_year != year) {
      st.budget_year = year;
      st.spent_this_year_fcfa = 0;
    }
    const bool in_window = day() >= s.start.days && day() <= s.end.days;
    if (s.trigger.enabled && in_window && day() > st.spell_end_day &&
        (s.trigger.repeat || !st.fired) &&
        (day() - s.start.days) % s.trigger.check_every_days < dt_ && trigger_holds(s)) {
      st.fired = true;
      st.spell_end_day =
          s.trigger.duration_days > 0 ? day() + s.trigger.duration_days - 1 : s.end.days;
    }
    // Once a calendar year's budget is spent, it stops until the next year.
    const bool funded =
        s.cost.budget_per_year_fcfa <= 0 || st.spent_this_year_fcfa < s.cost.budget_per_year_fcfa;
    st.active =
        funded && in_window && (!s.trigger.enabled || (st.fired && day() <= st.spell_end_day));
    // What lasts whether it acts today or not: trained officers leave their posts, and women
    // in its beds stay to the end of their care (their bed-days are billed).
    if (s.type == Type::training) st.officers_in_post *= std::exp(-s.turnover_per_year * years);
    if (s.type == Type::shelter_care) buy(i, static_cast<std::int64_t>(st.beds_used) * dt_);
    if (!st.active) {
      if (s.type == Type::training) add_training_hazards(i);  // officers in post still work
      continue;
    }
    st.credit(InterventionSeries::active);
    const bool first_day = !st.first_active_day_done;
    st.first_active_day_done = true;
    double pro_rata = static_cast<double>(s.cost.fixed_per_year_fcfa) * years;
    const auto unit = static_cast<double>(s.cost.per_unit_fcfa);
    switch (s.type) {
      case Type::vigilance_committees: {
        if (st.sites.empty()) break;  // an empty target: nowhere to set them up
        const auto wanted = static_cast<std::int64_t>(std::floor(s.committees * ramp(s, day())));
        if (wanted > st.committees_formed) {
          st.credit(InterventionSeries::reached, wanted - st.committees_formed);
          st.committees_formed = wanted;
        }
        pro_rata += unit * static_cast<double>(st.committees_formed) * years;
        st.credit(InterventionSeries::units, st.committees_formed * dt_);  // committee-days
        const auto n = static_cast<std::int64_t>(st.sites.size());
        for (std::int64_t k = 0; k < n; ++k) {
          // Committee c sits at targeted site c mod n.
          const std::int64_t here =
              st.committees_formed / n + (k < st.committees_formed % n ? 1 : 0);
          if (here == 0) continue;
          auto& hazards = site_hazards_[st.sites[static_cast<std::size_t>(k)]];
          const auto index = static_cast<std::int16_t>(i);
          const auto count = static_cast<double>(here);
          if (s.identification_rate_per_year > 0)
            hazards.push_back({index, false, count * s.identification_rate_per_year});
          if (s.escape_support_rate_per_year > 0)
            hazards.push_back({index, true, count * s.escape_support_rate_per_year});
        }
        break;
      }
      case Type::training: {
        if (st.sites.empty()) break;  // an empty target: nobody to train
        const double intake = s.ramp_days <= 0 ? (first_day ? s.officers : 0.0)
                                               : std::min(s.officers - st.officers_trained_exact,
                                                          s.officers * dt_ / s.ramp_days);
        st.officers_trained_exact += std::max(0.0, intake);
        const auto trained =
            static_cast<std::int64_t>(std::floor(st.officers_trained_exact + 1e-9));
        const std::int64_t newly =
            affordable(i, trained - st.officers_trained, s.cost.per_unit_fcfa);
        st.officers_trained += newly;
        st.officers_trained_exact = std::min(st.officers_trained_exact,
                                             static_cast<double>(st.officers_trained) + 1.0 - 1e-9);
        buy(i, newly);
        st.credit(InterventionSeries::reached, newly);
        st.officers_in_post += static_cast<double>(newly);
        add_training_hazards(i);  // officers trained today work today
        break;
      }
      case Type::demand_reduction: {
        double miners = 0;
        const double growth_years = (day() - spec_.demand.reference_date.days) / 365.25;
        for (const auto k : st.sites)
          miners += world_.sites[k].miners_reference *
                    std::exp(spec_.demand.miners_growth_per_year * growth_years);
        // Whole miners: the unit of cost is a miner-year, booked daily.
        const auto whole = static_cast<std::int64_t>(std::llround(miners));
        if (first_day) st.credit(InterventionSeries::reached, whole);
        st.credit(InterventionSeries::units, whole * dt_);  // miner-days
        pro_rata += unit * static_cast<double>(whole) * years;
        break;
      }
      default:
        break;
    }
    accrue(i, pro_rata);
  }
}

/// Trained officers in post raise the police identification rate of the targeted sites,
/// during the programme and after it, while they stay.
void Simulation::add_training_hazards(std::size_t i) {
  const InterventionSpec& s = spec_.interventions[i];
  const InterventionState& st = programme_[i];
  if (st.sites.empty() || st.officers_in_post <= 0 || s.identification_gain_per_officer <= 0)
    return;
  const double per_site = st.officers_in_post / static_cast<double>(st.sites.size());
  for (const auto k : st.sites) {
    const double rate =
        world_.sites[k].police_rate_per_year * s.identification_gain_per_officer * per_site;
    if (rate > 0) site_hazards_[k].push_back({static_cast<std::int16_t>(i), false, rate});
  }
}

double Simulation::demand_factor(std::uint32_t site) const {
  double factor = 1.0;
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    if (s.type != Type::demand_reduction || !programme_[i].active || !programme_[i].site_mask[site])
      continue;
    factor *= 1.0 - s.demand_reduction * ramp(s, day());
  }
  return factor;
}

double Simulation::conviction_odds_factor() const {
  double factor = 1.0;
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    if (s.type != Type::training || s.officers <= 0 || programme_[i].officers_in_post <= 0)
      continue;
    // Trained officers keep their skills after the programme ends, while they stay in post.
    factor *= std::pow(s.conviction_odds_ratio,
                       std::min(1.0, programme_[i].officers_in_post / s.officers));
  }
  return factor;
}

void Simulation::intercept(std::uint32_t group_id, std::int32_t place, bool at_origin) {
  Group& group = world_.groups[group_id];
  auto& people = world_.people;
  world_.houses[group.house].incoming -= static_cast<std::int32_t>(group.members.size());
  // On the way, a group is stopped at the end of the leg it has just travelled.
  if (!at_origin)
    route_flows_[world_.edges[group.path->edges[group.leg]].route].women_intercepted +=
        static_cast<std::int64_t>(group.members.size());
  for (PersonId p : group.members) {
    count(Total::exit_intercepted_in_transit);
    emit(EventType::intercepted, p, place, static_cast<std::int32_t>(group_id));
    people.debt_fcfa[p] = 0;
    if (acting_ >= 0) {
      programme_[static_cast<std::size_t>(acting_)].credit(InterventionSeries::identified);
      programme_[static_cast<std::size_t>(acting_)].credit(InterventionSeries::removed);
    }
    // Stopped before leaving: sent home; on the way: identified and referred to care.
    if (at_origin) {
      return_home(p);
    } else {
      identify(p);
    }
  }
  group.done = true;
}

bool Simulation::screen_by_interventions(std::uint32_t group_id, const Edge& edge,
                                         std::uint32_t edge_id) {
  const bool border = world_.places[edge.from].country != world_.places[edge.to].country;
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (!st.active || !st.edge_mask[edge_id]) continue;
    double p = 0;
    if (s.type == Type::border_screening) p = s.screening_probability;
    if (s.type == Type::cross_border_cooperation && border) p = s.transit_interception_probability;
    if (p <= 0) continue;
    Draws d(key_, st.stream, step_, group_id);
    if (!d.bernoulli(p) || affordable(i, 1, s.cost.per_unit_fcfa) < 1) continue;
    buy(i, 1);
    st.credit(InterventionSeries::reached,
              static_cast<std::int64_t>(world_.groups[group_id].members.size()));
    const bool bribed_through =
        edge.bribe_fcfa > 0 && d.bernoulli(edge.bribe_effect * (1.0 - s.bribe_resistance));
    if (bribed_through) continue;
    acting_ = static_cast<std::int16_t>(i);
    intercept(group_id, edge.to);
    const PersonId transporter = world_.transporters[world_.groups[group_id].transporter].holder;
    if (transporter != kNoPerson &&
        d.bernoulli(spec_.transit.transporter_arrest_given_interception))
      arrest(transporter, edge.to);
    acting_ = -1;
    return true;
  }
  return false;
}

bool Simulation::intercept_at_origin(std::uint32_t group_id) {
  const Group& group = world_.groups[group_id];
  const std::uint16_t from = world_.edges[group.path->edges.front()].from;
  const auto origin = world_.places[from].origin;
  if (origin < 0) return false;
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (s.type != Type::cross_border_cooperation || !st.active ||
        s.origin_interception_probability <= 0 || !st.origin_mask[static_cast<std::size_t>(origin)])
      continue;
    Draws d(key_, st.stream, step_, group_id);
    if (!d.bernoulli(s.origin_interception_probability) ||
        affordable(i, 1, s.cost.per_unit_fcfa) < 1)
      continue;
    buy(i, 1);
    st.credit(InterventionSeries::reached, static_cast<std::int64_t>(group.members.size()));
    acting_ = static_cast<std::int16_t>(i);
    intercept(group_id, from, true);
    const PersonId transporter = world_.transporters[group.transporter].holder;
    if (transporter != kNoPerson &&
        d.bernoulli(spec_.transit.transporter_arrest_given_interception))
      arrest(transporter, from);
    acting_ = -1;
    return true;
  }
  return false;
}

bool Simulation::admit_to_programme_bed(PersonId p) {
  auto& people = world_.people;
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (s.type != Type::shelter_care || !st.active ||
        st.beds_used >= static_cast<std::int32_t>(s.beds) || !woman_targeted(st, s, p) ||
        affordable(i, 1, s.cost.per_unit_fcfa * dt_) < 1)
      continue;
    ++st.beds_used;
    st.credit(InterventionSeries::reached);
    people.flags[p] |= kCared;
    set_status(p, Status::in_shelter);
    count(Total::sheltered);
    emit(EventType::sheltered, p, people.place[p], static_cast<std::int32_t>(i));
    in_programme_bed_.emplace_back(p, static_cast<std::int16_t>(i));
    Draws d(key_, st.stream, step_, agent(p));
    schedule_in_days(d.lognormal_mean_cv(s.care_days, 0.3), Scheduled::shelter_discharge, p);
    return true;
  }
  return false;
}

void Simulation::repatriate_by_interventions() {
  for (std::size_t i = 0; i < programme_.size(); ++i) {
    const InterventionSpec& s = spec_.interventions[i];
    InterventionState& st = programme_[i];
    if (s.type != Type::repatriation) continue;
    // A batch date that passes while the intervention is off (out of budget, trigger not
    // holding) is lost, not held later.
    bool batch_day = false;
    while (st.next_date < s.dates.size() && s.dates[st.next_date].days <= day()) {
      batch_day = batch_day || s.dates[st.next_date].days > day() - dt_;
      ++st.next_date;
    }
    if (!st.active) continue;
    const auto interval = static_cast<std::int32_t>(s.interval_days);
    if (interval > 0 && (day() - s.start.days) % interval < dt_) batch_day = true;
    if (!batch_day) continue;
    auto batch = static_cast<std::int64_t>(s.batch_max);
    std::vector<PersonId> kept;
    for (const PersonId p : repatriation_queue_) {
      if (batch <= 0 || !woman_targeted(st, s, p) || affordable(i, 1, s.cost.per_unit_fcfa) < 1) {
        kept.push_back(p);
        continue;
      }
      --batch;
      buy(i, 1);
      st.credit(InterventionSeries::reached);
      count(Total::repatriated);
      emit(EventType::repatriated, p, world_.people.home[p], static_cast<std::int32_t>(i));
      Draws d(key_, st.stream, step_, agent(p));
      if (d.bernoulli(s.reintegration_share) && affordable(i, 1, s.reintegration_cost_fcfa) >= 1) {
        spend(i, s.reintegration_cost_fcfa);
        world_.people.acceptance_odds[p] *= static_cast<float>(s.acceptance_odds_ratio);
      }
      return_home(p);
    }
    repatriation_queue_ = std::move(kept);
  }
}

}  // namespace tipsim::model
