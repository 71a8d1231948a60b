// Text table and JSON renderings of an EnsembleComparison.
#include <cmath>
#include <string>

#include "analysis/ensemble_compare.hpp"
#include "analysis/ensemble_summary.hpp"
#include "analysis/indicators.hpp"
#include "sim/json.hpp"

namespace tipsim::analysis {
namespace {

using detail::pad_left;
using detail::pad_right;

std::string pairing_sentence(const ScenarioComparison& s) {
  if (s.same_key && s.common_replicates == 0)
    return "no: the two have no replicate in common (unpaired intervals)";
  if (!s.same_key)
    return "no: the files have different seeds, so differences include chance (unpaired "
           "intervals)";
  if (s.paired) return "yes: replicate r against replicate r (common random numbers)";
  return "no: same keys, but the runs part on " + s.first_divergence->iso() +
         ", before their scenarios differ (" + s.first_scenario_difference->iso() +
         "); unpaired intervals";
}

std::string interval(double lo, double hi) {
  return " [" + format_number(lo) + ", " + format_number(hi) + "]";
}

std::string ratio_text(const stats::Ratio& r, const char* none) {
  if (std::isnan(r.value)) return none;
  return format_number(std::round(r.value)) + " " +
         (std::isnan(r.ci_low) ? std::string("(interval undefined: too few replicates gain)")
                               : interval(std::round(r.ci_low), std::round(r.ci_high)));
}

void ratio_object(JsonWriter& j, const char* key, const stats::Ratio& r) {
  j.key(key).begin_object();
  j.key("value").number(r.value);
  j.key("ci_low").number(r.ci_low);
  j.key("ci_high").number(r.ci_high);
  j.end_object();
}

void dominance_object(JsonWriter& j, const char* key, const stats::CostEffect& e) {
  j.key(key).begin_object();
  j.key("status").string(stats::to_string(e.status));
  j.key("icer").number(e.icer);
  j.end_object();
}

void optional_date(JsonWriter& j, const char* key, const std::optional<Date>& d) {
  j.key(key);
  d ? j.string(d->iso()) : j.null();
}

}  // namespace

std::string ensemble_comparison_table(const EnsembleComparison& c, bool all) {
  std::string out = "base     " + c.base + " (" + c.base_file + ")\n";
  out += "window   " + (c.window.empty() ? std::string("whole run") : c.window) + "\n";
  constexpr std::size_t kName = 44, kNumber = 14, kInterval = 28;
  for (const ScenarioComparison& s : c.others) {
    out += "\n" + s.name + " - " + c.base + "\n";
    out += "  paired   " + pairing_sentence(s) + "\n";
    if (s.paired) {
      out += "  " + pad_right("indicator", kName) + pad_left("base", kNumber) +
             pad_left("other", kNumber) + pad_left("mean diff", kNumber) +
             pad_left("median", kNumber) + pad_left("95% of replicates", kInterval) +
             pad_left("95% CI of mean", kInterval) + pad_left("> 0", 7) + "\n";
    } else {
      out += "  " + pad_right("indicator", kName) + pad_left("base", kNumber) +
             pad_left("other", kNumber) + pad_left("mean diff", kNumber) +
             pad_left("median diff", kNumber) + pad_left("95% CI of mean (Welch)", kInterval) +
             "\n";
    }
    for (const IndicatorComparison& i : s.indicators) {
      if (!all && !is_headline_indicator(i.name)) continue;
      if (i.base.n == 0 && i.other.n == 0) continue;
      out += "  " + pad_right(i.name, kName) + pad_left(format_number(i.base.mean), kNumber) +
             pad_left(format_number(i.other.mean), kNumber);
      if (s.paired) {
        char share[16];
        std::snprintf(share, sizeof share, "%.0f%%", 100 * i.paired.share_positive);
        out += pad_left(format_number(i.paired.mean), kNumber) +
               pad_left(format_number(i.paired.median), kNumber) +
               pad_left(interval(i.paired.q025, i.paired.q975), kInterval) +
               pad_left(interval(i.paired.mean_ci_low, i.paired.mean_ci_high), kInterval) +
               pad_left(std::isnan(i.paired.share_positive) ? "-" : share, 7) + "\n";
      } else {
        out += pad_left(format_number(i.unpaired.mean), kNumber) +
               pad_left(format_number(i.unpaired.median), kNumber) +
               pad_left(interval(i.unpaired.mean_ci_low, i.unpaired.mean_ci_high), kInterval) +
               "\n";
      }
    }
    out += "  cost per victim removed       " +
           ratio_text(s.cost_per_victim_removed, "- (no more victims removed)") +
           " FCFA per person\n";
    out += "  cost per victim-day averted   " +
           ratio_text(s.cost_per_victim_day_averted, "- (no victim-days averted)") +
           " FCFA per person-day\n";
  }
  out += "\nCost-effectiveness: " +
         (c.cost_effectiveness_replicates
              ? "means over the " + std::to_string(*c.cost_effectiveness_replicates) +
                    " replicates every scenario ran (paired)"
              : std::string("means over each scenario's own replicates (not paired)")) +
         "; for each measure of effect, the ICER\n(FCFA per unit) against the previous scenario "
         "on its efficient frontier, or why the scenario is off it (D dominated, ED extendedly "
         "dominated)\n";
  out += "  " + pad_right("scenario", 30) + pad_left("spend FCFA", 14) + pad_left("removed", 10) +
         pad_left("ICER", 12) + pad_left("days averted", 14) + pad_left("ICER", 10) +
         pad_left("recruits averted", 18) + pad_left("ICER", 12) + "\n";
  const auto icer = [](const stats::CostEffect& e) {
    if (e.status == stats::Dominance::dominated) return std::string("D");
    if (e.status == stats::Dominance::extendedly_dominated) return std::string("ED");
    if (e.status == stats::Dominance::no_data) return std::string("no data");
    return format_number(std::round(e.icer));
  };
  for (const CostEffectivenessRow& r : c.cost_effectiveness) {
    out += "  " + pad_right(r.name, 30) + pad_left(format_number(std::round(r.spend_fcfa)), 14) +
           pad_left(format_number(r.victims_removed), 10) +
           pad_left(icer(r.by_victims_removed), 12) +
           pad_left(format_number(r.victim_days_averted), 14) +
           pad_left(icer(r.by_victim_days_averted), 10) +
           pad_left(format_number(r.recruitment_averted), 18) +
           pad_left(icer(r.by_recruitment_averted), 12) + "\n";
  }
  if (!all) out += "\n(--all lists every indicator; --json gives them as a document)\n";
  return out;
}

std::string ensemble_comparison_json(const EnsembleComparison& c) {
  JsonWriter j;
  j.begin_object();
  j.key("base_file").string(c.base_file);
  j.key("base").string(c.base);
  j.key("window");
  c.window.empty() ? j.null() : j.string(c.window);
  j.key("cost_effectiveness_replicates");
  c.cost_effectiveness_replicates ? j.unsigned_integer(*c.cost_effectiveness_replicates) : j.null();
  j.key("comparisons").begin_array();
  for (const ScenarioComparison& s : c.others) {
    j.begin_object();
    j.key("scenario").string(s.name);
    j.key("file").string(s.file);
    j.key("paired").boolean(s.paired);
    j.key("same_key").boolean(s.same_key);
    j.key("common_replicates").unsigned_integer(s.common_replicates);
    optional_date(j, "first_scenario_difference", s.first_scenario_difference);
    optional_date(j, "first_divergence", s.first_divergence);
    ratio_object(j, "cost_per_victim_removed", s.cost_per_victim_removed);
    ratio_object(j, "cost_per_victim_day_averted", s.cost_per_victim_day_averted);
    j.key("indicators").begin_object();
    for (const IndicatorComparison& i : s.indicators) {
      j.key(i.name).begin_object();
      j.key("base_mean").number(i.base.mean);
      j.key("other_mean").number(i.other.mean);
      if (s.paired) {
        j.key("n").unsigned_integer(i.paired.n);
        j.key("mean").number(i.paired.mean);
        j.key("median").number(i.paired.median);
        j.key("q025").number(i.paired.q025);
        j.key("q975").number(i.paired.q975);
        j.key("mean_ci_low").number(i.paired.mean_ci_low);
        j.key("mean_ci_high").number(i.paired.mean_ci_high);
        j.key("share_positive").number(i.paired.share_positive);
      } else {
        j.key("n_base").unsigned_integer(i.unpaired.n_base);
        j.key("n_other").unsigned_integer(i.unpaired.n_other);
        j.key("mean").number(i.unpaired.mean);
        j.key("median").number(i.unpaired.median);
        j.key("mean_ci_low").number(i.unpaired.mean_ci_low);
        j.key("mean_ci_high").number(i.unpaired.mean_ci_high);
      }
      j.end_object();
    }
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.key("cost_effectiveness").begin_array();
  for (const CostEffectivenessRow& r : c.cost_effectiveness) {
    j.begin_object();
    j.key("scenario").string(r.name);
    j.key("spend_fcfa").number(r.spend_fcfa);
    j.key("victims_removed").number(r.victims_removed);
    j.key("victim_days_exploited").number(r.victim_days_exploited);
    j.key("victim_days_averted").number(r.victim_days_averted);
    j.key("recruited").number(r.recruited);
    j.key("recruitment_averted").number(r.recruitment_averted);
    dominance_object(j, "by_victims_removed", r.by_victims_removed);
    dominance_object(j, "by_victim_days_averted", r.by_victim_days_averted);
    dominance_object(j, "by_recruitment_averted", r.by_recruitment_averted);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace tipsim::analysis
