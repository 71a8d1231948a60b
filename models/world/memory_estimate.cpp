#include "models/world/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "models/recording/series.hpp"
#include "models/step/simulation.hpp"
#include "models/world/world.hpp"
#include "sim/memory.hpp"

namespace tipsim::model {
namespace {

/// What the allocator adds to each block (glibc: an 8-byte header, blocks of 16 bytes).
constexpr double kHeapBlock = 16;

/// A default-constructed std::deque allocates at once: libstdc++ a map of 8 pointers and
/// one 512-byte node.
#if defined(__GLIBCXX__)
constexpr double kEmptyDequeBytes = 8 * sizeof(void*) + 512 + 2 * kHeapBlock;
#else
constexpr double kEmptyDequeBytes = 0;
#endif

template <class Vector>
constexpr double element_bytes(const Vector&) {
  return static_cast<double>(sizeof(typename Vector::value_type));
}

/// One kind of term (recruiters, houses, ...) summed over the places that have it.
struct Kind {
  std::string field;  ///< the place key: "recruiters"
  std::string each;
  double count = 0;
  double bytes = 0;
  std::string largest;  ///< the place that holds the most of them
  double largest_count = 0;
  std::size_t places = 0;
};

}  // namespace

double person_row_bytes(bool with_acquaintances) {
  const Population p;
  double bytes = element_bytes(p.role) + element_bytes(p.status) + element_bytes(p.place) +
                 element_bytes(p.generation) + element_bytes(p.home) +
                 element_bytes(p.nationality) + element_bytes(p.birth_day) +
                 element_bytes(p.flags) + element_bytes(p.house) + element_bytes(p.debt_fcfa) +
                 element_bytes(p.price_per_client_fcfa) + element_bytes(p.arrival_day) +
                 element_bytes(p.status_since_day) + element_bytes(p.org_node) +
                 element_bytes(p.acceptance_odds) + element_bytes(p.aware_until_day) +
                 element_bytes(p.aware_by) + element_bytes(p.draw_key);
  bytes += sizeof(std::int16_t);  // Simulation::counted_site_
  // Acquaintances: each person's list of ties and her slot at her site.
  if (with_acquaintances) bytes += sizeof(std::vector<PersonId>) + sizeof(std::int32_t);
  return bytes;
}

double MemoryEstimate::total_bytes() const {
  double total = 0;
  for (const auto& t : terms) total += t.bytes();
  return total;
}

std::string MemoryEstimate::describe(std::size_t terms_shown) const {
  std::string text;
  const double total = total_bytes();
  for (std::size_t i = 0; i < terms.size() && i < terms_shown; ++i) {
    if (i > 0 && terms[i].bytes() < 0.05 * total) break;  // only what weighs
    char count[32];
    std::snprintf(count, sizeof count, "%.3g", terms[i].count);
    text += (i ? ", " : "") + terms[i].key + " " + count + ": " +
            memory::format_bytes(terms[i].bytes_each) + " per " + terms[i].each;
  }
  return text;
}

MemoryEstimate estimate_start_memory(const ScenarioSpec& spec) {
  const bool acquaintances = !spec.surveys.empty();
  const double person = person_row_bytes(acquaintances);
  // Persons other than at-risk women are also listed by creation (Population::created_row).
  const double created = person + sizeof(PersonId);
  const auto& org = spec.organisation;
  const auto& pop = spec.population;

  double origins = 0, sites = 0, at_risk = 0, recruiters = 0, transporters = 0, houses = 0;
  const double band_years = pop.recruitable_age_max - pop.recruitable_age_min;
  const double horizon_years = spec.simulation.end.years_since(spec.simulation.start);
  std::map<std::string, Kind> kinds;
  const auto add = [&](const std::string& field, const std::string& each, const PlaceSpec& place,
                       double count, double bytes_each) {
    if (count <= 0) return;
    Kind& k = kinds[field];
    k.field = field;
    k.each = each;
    k.count += count;
    k.bytes += count * bytes_each;
    ++k.places;
    if (count > k.largest_count) {
      k.largest = place.name;
      k.largest_count = count;
    }
  };
  const double k_ring = static_cast<double>(std::max<std::int64_t>(1, pop.social_ties / 2));
  for (const auto& place : spec.places) {
    if (place.kind == PlaceKind::origin) {
      ++origins;
      const double women = band_years > 0 ? std::round(static_cast<double>(place.at_risk_women) *
                                                       (horizon_years + band_years) / band_years)
                                          : 0;
      at_risk += women;
      recruiters += static_cast<double>(place.recruiters);
      transporters += static_cast<double>(place.transporters);
      // A recruiter: her row, her record, her contacts (drawn only where there are women)
      // with the ties of each (2k on the small-world ring), her transporters, her order queue.
      const double contacts = women > 0 ? static_cast<double>(org.recruiter_contacts) : 0;
      const double recruiter =
          created + sizeof(Recruiter) + kEmptyDequeBytes + contacts * sizeof(AtRiskIndex) +
          (contacts + 1) * sizeof(std::uint32_t) + contacts * 2 * k_ring * sizeof(AtRiskIndex) +
          static_cast<double>(org.transporters_per_recruiter) * sizeof(std::uint32_t) +
          3 * kHeapBlock;
      add("recruiters", "recruiter", place, static_cast<double>(place.recruiters), recruiter);
      add("transporters", "transporter", place, static_cast<double>(place.transporters),
          created + sizeof(Transporter));
    }
    if (place.kind == PlaceKind::site) {
      ++sites;
      houses += static_cast<double>(place.houses);
    }
  }
  // Houses are tied to recruiters that reach their site: at most recruiters_per_madam.
  const double ties_per_house = std::min(static_cast<double>(org.recruiters_per_madam), recruiters);
  for (const auto& place : spec.places) {
    if (place.kind != PlaceKind::site) continue;
    add("houses", "house", place, static_cast<double>(place.houses),
        created + sizeof(House) + ties_per_house * sizeof(std::uint32_t) + kHeapBlock);
    // A free woman: her row, her place in the list of free women, her first calendar item.
    add("initial_free_wecs", "woman", place, static_cast<double>(place.initial_free_wecs),
        created + sizeof(std::uint32_t) + sizeof(Scheduled));
  }

  MemoryEstimate e;
  for (const auto& [field, k] : kinds) {
    std::string key = "places." + k.largest + "." + field;
    if (k.places > 1)
      key += " (and " + std::to_string(k.places - 1) + " other place" + (k.places > 2 ? "s" : "") +
             ")";
    e.terms.push_back({key, k.count, k.bytes / k.count, k.each});
  }
  // The women the houses hold at the start, at least the smallest house's share filled,
  // and no more than the at-risk women: an at-risk row, its entry in the index of such rows
  // (half full at most), its place in the list of exploited women.
  const double fill = static_cast<double>(
      std::lround(static_cast<double>(org.house_capacity_min) * spec.exploitation.initial_fill));
  const double filled = recruiters > 0 ? std::min(houses * fill, at_risk) : 0;
  if (filled > 0)
    e.terms.push_back({"exploitation.initial_fill (women in the houses)", filled,
                       person + 2 * 2 * sizeof(std::uint32_t) + sizeof(std::uint32_t), "woman"});
  // Shortest paths from every origin to every site, by time and by cost.
  if (origins * sites > 0)
    e.terms.push_back({"places (origin-site pairs)", origins * sites, 2 * sizeof(Path), "pair"});
  // Every step: a calendar bucket, and a row of the daily record (reserved for the horizon
  // when the run starts; kept whole by the runs of an ensemble).
  const double steps = std::floor((spec.simulation.end - spec.simulation.start) /
                                  static_cast<double>(std::max(1, spec.simulation.step_days))) +
                       1;
  const auto interventions = static_cast<double>(spec.interventions.size());
  const double row =
      sizeof(std::vector<Scheduled>) + sizeof(std::int32_t) +
      static_cast<double>(kTotalCount) * sizeof(std::int64_t) +
      sites * static_cast<double>(kBySiteCount) * sizeof(std::int64_t) +
      2 * sites * sizeof(double) +
      interventions * static_cast<double>(kInterventionSeriesCount) * sizeof(std::int64_t);
  e.terms.push_back({"simulation.start..end (steps)", steps, row, "step"});
  std::sort(e.terms.begin(), e.terms.end(),
            [](const MemoryTerm& a, const MemoryTerm& b) { return a.bytes() > b.bytes(); });
  return e;
}

}  // namespace tipsim::model
