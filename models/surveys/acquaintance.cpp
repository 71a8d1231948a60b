#include "models/surveys/acquaintance.hpp"

#include <algorithm>

namespace tipsim::model {

void Acquaintances::enable(std::size_t persons, std::size_t sites) {
  enabled_ = true;
  ties_.assign(persons, {});
  slot_.assign(persons, -1);
  at_site_.assign(sites, {});
}

void Acquaintances::grow(std::size_t persons) {
  if (!enabled_ || persons <= ties_.size()) return;
  ties_.resize(persons);
  slot_.resize(persons, -1);
}

bool Acquaintances::tied(PersonId a, PersonId b) const {
  const auto& mine = ties_[a];
  return std::find(mine.begin(), mine.end(), b) != mine.end();
}

void Acquaintances::tie(PersonId a, PersonId b) {
  ties_[a].push_back(b);
  ties_[b].push_back(a);
  ++ties_total_;
}

void Acquaintances::arrive(PersonId p, std::uint16_t site, bool trafficked, std::int32_t house,
                           const std::vector<std::int32_t>& house_of, const AcquaintanceSpec& spec,
                           Draws& d) {
  const double mean = trafficked ? spec.ties_trafficked : spec.ties_free;
  const std::uint32_t wanted = d.poisson(mean);
  // Tries are bounded: at a small site there may be fewer women than ties wanted.
  for (std::uint32_t k = 0, tries = 0; k < wanted && tries < 8 * wanted + 8; ++tries) {
    const double u_where = d.uniform();
    const double u_house = d.uniform();
    const double u_pick = d.uniform();
    const double u_site = d.uniform();
    std::uint16_t at = site;
    if (u_where >= spec.same_site_share && at_site_.size() > 1) {
      at = static_cast<std::uint16_t>(u_site * static_cast<double>(at_site_.size() - 1));
      if (at >= site) ++at;
    }
    const auto& pool = at_site_[at];
    if (pool.empty()) continue;
    PersonId other = pool[static_cast<std::size_t>(u_pick * static_cast<double>(pool.size()))];
    if (at == site && house >= 0 && u_house < spec.same_house_share) {
      // A housemate: the first woman of her house from the drawn position on.
      const std::size_t start = static_cast<std::size_t>(u_pick * static_cast<double>(pool.size()));
      for (std::size_t i = 0; i < pool.size(); ++i) {
        const PersonId q = pool[(start + i) % pool.size()];
        if (q != p && house_of[q] == house) {
          other = q;
          break;
        }
      }
    }
    if (other == p || tied(p, other)) continue;
    tie(p, other);
    ++k;
  }
  slot_[p] = static_cast<std::int32_t>(at_site_[site].size());
  at_site_[site].push_back(p);
}

void Acquaintances::move(PersonId p, std::uint16_t from, std::uint16_t to) {
  if (from == to) return;
  auto& old_list = at_site_[from];
  const auto slot = static_cast<std::size_t>(slot_[p]);
  old_list[slot] = old_list.back();
  slot_[old_list[slot]] = static_cast<std::int32_t>(slot);
  old_list.pop_back();
  slot_[p] = static_cast<std::int32_t>(at_site_[to].size());
  at_site_[to].push_back(p);
}

void Acquaintances::leave(PersonId p, std::uint16_t site) {
  auto& list = at_site_[site];
  const auto slot = static_cast<std::size_t>(slot_[p]);
  list[slot] = list.back();
  slot_[list[slot]] = static_cast<std::int32_t>(slot);
  list.pop_back();
  slot_[p] = -1;
  for (const PersonId q : ties_[p]) {
    auto& theirs = ties_[q];
    theirs.erase(std::find(theirs.begin(), theirs.end(), p));
  }
  ties_total_ -= ties_[p].size();
  ties_[p].clear();
  ties_[p].shrink_to_fit();
}

}  // namespace tipsim::model
