// Life at the sites: exploitation and debt, exits, free women, voluntary arrivals.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <cmath>

#include "models/step/simulation.hpp"

namespace tipsim::model {

void Simulation::exploit() {
  const auto& ex = spec_.exploitation;
  const auto& pop = spec_.population;
  auto& people = world_.people;
  exploited_.tidy([&](PersonId p) { return people.status[p] == Status::exploited; });
  const double years = dt_ / 365.25;
  auto& outcome = day_at_site_;
  outcome.assign(exploited_.size(), DayAtSite{});
  // What is the same for every woman at a site today, computed once per site: the
  // distribution of her clients and her competing exit hazards, status quo first, then the
  // interventions' (so that without them every draw and outcome is what it would be).
  static const std::vector<SiteHazard> kNone;
  site_day_.resize(world_.sites.size());
  for (std::size_t s = 0; s < world_.sites.size(); ++s) {
    const Site& site = world_.sites[s];
    SiteDay& today = site_day_[s];
    today.clients.assign(site.clients_per_woman * dt_);
    today.rates = {pop.death_rate_per_year, site.police_rate_per_year + site.ngo_rate_per_year,
                   ex.escape_rate_per_year};
    today.total = today.rates[0] + today.rates[1] + today.rates[2];
    for (const SiteHazard& h : site_hazards_.empty() ? kNone : site_hazards_[s])
      today.total += h.rate_per_year;
    today.exit_probability = today.total > 0 ? rate_to_probability(today.total, years) : 0.0;
  }
  const auto day_of = [&](std::size_t i) {
    const PersonId p = exploited_[i];
    const auto site_index = static_cast<std::size_t>(world_.places[people.place[p]].site);
    const SiteDay& today = site_day_[site_index];
    Draws d(key_, Stream::exploitation, step_, agent(p));
    DayAtSite& out = outcome[i];
    out.clients = today.clients.sample(d);
    const std::int64_t gross = out.clients * people.price_per_client_fcfa[p];
    out.paid_fcfa =
        static_cast<std::int64_t>(std::floor(static_cast<double>(gross) * (1.0 - ex.victim_share)));
    out.charged_fcfa = ex.living_cost_per_day_fcfa * dt_;
    const std::int32_t days_held = day() - people.arrival_day[p];
    if (ex.monthly_interest > 0 && days_held > 0 && days_held % 30 < dt_)
      out.interest_fcfa = static_cast<std::int64_t>(
          std::llround(static_cast<double>(people.debt_fcfa[p]) * ex.monthly_interest));
    const std::int64_t owed = people.debt_fcfa[p] + out.charged_fcfa + out.interest_fcfa;
    if (out.paid_fcfa >= owed) {
      out.paid_fcfa = owed;  // the madam takes what closes the debt, no more
      out.exit = DayAtSite::repaid;
      return;
    }
    // Competing hazards over the step; one uniform picks whether and which.
    if (people.age_years(p, day()) >= pop.exit_age) {
      out.exit = DayAtSite::aged_out;
      return;
    }
    const auto& rates = today.rates;
    const auto& extra = site_hazards_.empty() ? kNone : site_hazards_[site_index];
    const double u = d.uniform();
    if (today.total <= 0 || u >= today.exit_probability) return;
    double pick = d.uniform() * today.total;
    if (pick < rates[0] + rates[1] + rates[2] || extra.empty()) {
      out.exit = pick < rates[0]              ? DayAtSite::died
                 : pick < rates[0] + rates[1] ? DayAtSite::identified
                                              : DayAtSite::escaped;
      return;
    }
    pick -= rates[0] + rates[1] + rates[2];
    const SiteHazard* by = &extra.back();
    for (const SiteHazard& h : extra) {
      if (pick < h.rate_per_year) {
        by = &h;
        break;
      }
      pick -= h.rate_per_year;
    }
    out.exit = by->escape ? DayAtSite::escaped : DayAtSite::identified;
    out.by = by->intervention;
  };
  // Each woman's debt is her own: it is settled where her day is computed. The flows are
  // integer sums, exact in any order; the exits are listed (a reduction joins the lists of
  // consecutive ranges in order) and applied serially below, in draw-key order, since an
  // exit changes shared counts (houses, sites, queues).
  struct Flows {
    std::int64_t clients = 0, paid = 0, charged = 0, interest = 0;
    std::vector<std::uint32_t> exits;
  };
  const auto add_days = [&](const tbb::blocked_range<std::size_t>& range, Flows flows) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      day_of(i);
      const DayAtSite& out = outcome[i];
      people.debt_fcfa[exploited_[i]] += out.charged_fcfa + out.interest_fcfa - out.paid_fcfa;
      flows.clients += out.clients;
      flows.paid += out.paid_fcfa;
      flows.charged += out.charged_fcfa;
      flows.interest += out.interest_fcfa;
      if (out.exit != DayAtSite::none) flows.exits.push_back(static_cast<std::uint32_t>(i));
    }
    return flows;
  };
  Flows flows =
      tbb::parallel_reduce(tbb::blocked_range<std::size_t>(0, exploited_.size(), 256), Flows{},
                           add_days, [](Flows a, const Flows& b) {
                             a.clients += b.clients;
                             a.paid += b.paid;
                             a.charged += b.charged;
                             a.interest += b.interest;
                             a.exits.insert(a.exits.end(), b.exits.begin(), b.exits.end());
                             return a;
                           });
  count(Total::victim_days_exploited, dt_ * static_cast<std::int64_t>(exploited_.size()));
  count(Total::clients_served, flows.clients);
  count(Total::debt_paid_fcfa, flows.paid);
  count(Total::living_costs_charged_fcfa, flows.charged);
  count(Total::interest_charged_fcfa, flows.interest);
  // Exits change shared counts (houses, queues), so their order matters: it is that of the
  // women's draw keys, not of their rows, which are made in the order events reached the
  // women and so can differ between a run and its pair.
  std::vector<std::uint32_t>& exits = flows.exits;
  std::sort(exits.begin(), exits.end(), [&](std::uint32_t a, std::uint32_t b) {
    return agent(exploited_[a]) < agent(exploited_[b]);
  });
  for (const std::uint32_t i : exits) {
    const PersonId p = exploited_[i];
    const DayAtSite& out = outcome[i];
    switch (out.exit) {
      case DayAtSite::none:
        break;
      case DayAtSite::repaid:
        leave_exploitation(p, Total::exit_repaid, EventType::repaid, BySite::repaid);
        break;
      case DayAtSite::escaped:
        if (out.by >= 0) {
          acting_ = out.by;
          leave_exploitation(p, Total::exit_escaped_assisted, EventType::escaped, BySite::escaped);
          programme_[static_cast<std::size_t>(out.by)].credit(InterventionSeries::removed);
          acting_ = -1;
        } else {
          leave_exploitation(p, Total::exit_escaped, EventType::escaped, BySite::escaped);
        }
        break;
      case DayAtSite::identified:
        acting_ = out.by;
        leave_exploitation(p, Total::exit_identified, EventType::identified, BySite::identified);
        if (out.by >= 0) {
          programme_[static_cast<std::size_t>(out.by)].credit(InterventionSeries::identified);
          programme_[static_cast<std::size_t>(out.by)].credit(InterventionSeries::removed);
        }
        acting_ = -1;
        break;
      case DayAtSite::aged_out:
        leave_exploitation(p, Total::exit_aged_out, EventType::aged_out, BySite::count_);
        break;
      case DayAtSite::died:
        leave_exploitation(p, Total::exit_died, EventType::died, BySite::count_);
        break;
    }
  }
}

