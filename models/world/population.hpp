#pragma once
/// The one population, stored as struct of arrays. A person is an index; no pointers
/// between persons. Hot fields (status, place) are apart from the cold ones.
#include <cstdint>
#include <limits>
#include <vector>

namespace tipsim::model {

using PersonId = std::uint32_t;
inline constexpr PersonId kNoPerson = 0xFFFFFFFFu;
/// A day that never comes: day numbers are days since 1970-01-01 and negative before it, so
/// -1 cannot mean "never" (a run may start in 1969).
inline constexpr std::int32_t kNeverDay = std::numeric_limits<std::int32_t>::min();

enum class Role : std::uint8_t { woman, recruiter, transporter, madam };

/// Status of a person. Women move through the chain; organisation members are active,
/// held (arrest to verdict), in prison, or out.
enum class Status : std::uint8_t {
  at_origin,              ///< at-risk woman at home, idle until approached
  recruited,              ///< accepted an offer; waits for her group to leave
  in_transit,             ///< travelling with a group along a route
  exploited,              ///< trafficked: controlled by a madam, in debt bondage at a site
  free_wecs,              ///< in commercial sex at a site, not controlled
  awaiting_shelter,       ///< identified or intercepted, waiting for a shelter bed
  in_shelter,             ///< in care
  awaiting_repatriation,  ///< foreign survivor waiting for a batch
  left_region,            ///< left for Saly/Mbour or elsewhere: outside the model
  dead,
  aged_out,  ///< left commercial sex with age
  active,    ///< organisation member at work
  held,      ///< arrested, under investigation or awaiting trial
  in_prison,
  inactive,  ///< retired, desisted or not returned after release
  count_
};
inline constexpr std::size_t kStatusCount = static_cast<std::size_t>(Status::count_);
const char* to_string(Status s);

/// Bit flags of a woman's history and vulnerability.
enum Flag : std::uint8_t {
  kPoverty = 1,
  kChildhoodSexualViolence = 2,
  kPartnerViolence = 4,
  kEverTrafficked = 8,
  kDeceptiveOffer = 16,
  kFamilyComplicit = 32,
  kCared = 64,      ///< received shelter care
  kEnrolled = 128,  ///< enrolled in an economic empowerment programme
};

struct Population {
  // Hot.
  std::vector<Role> role;
  std::vector<Status> status;
  std::vector<std::uint16_t> place;       ///< current place index
  std::vector<std::uint32_t> generation;  ///< bumps on every status change (stale calendar items)
  // Identity.
  std::vector<std::uint16_t> home;        ///< origin place index
  std::vector<std::uint8_t> nationality;  ///< index into World::countries
  std::vector<std::int32_t> birth_day;    ///< days since 1970-01-01
  std::vector<std::uint8_t> flags;
  // Women at the sites (cold for everybody else).
  std::vector<std::int32_t> house;      ///< controlling house, -1 if none
  std::vector<std::int64_t> debt_fcfa;  ///< outstanding debt
  std::vector<std::int32_t> price_per_client_fcfa;
  std::vector<std::int32_t> arrival_day;
  std::vector<std::int32_t> status_since_day;
  /// Organisation node a member holds (-1 for women).
  std::vector<std::int32_t> org_node;
  // Interventions' marks on a woman.
  /// Lasting multiplier of her odds of accepting an offer (empowerment, care, reintegration).
  std::vector<float> acceptance_odds;
  std::vector<std::int32_t> aware_until_day;  ///< aware of false job offers until this day
  std::vector<std::int16_t> aware_by;         ///< intervention that made her aware, -1 never
  /// The agent number her draws are keyed by, which no other person's creation can shift:
  /// an at-risk woman's index (below `first_created_key`), and for everyone else
  /// `first_created_key` plus the count of such persons created before. Row ids, by
  /// contrast, follow the order in which events reached the at-risk women, so keying by
  /// them would let one run's extra rows shift every later person's draws against its pair.
  std::vector<std::uint32_t> draw_key;
  /// The first key of persons who are not at-risk women (the number of at-risk women).
  std::uint32_t first_created_key = 0;
  /// The row of each person other than an at-risk woman, by creation (key -
  /// first_created_key).
  std::vector<PersonId> created_row;

  /// The key the next person created (not an at-risk woman) will have.
  [[nodiscard]] std::uint32_t next_created_key() const {
    return first_created_key + static_cast<std::uint32_t>(created_row.size());
  }
  /// Whether row `p` is an at-risk woman's (her draw key is then her at-risk index).
  [[nodiscard]] bool is_at_risk(PersonId p) const { return draw_key[p] < first_created_key; }

  [[nodiscard]] std::size_t size() const { return role.size(); }

  /// Appends a person; `at_risk_index` for an at-risk woman's row, else she or he is keyed
  /// as the next created person.
  PersonId add(Role r, Status s, std::uint16_t place_index, std::uint16_t home_place,
               std::uint8_t nation, std::int32_t born, std::uint8_t flag_bits,
               std::uint32_t at_risk_index = 0xFFFFFFFFu) {
    role.push_back(r);
    status.push_back(s);
    place.push_back(place_index);
    generation.push_back(0);
    home.push_back(home_place);
    nationality.push_back(nation);
    birth_day.push_back(born);
    flags.push_back(flag_bits);
    house.push_back(-1);
    debt_fcfa.push_back(0);
    price_per_client_fcfa.push_back(0);
    arrival_day.push_back(kNeverDay);
    status_since_day.push_back(0);
    org_node.push_back(-1);
    acceptance_odds.push_back(1.0f);
    aware_until_day.push_back(kNeverDay);
    aware_by.push_back(-1);
    const auto row = static_cast<PersonId>(role.size() - 1);
    if (at_risk_index != 0xFFFFFFFFu) {
      draw_key.push_back(at_risk_index);
    } else {
      draw_key.push_back(next_created_key());
      created_row.push_back(row);
    }
    return row;
  }

  void reserve(std::size_t n) {
    role.reserve(n);
    status.reserve(n);
    place.reserve(n);
    generation.reserve(n);
    home.reserve(n);
    nationality.reserve(n);
    birth_day.reserve(n);
    flags.reserve(n);
    house.reserve(n);
    debt_fcfa.reserve(n);
    price_per_client_fcfa.reserve(n);
    arrival_day.reserve(n);
    status_since_day.reserve(n);
    org_node.reserve(n);
    acceptance_odds.reserve(n);
    aware_until_day.reserve(n);
    aware_by.reserve(n);
  }

  [[nodiscard]] double age_years(PersonId p, std::int32_t day) const {
    return (day - birth_day[p]) / 365.25;
  }
  [[nodiscard]] bool has(PersonId p, Flag f) const { return (flags[p] & f) != 0; }
};

}  // namespace tipsim::model
