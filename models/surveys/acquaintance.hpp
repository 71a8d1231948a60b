#pragma once
/// The acquaintance network among women at the sites (trafficked or not), which
/// respondent-driven sampling walks. A woman forms ties when she arrives at the sites, mostly
/// with women of her own site (a trafficked woman partly with her housemates), some with
/// women elsewhere; she keeps them when she moves between sites and loses them when she
/// leaves the sites. Built only when the scenario declares surveys: it never changes what
/// the model does, it is what a survey can see.
#include <cstdint>
#include <vector>

#include "models/scenario/parameters.hpp"
#include "models/world/population.hpp"
#include "sim/random.hpp"

namespace tipsim::model {

class Acquaintances {
 public:
  Acquaintances() = default;
  Acquaintances(std::size_t persons, std::size_t sites) { enable(persons, sites); }

  void enable(std::size_t persons, std::size_t sites);
  [[nodiscard]] bool enabled() const { return enabled_; }
  /// Room for persons created since.
  void grow(std::size_t persons);

  /// She is now at `site` (she was at none): she forms her ties. `house` is her house, -1 if
  /// she is not controlled; `house_of` gives any woman's house.
  void arrive(PersonId p, std::uint16_t site, bool trafficked, std::int32_t house,
              const std::vector<std::int32_t>& house_of, const AcquaintanceSpec& spec, Draws& d);
  /// She moves from one site to another with her ties.
  void move(PersonId p, std::uint16_t from, std::uint16_t to);
  /// She leaves the sites: her ties end.
  void leave(PersonId p, std::uint16_t site);

  [[nodiscard]] const std::vector<PersonId>& ties(PersonId p) const { return ties_[p]; }
  /// Women at `site` now, in no particular but deterministic order.
  [[nodiscard]] const std::vector<PersonId>& women_at(std::uint16_t site) const {
    return at_site_[site];
  }
  [[nodiscard]] std::size_t ties_total() const { return ties_total_; }

  /// Saves or restores the network (sim/state_archive.hpp).
  template <class Archive>
  void transfer(Archive& ar) {
    ar(enabled_, ties_, at_site_, slot_, ties_total_);
  }

 private:
  void tie(PersonId a, PersonId b);
  [[nodiscard]] bool tied(PersonId a, PersonId b) const;

  bool enabled_ = false;
  std::vector<std::vector<PersonId>> ties_;
  std::vector<std::vector<PersonId>> at_site_;
  std::vector<std::int32_t> slot_;  ///< her index in at_site_[her site], -1 when away
  std::size_t ties_total_ = 0;
};

}  // namespace tipsim::model
