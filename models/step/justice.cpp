// Protection and prosecution: identification, shelters, repatriation, arrests, courts,
// prison, and the organisation repairing itself. Also the calendar of due transitions.
#include <algorithm>
#include <cmath>

#include "models/step/simulation.hpp"

namespace tipsim::model {

void Simulation::identify(PersonId p) {
  set_status(p, Status::awaiting_shelter);
  shelter_queue_.push_back(p);
}

void Simulation::arrest(PersonId member, std::int32_t place) {
  if (world_.people.status[member] != Status::active) return;
  vacate_role(member);
  set_status(member, Status::held);
  count(Total::arrests);
  if (acting_ >= 0)
    programme_[static_cast<std::size_t>(acting_)].credit(InterventionSeries::arrests);
  emit(EventType::arrested, member, place, world_.people.org_node[member]);
  Draws d(key_, Stream::prosecution, step_, agent(member));
  schedule_in_days(d.exponential(1.0 / std::max(1.0, spec_.prosecution.investigation_days)),
                   Scheduled::case_ready, member);
}

/// Leaves the member's place in the organisation empty and schedules its replacement.
void Simulation::vacate_role(PersonId member) {
  auto& people = world_.people;
  const auto node = static_cast<std::uint32_t>(people.org_node[member]);
  Draws d(key_, Stream::replacement, step_, agent(member));
  const double delay =
      d.exponential(1.0 / std::max(1.0, spec_.organisation.replacement_delay_days));
  switch (people.role[member]) {
    case Role::madam:
      world_.houses[node].madam = kNoPerson;
      schedule_in_days(delay, Scheduled::replace_madam, node);
      break;
    case Role::recruiter:
      world_.recruiters[node].holder = kNoPerson;
      schedule_in_days(delay, Scheduled::replace_recruiter, node);
      break;
    case Role::transporter:
      world_.transporters[node].holder = kNoPerson;
      schedule_in_days(delay, Scheduled::replace_transporter, node);
      break;
    case Role::woman:
      break;
  }
}

/// Fills an empty place in the organisation with a newcomer who inherits its ties.
void Simulation::replace(Scheduled::Kind kind, std::uint32_t node) {
  Draws d(key_, Stream::replacement, step_, node);
  const auto born = day() - static_cast<std::int32_t>(d.uniform(25, 50) * 365.25);
  PersonId* holder = nullptr;
  Role role = Role::madam;
  std::uint16_t place = 0;
  std::uint8_t nation = 0;
  if (kind == Scheduled::replace_madam) {
    House& house = world_.houses[node];
    if (house.closed || house.closing) return;
    holder = &house.madam;
    place = world_.sites[house.site].place;
    nation = house.nationality;
  } else {
    const bool recruiter = kind == Scheduled::replace_recruiter;
    const std::uint16_t origin =
        recruiter ? world_.recruiters[node].origin : world_.transporters[node].origin;
    holder = recruiter ? &world_.recruiters[node].holder : &world_.transporters[node].holder;
    role = recruiter ? Role::recruiter : Role::transporter;
    place = world_.origins[origin].place;
    nation = world_.places[place].country;
  }
  if (*holder != kNoPerson) return;  // a released member took her place back
  const PersonId p = create_person(role, Status::active, place, place, nation, born);
  world_.people.org_node[p] = static_cast<std::int32_t>(node);
  *holder = p;
  count(Total::replacements);
  emit(EventType::replaced, p, place, static_cast<std::int32_t>(node));
}

/// Out of prison or acquitted: back to the old place if still empty, else out.
void Simulation::release(PersonId member, Draws& d) {
  auto& people = world_.people;
  count(Total::releases);
  emit(EventType::released, member, people.place[member], people.org_node[member]);
  if (!d.bernoulli(spec_.prosecution.reoffend_probability))
    return set_status(member, Status::inactive);
  const auto node = static_cast<std::uint32_t>(people.org_node[member]);
  PersonId* holder = nullptr;
  switch (people.role[member]) {
    case Role::madam:
      if (!world_.houses[node].closed && !world_.houses[node].closing)
        holder = &world_.houses[node].madam;
      break;
    case Role::recruiter:
      holder = &world_.recruiters[node].holder;
      break;
    case Role::transporter:
      holder = &world_.transporters[node].holder;
      break;
    case Role::woman:
      break;
  }
  if (holder == nullptr || *holder != kNoPerson) return set_status(member, Status::inactive);
  *holder = member;
  set_status(member, Status::active);
}

void Simulation::run_calendar() {
  auto& people = world_.people;
  for (const Scheduled& item : calendar_.take(step_)) {
    if (Scheduled::about_person(item.kind) && people.generation[item.id] != item.generation)
      continue;  // stale: her status changed since this was scheduled
    switch (item.kind) {
      case Scheduled::leg_end:
        finish_leg(item.id);
        break;
      case Scheduled::free_wecs_leave:
        set_status(item.id, Status::left_region);
        emit(EventType::left_sites, item.id, people.place[item.id], -1);
        break;
      case Scheduled::free_wecs_age_out:
        set_status(item.id, Status::aged_out);
        emit(EventType::aged_out, item.id, people.place[item.id], -1);
        break;
      case Scheduled::free_wecs_death:
        set_status(item.id, Status::dead);
        emit(EventType::died, item.id, people.place[item.id], -1);
        break;
      case Scheduled::shelter_discharge: {
        const auto bed = std::find_if(in_programme_bed_.begin(), in_programme_bed_.end(),
                                      [&](const auto& b) { return b.first == item.id; });
        if (bed == in_programme_bed_.end()) {
          --beds_used_;
          discharge(item.id);
        } else {
          const auto i = static_cast<std::size_t>(bed->second);
          in_programme_bed_.erase(bed);
          --programme_[i].beds_used;
          discharge(item.id, static_cast<std::int16_t>(i));
        }
        break;
      }
      case Scheduled::inform: {
        // Word of mouth reaches a woman still at home, not aware already, within the
        // campaign's target, while the campaign runs (its messages stop with it).
        const AtRiskIndex v = item.id;  // an at-risk index, not a person id
        InterventionState& st = programme_[item.generation];
        const AtHome woman = at_home(v);
        if (woman.status != Status::at_origin || woman.aware_until_day >= day() || !st.active ||
            !woman_targeted(st, spec_.interventions[item.generation], woman))
          break;
        const PersonId p = materialize(v);
        Draws d(key_, st.stream, step_, agent(p));
        make_aware(p, item.generation, d);
        st.credit(InterventionSeries::secondary_reached);
        break;
      }
      case Scheduled::case_ready:
        trial_queue_.push_back(item.id);
        break;
      case Scheduled::prison_release: {
        Draws d(key_, Stream::prosecution, step_, agent(item.id));
        release(item.id, d);
        break;
      }
      case Scheduled::replace_madam:
      case Scheduled::replace_recruiter:
      case Scheduled::replace_transporter:
        replace(item.kind, item.id);
        break;
    }
  }
}

void Simulation::admit_to_shelters() {
  const auto& pro = spec_.protection;
  auto& people = world_.people;
  while (!shelter_queue_.empty()) {
    const PersonId p = shelter_queue_.front();
    if (beds_used_ < pro.shelter_beds) {
      shelter_queue_.pop_front();
      ++beds_used_;
      people.flags[p] |= kCared;
      set_status(p, Status::in_shelter);
      count(Total::sheltered);
      emit(EventType::sheltered, p, people.place[p], -1);
      Draws d(key_, Stream::protection, step_, agent(p));
      schedule_in_days(d.lognormal_mean_cv(pro.care_days, 0.3), Scheduled::shelter_discharge, p);
    } else if (!programme_.empty() && admit_to_programme_bed(p)) {
      shelter_queue_.pop_front();
    } else if (day() - people.status_since_day[p] >= pro.max_wait_days) {
      shelter_queue_.pop_front();  // waited too long: leaves without care
      discharge(p);
    } else {
      break;
    }
  }
}

/// After care (or without it): testimony, then repatriation for foreign women or home.
void Simulation::discharge(PersonId p, std::int16_t programme_bed) {
  const auto& pro = spec_.protection;
  auto& people = world_.people;
  Draws d(key_, Stream::protection, step_, agent(p));
  double odds = pro.testimony_probability / std::max(1e-12, 1.0 - pro.testimony_probability);
  if (programme_bed >= 0) {
    // The programme's care: its own effect on testimony, and lasting protection.
    const InterventionSpec& s = spec_.interventions[static_cast<std::size_t>(programme_bed)];
    odds *= s.testimony_odds_ratio;
    people.acceptance_odds[p] *= static_cast<float>(s.acceptance_odds_ratio);
  } else if (people.has(p, kCared)) {
    odds *= pro.care_testimony_odds_ratio;
  }
  const std::int32_t last_house = people.house[p];
  if (d.bernoulli(odds / (1.0 + odds)) && last_house >= 0)
    world_.houses[static_cast<std::size_t>(last_house)].testimony = true;
  people.house[p] = -1;
  const bool foreign = people.nationality[p] != world_.host_country;
  if (foreign) {
    set_status(p, Status::awaiting_repatriation);
    repatriation_queue_.push_back(p);
    return;
  }
  count(Total::reintegrated);
  emit(EventType::reintegrated, p, people.home[p], -1);
  return_home(p);
}

void Simulation::repatriate() {
  if (day() < next_repatriation_day_) return;
  next_repatriation_day_ += static_cast<std::int32_t>(spec_.protection.repatriation_interval_days);
  const auto batch =
      std::min<std::size_t>(repatriation_queue_.size(),
                            static_cast<std::size_t>(spec_.protection.repatriation_batch_max));
  for (std::size_t i = 0; i < batch; ++i) {
    const PersonId p = repatriation_queue_[i];
    count(Total::repatriated);
    emit(EventType::repatriated, p, world_.people.home[p], -1);
    return_home(p);
  }
  repatriation_queue_.erase(repatriation_queue_.begin(),
                            repatriation_queue_.begin() + static_cast<std::ptrdiff_t>(batch));
}

void Simulation::repatriate_all() {
  repatriate();
  if (!programme_.empty()) repatriate_by_interventions();
}

void Simulation::return_home(PersonId p) {
  auto& people = world_.people;
  if (world_.places[people.home[p]].origin < 0) return set_status(p, Status::left_region);
  people.place[p] = people.home[p];
  people.house[p] = -1;
  set_status(p, Status::at_origin);
}

void Simulation::hold_trials() {
  const auto& pro = spec_.prosecution;
  const double per_step = pro.court_cases_per_year * dt_ / 365.25;
  court_credit_ = std::min(court_credit_ + per_step, per_step + 1.0);
  auto& people = world_.people;
  while (court_credit_ >= 1.0 && !trial_queue_.empty()) {
    court_credit_ -= 1.0;
    const PersonId member = trial_queue_.front();
    trial_queue_.pop_front();
    const bool testimony =
        people.role[member] == Role::madam &&
        world_.houses[static_cast<std::size_t>(people.org_node[member])].testimony;
    Draws d(key_, Stream::prosecution, step_, agent(member));
    double p = testimony ? pro.conviction_with_testimony : pro.conviction_probability;
    if (!programme_.empty()) {
      const double factor = conviction_odds_factor();
      if (factor != 1.0 && p > 0 && p < 1) {
        const double odds = p / (1 - p) * factor;
        p = odds / (1 + odds);
      }
    }
    if (d.bernoulli(p)) {
      set_status(member, Status::in_prison);
      count(Total::convictions);
      emit(EventType::convicted, member, people.place[member], people.org_node[member]);
      schedule_in_days(d.lognormal_mean_cv(pro.sentence_years * 365.25, 0.3),
                       Scheduled::prison_release, member);
    } else {
      count(Total::acquittals);
      emit(EventType::acquitted, member, people.place[member], people.org_node[member]);
      release(member, d);  // the same cursor: her reoffending draw is a fresh number
    }
  }
}

}  // namespace tipsim::model