void Simulation::leave_exploitation(PersonId p, Total cause, EventType event, BySite site_series,
                                    bool status_quo_arrest) {
  auto& people = world_.people;
  const auto house_id = people.house[p];
  House& house = world_.houses[static_cast<std::size_t>(house_id)];
  const auto site = house.site;
  --house.workers;
  count(cause);
  if (site_series != BySite::count_) count_site(site_series, site);
  if (people.debt_fcfa[p] > 0) count(Total::debt_written_off_fcfa, people.debt_fcfa[p]);
  const auto place = static_cast<std::int32_t>(people.place[p]);
  emit(event, p, place, house_id, people.debt_fcfa[p]);
  people.debt_fcfa[p] = 0;
  // A woman identified, or helped to escape and referred to care, keeps her house until
  // discharge: her testimony is against it.
  if (cause != Total::exit_identified && cause != Total::exit_escaped_assisted)
    people.house[p] = -1;
  Draws d(key_, Stream::exits, step_, agent(p));
  switch (cause) {
    case Total::exit_repaid:
      free_after_repayment(p, d);
      break;
    case Total::exit_escaped:
      return_home(p);
      break;
    case Total::exit_escaped_assisted:
      identify(p);  // referred to care by those who helped her out
      break;
    case Total::exit_identified: {
      identify(p);
      if (status_quo_arrest && house.madam != kNoPerson &&
          d.bernoulli(spec_.prosecution.madam_arrest_given_identification))
        arrest(house.madam, place);
      break;
    }
    case Total::exit_aged_out:
      set_status(p, Status::aged_out);
      break;
    default:
      set_status(p, Status::dead);
      break;
  }
}

