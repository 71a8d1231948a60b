#include "analysis/indicators.hpp"

#include <array>
#include <cstdio>

namespace tipsim::analysis::detail {

std::vector<Count> arrival_counts(const WindowTotals& t) {
  return {{"recruited", "recruited", t.recruited, "persons"},
          {"re_trafficked", "re-trafficked", t.re_trafficked, "persons"},
          {"arrived_at_sites", "arrived at sites", t.arrived_at_sites, "persons"},
          {"voluntary_arrivals", "voluntary arrivals", t.voluntary_arrivals, "persons"}};
}

std::vector<Count> exit_counts(const ExitTotals& e) {
  return {{"repaid", "exits: repaid", e.repaid, "persons"},
          {"escaped", "exits: escaped", e.escaped, "persons"},
          {"escaped_assisted", "exits: helped to escape", e.escaped_assisted, "persons"},
          {"identified", "exits: identified", e.identified, "persons"},
          {"intercepted_in_transit", "exits: intercepted", e.intercepted_in_transit, "persons"},
          {"aged_out", "exits: aged out", e.aged_out, "persons"},
          {"died", "exits: died", e.died, "persons"}};
}

std::vector<Count> later_counts(const WindowTotals& t) {
  return {
      {"victims_removed", "victims removed", t.victims_removed(), "persons"},
      {"rescued_identified", "identified or intercepted", t.rescued_identified(), "persons"},
      {"sheltered", "sheltered", t.sheltered, "persons"},
      {"repatriated", "repatriated", t.repatriated, "persons"},
      {"reintegrated", "reintegrated", t.reintegrated, "persons"},
      {"repatriated_or_reintegrated", "repatriated+reintegrated", t.repatriated_or_reintegrated(),
       "persons"},
      {"arrests", "arrests", t.arrests, "persons"},
      {"convictions", "convictions", t.convictions, "persons"},
      {"became_madam", "became madam", t.became_madam, "persons"},
      {"replacements", "replacements", t.replacements, "persons"},
      {"victim_days_exploited", "victim-days exploited", t.victim_days_exploited, "person-days"},
      {"debt_imposed_fcfa", "debt imposed", t.debt_imposed_fcfa, "FCFA"},
      {"debt_paid_fcfa", "debt paid", t.debt_paid_fcfa, "FCFA"},
      {"spend_fcfa", "intervention spend", t.spend_fcfa, "FCFA"}};
}

std::vector<Count> stock_counts(const StocksAtEnd& e) {
  return {{"wecs", "WECS at sites", e.wecs, "persons"},
          {"wecs_18_30", "WECS 18-30", e.wecs_18_30, "persons"},
          {"trafficked_at_sites", "trafficked at sites", e.trafficked_at_sites, "persons"},
          {"in_transit", "in transit", e.in_transit, "persons"},
          {"shelter_occupancy", "in shelter", e.shelter_occupancy, "persons"},
          {"debt_outstanding_fcfa", "debt outstanding", e.debt_outstanding_fcfa, "FCFA"},
          {"houses_open", "houses open", e.houses_open, "houses"}};
}

std::vector<Count> intervention_counts(const InterventionTotals& i) {
  // `reached` counts each type's own unit (women, committees, officers, ...).
  return {{"reached", "reached", i.reached, "units"},
          {"victims_removed", "victims removed", i.victims_removed, "persons"},
          {"arrests", "arrests", i.arrests, "persons"},
          {"spend_fcfa", "spend", i.spend_fcfa, "FCFA"}};
}

std::string percent(std::optional<double> share) {
  if (!share) return "-";
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f%%", *share * 100.0);
  return buffer.data();
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  std::string out;
  if (text.size() < width) out.assign(width - text.size(), ' ');
  out += text;
  return out;
}

}  // namespace tipsim::analysis::detail