void Simulation::free_after_repayment(PersonId p, Draws& d) {
  const auto& f = spec_.freed;
  const auto site = static_cast<std::uint16_t>(world_.places[world_.people.place[p]].site);
  double u = d.uniform();
  if ((u -= f.stay) < 0) return start_free_wecs(p, site, d);
  if ((u -= f.move_site) < 0) {
    // Another site, uniformly; with a single site she stays where she is.
    const auto others = static_cast<std::uint32_t>(world_.sites.size() - 1);
    std::uint32_t to = others > 0 ? d.below(others) : site;
    if (others > 0 && to >= site) ++to;
    return start_free_wecs(p, static_cast<std::uint16_t>(to), d);
  }
  if ((u -= f.leave_region) < 0) {
    set_status(p, Status::left_region);
    return emit(EventType::left_sites, p, world_.people.place[p], -1);
  }
  if ((u -= f.return_home) < 0 || f.become_madam <= 0) return return_home(p);
  become_madam(p, site, d);
}

void Simulation::start_free_wecs(PersonId p, std::uint16_t site, Draws& d) {
  const auto& pop = spec_.population;
  auto& people = world_.people;
  people.place[p] = world_.sites[site].place;
  set_status(p, Status::free_wecs);
  // Competing exits drawn now and put in the calendar: a free woman costs nothing till then.
  const double stay = d.exponential(1.0 / pop.voluntary_stay_years) * 365.25;
  const double death =
      pop.death_rate_per_year > 0 ? d.exponential(pop.death_rate_per_year) * 365.25 : 1e9;
  const double to_exit_age = (pop.exit_age - people.age_years(p, day())) * 365.25;
  const double first = std::min({stay, death, std::max(0.0, to_exit_age)});
  const auto kind = first == stay    ? Scheduled::free_wecs_leave
                    : first == death ? Scheduled::free_wecs_death
                                     : Scheduled::free_wecs_age_out;
  schedule_in_days(first, kind, p);
}

void Simulation::become_madam(PersonId p, std::uint16_t site, Draws& d) {
  auto& people = world_.people;
  people.role[p] = Role::madam;
  people.place[p] = world_.sites[site].place;
  set_status(p, Status::active);
  const auto house = open_house(spec_, world_, site, p, d);
  world_.houses[house].next_review_day = day();
  count(Total::became_madam);
  emit(EventType::became_madam, p, people.place[p], static_cast<std::int32_t>(house));
}

/// A woman arriving at the sites of her own accord, or at the start of the run.
void Simulation::add_free_woman(std::uint16_t site, Draws& d) {
  const auto& pop = spec_.population;
  const std::uint8_t nation = draw_share(d, pop.voluntary_nationality, world_, world_.host_country);
  // Home is the first origin of her country; without one she leaves the region when she goes.
  std::uint16_t home = world_.sites[site].place;
  for (const auto& origin : world_.origins)
    if (world_.places[origin.place].country == nation) {
      home = origin.place;
      break;
    }
  const auto born = day() - static_cast<std::int32_t>(
                                d.uniform(pop.voluntary_age_min, pop.voluntary_age_max) * 365.25);
  const PersonId p =
      create_person(Role::woman, Status::left_region, world_.sites[site].place, home, nation, born);
  world_.people.arrival_day[p] = day();
  start_free_wecs(p, site, d);
  emit(EventType::voluntary_arrival, p, world_.sites[site].place, -1);
}

void Simulation::arrive_voluntary() {
  for (std::uint32_t s = 0; s < world_.sites.size(); ++s) {
    Draws d(key_, Stream::free_wecs, step_, s);
    const auto n = d.poisson(world_.sites[s].voluntary_arrivals_per_year * dt_ / 365.25);
    for (std::uint32_t i = 0; i < n; ++i) {
      Draws person(key_, Stream::free_wecs, step_, world_.people.next_created_key());
      add_free_woman(static_cast<std::uint16_t>(s), person);
      count(Total::voluntary_arrivals);
      count_site(BySite::voluntary_arrivals, s);
    }
  }
}

}  // namespace tipsim::model
