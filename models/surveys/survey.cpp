#include "models/surveys/survey.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/error.hpp"
#include "sim/stats/estimators.hpp"

namespace tipsim::model {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Draws for one survey: the survey's index shares the step word, so two surveys that reach
/// the same woman on the same day draw independently.
Draws survey_draws(const RandomKey& key, Stream stream, std::uint32_t step, std::uint32_t survey,
                   std::uint32_t agent) {
  return Draws(key, stream, step * 64u + survey, agent);
}

/// `k` members of `pool` drawn without replacement (a partial Fisher-Yates shuffle).
std::vector<PersonId> choose(std::vector<PersonId> pool, std::size_t k, Draws& d) {
  k = std::min(k, pool.size());
  for (std::size_t i = 0; i < k; ++i) {
    const auto j = i + d.below(static_cast<std::uint32_t>(pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

}  // namespace

SurveyFieldwork::SurveyFieldwork(const SurveySpec& spec, std::uint32_t index, const World& w)
    : spec_(spec), index_(index) {
  for (const Site& site : w.sites) {
    const Place& place = w.places[site.place];
    const std::string& dept = w.departments[static_cast<std::size_t>(site.department)];
    const bool by_site =
        std::find(spec.sites.begin(), spec.sites.end(), place.name) != spec.sites.end();
    const bool by_dept =
        std::find(spec.departments.begin(), spec.departments.end(), dept) != spec.departments.end();
    const bool all = spec.sites.empty() && spec.departments.empty();
    site_in_scope_.push_back(all || by_site || by_dept ? 1 : 0);
  }
  if (spec.design.sample_size_by_department.empty()) {
    slot_department_.push_back(-1);
    quota_.push_back(spec.design.sample_size);
  } else {
    for (const auto& [name, n] : spec.design.sample_size_by_department) {
      const auto at = std::find(w.departments.begin(), w.departments.end(), name);
      slot_department_.push_back(static_cast<std::int32_t>(at - w.departments.begin()));
      quota_.push_back(n);
    }
  }
  taken_.assign(quota_.size(), 0);
  truth_sum_by_department_.assign(w.departments.size(), 0.0);
  truth_days_by_department_.assign(w.departments.size(), 0);
  result_.truth_by_department.assign(w.departments.size(), kNaN);
  result_.population_by_department.assign(w.departments.size(), 0);
}

bool SurveyFieldwork::eligible(PersonId p, std::int32_t day, const World& w) const {
  const auto& people = w.people;
  if (people.status[p] != Status::exploited && people.status[p] != Status::free_wecs) return false;
  const auto site = w.places[people.place[p]].site;
  if (site < 0 || !site_in_scope_[static_cast<std::size_t>(site)]) return false;
  const double age = people.age_years(p, day);
  // Completed years, as a survey asks them.
  return age >= spec_.age_min && age < spec_.age_max + 1.0;
}

/// Her quota slot, or -1 when her department has none.
std::int32_t SurveyFieldwork::department_slot(const World& w, PersonId p) const {
  if (slot_department_.size() == 1 && slot_department_[0] < 0) return 0;
  const auto site = w.places[w.people.place[p]].site;
  if (site < 0) return -1;  // she has left the sites (a coupon holder gone home)
  const auto dept = w.sites[static_cast<std::size_t>(site)].department;
  for (std::size_t k = 0; k < slot_department_.size(); ++k)
    if (slot_department_[k] == dept) return static_cast<std::int32_t>(k);
  return -1;
}

/// Eligible women not yet reached, of quota slot `slot` (any when -1), at `site` (any when -1).
std::vector<PersonId> SurveyFieldwork::pool(std::int32_t day, const World& w,
                                            const Acquaintances& net, std::int32_t slot,
                                            std::int32_t site) const {
  std::vector<PersonId> out;
  for (std::uint16_t s = 0; s < w.sites.size(); ++s) {
    if (!site_in_scope_[s] || (site >= 0 && s != site)) continue;
    for (const PersonId p : net.women_at(s))
      if (eligible(p, day, w) && !reached_.count(p) && (slot < 0 || department_slot(w, p) == slot))
        out.push_back(p);
  }
  // In draw-key order, so that the draws depend neither on the network's order nor on the
  // order in which rows were made.
  std::sort(out.begin(), out.end(),
            [&](PersonId a, PersonId b) { return w.people.draw_key[a] < w.people.draw_key[b]; });
  return out;
}

void SurveyFieldwork::interview(PersonId p, std::int32_t day, std::uint32_t step, std::int32_t wave,
                                std::int32_t recruiter, std::int32_t cluster, const World& w,
                                const Acquaintances& net, const CoercionSpec& coercion,
                                const RandomKey& key) {
  const auto& people = w.people;
  reached_.insert(p);
  Respondent r;
  r.person = p;
  r.day = day;
  r.wave = wave;
  r.recruiter = recruiter;
  r.cluster = cluster;
  r.site = static_cast<std::uint16_t>(w.places[people.place[p]].site);
  r.department = w.sites[r.site].department;
  r.age_years = static_cast<float>(people.age_years(p, day));
  r.nationality = people.nationality[p];
  for (const PersonId q : net.ties(p)) r.true_degree += eligible(q, day, w) ? 1 : 0;
  // Her situation: coercion beyond debt and control is a lasting trait of her case, drawn
  // once per woman so that every survey sees the same truth.
  const bool controlled = people.status[p] == Status::exploited;
  Draws hidden(key, Stream::survey_sampling, 0xFFFFFFFFu, people.draw_key[p]);
  const double u_docs = hidden.uniform();
  const double u_isolation = hidden.uniform();
  const double u_threats = hidden.uniform();
  r.truth = {
      static_cast<std::uint8_t>(people.has(p, kDeceptiveOffer) && people.has(p, kEverTrafficked)),
      static_cast<std::uint8_t>(controlled),
      static_cast<std::uint8_t>(controlled && u_docs < coercion.documents_confiscated),
      static_cast<std::uint8_t>(controlled && u_isolation < coercion.isolation),
      static_cast<std::uint8_t>(controlled && u_threats < coercion.threats_or_violence),
      static_cast<std::uint8_t>(controlled)};
  r.trafficked = controlled ? 1 : 0;
  Draws answers = survey_draws(key, Stream::survey_sampling, step, index_, people.draw_key[p]);
  std::int64_t positives = 0;
  for (std::size_t k = 0; k < kIndicatorCount; ++k) {
    const auto& ind = spec_.instrument.indicators[k];
    const double u = answers.uniform();
    r.reported[k] =
        r.truth[k] ? (u < ind.sensitivity ? 1 : 0) : (u < 1.0 - ind.specificity ? 1 : 0);
    positives += r.reported[k];
  }
  bool classified = positives >= spec_.instrument.at_least;
  for (const auto& name : spec_.instrument.required) {
    const auto k = static_cast<std::size_t>(
        std::find(kIndicatorNames.begin(), kIndicatorNames.end(), name) - kIndicatorNames.begin());
    classified = classified && r.reported[k];
  }
  r.classified = classified ? 1 : 0;
  const double noisy =
      answers.lognormal_mean_cv(static_cast<double>(r.true_degree), spec_.design.degree_report_cv);
  r.reported_degree = static_cast<std::int32_t>(std::lround(noisy));
  const std::int32_t slot = department_slot(w, p);
  if (slot >= 0) ++taken_[static_cast<std::size_t>(slot)];
  result_.respondents.push_back(r);
}

/// Respondents a slot should have by the end of `day`: its quota spread evenly over the
/// fieldwork days.
std::int64_t SurveyFieldwork::due_by(std::size_t slot, std::int32_t day) const {
  const std::int64_t days = spec_.end.days - spec_.start.days + 1;
  const std::int64_t done = day - spec_.start.days + 1;
  return quota_[slot] * done / days;
}

void SurveyFieldwork::field_random(std::int32_t day, std::uint32_t step, const World& w,
                                   const Acquaintances& net, const CoercionSpec& c,
                                   const RandomKey& key) {
  for (std::size_t slot = 0; slot < quota_.size(); ++slot) {
    const std::int64_t wanted = due_by(slot, day) - taken_[slot];
    if (wanted <= 0) continue;
    Draws d = survey_draws(key, Stream::survey_sampling, step, index_,
                           0xFFFF0000u + static_cast<std::uint32_t>(slot));
    const auto slot_arg = slot_department_[slot] < 0 ? -1 : static_cast<std::int32_t>(slot);
    for (const PersonId p :
         choose(pool(day, w, net, slot_arg), static_cast<std::size_t>(wanted), d))
      interview(p, day, step, 0, -1, -1, w, net, c, key);
  }
}

void SurveyFieldwork::field_venue(std::int32_t day, std::uint32_t step, const World& w,
                                  const Acquaintances& net, const CoercionSpec& c,
                                  const RandomKey& key) {
  // Visit v of V happens on fieldwork day floor(v * days / V); each visit takes an equal
  // share of the quota.
  const std::int64_t days = spec_.end.days - spec_.start.days + 1;
  const std::int64_t visits = spec_.design.venue_visits;
  for (std::int64_t v = 0; v < visits; ++v) {
    const std::int64_t visit_day = spec_.start.days + v * days / visits;
    if (visit_day > day || visit_day <= day - step_days_) continue;
    for (std::size_t slot = 0; slot < quota_.size(); ++slot) {
      const std::int64_t share = quota_[slot] * (v + 1) / visits - quota_[slot] * v / visits;
      if (share <= 0) continue;
      Draws d = survey_draws(
          key, Stream::survey_sampling, step, index_,
          0xFFFF0000u + static_cast<std::uint32_t>(v * 64 + static_cast<std::int64_t>(slot)));
      const auto slot_arg = slot_department_[slot] < 0 ? -1 : static_cast<std::int32_t>(slot);
      // A site with probability proportional to its eligible women.
      const auto everyone = pool(day, w, net, slot_arg);
      if (everyone.empty()) continue;
      const PersonId pick = everyone[d.below(static_cast<std::uint32_t>(everyone.size()))];
      const auto site = w.places[w.people.place[pick]].site;
      const auto cluster = static_cast<std::int32_t>(v * static_cast<std::int64_t>(quota_.size()) +
                                                     static_cast<std::int64_t>(slot));
      for (const PersonId p :
           choose(pool(day, w, net, slot_arg, site), static_cast<std::size_t>(share), d))
        interview(p, day, step, 0, -1, cluster, w, net, c, key);
    }
  }
}

void SurveyFieldwork::field_rds(std::int32_t day, std::uint32_t step, const World& w,
                                const Acquaintances& net, const CoercionSpec& c,
                                const RandomKey& key) {
  const auto& design = spec_.design;
  const auto full = [&](std::int32_t slot) {
    return slot < 0 ||
           taken_[static_cast<std::size_t>(slot)] >= quota_[static_cast<std::size_t>(slot)];
  };
  const std::size_t first_new = result_.respondents.size();
  // Seeds on the first day, spread over the quota slots; fresh seeds when every chain of a
  // slot has died before its quota is met.
  for (std::size_t slot = 0; slot < quota_.size(); ++slot) {
    const auto s = static_cast<std::int32_t>(slot);
    std::int64_t seeds = 0;
    if (day == first_day_) {
      std::int64_t total = 0;
      for (auto q : quota_) total += q;
      seeds = std::max<std::int64_t>(
          1, std::llround(static_cast<double>(design.seeds) * static_cast<double>(quota_[slot]) /
                          static_cast<double>(std::max<std::int64_t>(1, total))));
    } else if (!full(s) && new_seeds_ < design.max_new_seeds &&
               std::none_of(coupons_.begin(), coupons_.end(),
                            [&](const Coupon& k) { return department_slot(w, k.person) == s; })) {
      seeds = 1;
      ++new_seeds_;
    }
    seeds = std::min(seeds, quota_[slot] - taken_[slot]);  // seeds count in the quota too
    if (seeds <= 0) continue;
    Draws d = survey_draws(key, Stream::survey_sampling, step, index_,
                           0xFFFF0000u + static_cast<std::uint32_t>(slot));
    auto candidates = pool(day, w, net, slot_department_[slot] < 0 ? -1 : s);
    if (design.seed_selection == "largest_network") {
      std::stable_sort(candidates.begin(), candidates.end(), [&](PersonId a, PersonId b) {
        return net.ties(a).size() > net.ties(b).size();
      });
      candidates.resize(std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(seeds)));
    } else {
      candidates = choose(std::move(candidates), static_cast<std::size_t>(seeds), d);
    }
    for (const PersonId p : candidates) interview(p, day, step, 0, -1, -1, w, net, c, key);
  }
  // Coupons due today are redeemed if she is still there and her slot still has room.
  while (!coupons_.empty() && coupons_.front().due_day <= day) {
    const Coupon k = coupons_.front();
    coupons_.pop_front();
    if (!eligible(k.person, day, w) || full(department_slot(w, k.person))) continue;
    interview(k.person, day, step, k.wave, k.recruiter, -1, w, net, c, key);
  }
  // Everyone interviewed today hands out her coupons to women she knows.
  for (std::size_t i = first_new; i < result_.respondents.size(); ++i) {
    const Respondent& r = result_.respondents[i];
    if (r.wave >= design.max_waves) continue;
    Draws d = survey_draws(key, Stream::survey_sampling, step, index_,
                           w.people.draw_key[r.person] ^ 0x80000000u);
    std::vector<PersonId> known;
    for (const PersonId q : net.ties(r.person))
      if (eligible(q, day, w) && !reached_.count(q)) known.push_back(q);
    std::sort(known.begin(), known.end(),
              [&](PersonId a, PersonId b) { return w.people.draw_key[a] < w.people.draw_key[b]; });
    for (std::int64_t k = 0; k < design.coupons; ++k) {
      const double u_use = d.uniform();
      const double u_who = d.uniform();
      if (known.empty() || u_use >= design.coupon_use_probability) continue;
      const auto at = static_cast<std::size_t>(u_who * static_cast<double>(known.size()));
      const PersonId q = known[at];
      known.erase(known.begin() + static_cast<std::ptrdiff_t>(at));
      reached_.insert(q);
      const auto wait = static_cast<std::int32_t>(std::max(1.0, std::round(design.days_per_wave)));
      coupons_.push_back(Coupon{day + wait, q, static_cast<std::int32_t>(i), r.wave + 1});
    }
  }
}

void SurveyFieldwork::field(std::int32_t day, std::int32_t step_days, std::uint32_t step,
                            const World& w, const Acquaintances& net, const CoercionSpec& coercion,
                            const RandomKey& key) {
  if (result_.done || day < spec_.start.days) return;
  if (day > spec_.end.days) {
    estimate(w, key);
    return;
  }
  // With steps of several days, fieldwork starts on the first step on or after its start.
  if (first_day_ < 0) first_day_ = day;
  step_days_ = step_days;
  // Ground truth over the survey population, each fieldwork day.
  std::int64_t women = 0, trafficked = 0;
  std::vector<std::int64_t> w_by(w.departments.size()), t_by(w.departments.size());
  for (std::uint16_t s = 0; s < w.sites.size(); ++s) {
    if (!site_in_scope_[s]) continue;
    for (const PersonId p : net.women_at(s)) {
      if (!eligible(p, day, w)) continue;
      const bool t = w.people.status[p] == Status::exploited;
      ++women;
      trafficked += t ? 1 : 0;
      const auto dept = static_cast<std::size_t>(w.sites[s].department);
      ++w_by[dept];
      t_by[dept] += t ? 1 : 0;
    }
  }
  if (day == first_day_) {
    result_.population_size = women;
    result_.population_by_department = w_by;
  }
  if (women > 0) {
    truth_sum_ += static_cast<double>(trafficked) / static_cast<double>(women);
    ++truth_days_;
  }
  for (std::size_t k = 0; k < w_by.size(); ++k)
    if (w_by[k] > 0) {
      truth_sum_by_department_[k] += static_cast<double>(t_by[k]) / static_cast<double>(w_by[k]);
      ++truth_days_by_department_[k];
    }
  switch (spec_.design.type) {
    case DesignType::random:
      field_random(day, step, w, net, coercion, key);
      break;
    case DesignType::venue:
      field_venue(day, step, w, net, coercion, key);
      break;
    case DesignType::rds:
      field_rds(day, step, w, net, coercion, key);
      break;
  }
  if (day + step_days > spec_.end.days) estimate(w, key);  // its last step
}

void SurveyFieldwork::estimate(const World& w, const RandomKey& key) {
  result_.done = true;
  result_.truth = truth_days_ > 0 ? truth_sum_ / static_cast<double>(truth_days_) : kNaN;
  for (std::size_t k = 0; k < truth_days_by_department_.size(); ++k)
    if (truth_days_by_department_[k] > 0)
      result_.truth_by_department[k] =
          truth_sum_by_department_[k] / static_cast<double>(truth_days_by_department_[k]);
  const auto& all = result_.respondents;
  // Scopes: every respondent (-1), then each department that has respondents.
  std::vector<std::int32_t> scopes{-1};
  for (std::int32_t dept = 0; dept < static_cast<std::int32_t>(w.departments.size()); ++dept)
    if (std::any_of(all.begin(), all.end(),
                    [&](const Respondent& r) { return r.department == dept; }))
      scopes.push_back(dept);
  const int replicates = static_cast<int>(spec_.bootstrap_replicates);
  const double level = spec_.confidence;
  // One task per scope, each with its own draws, run in parallel and stored in task order:
  // the same estimates on any number of threads. An RDS scope's estimators share its
  // tree-bootstrap replicates.
  struct Task {
    std::int32_t scope;
    stats::RdsSample sample;
    std::vector<std::int32_t> cluster;
    std::vector<stats::Estimate> results;
  };
  std::vector<Task> tasks;
  for (const std::int32_t scope : scopes) {
    // The scope's respondents; recruiters outside it count as seeds.
    std::vector<std::int32_t> index_in_scope(all.size(), -1);
    Task task{scope, {}, {}, {}};
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (scope >= 0 && all[i].department != scope) continue;
      index_in_scope[i] = static_cast<std::int32_t>(task.sample.size());
      const auto rec = all[i].recruiter;
      task.sample.recruiter.push_back(rec >= 0 ? index_in_scope[static_cast<std::size_t>(rec)]
                                               : -1);
      task.sample.degree.push_back(static_cast<double>(all[i].reported_degree));
      task.sample.trait.push_back(all[i].classified);
      task.cluster.push_back(all[i].cluster);
    }
    if (task.sample.size() > 0) tasks.push_back(std::move(task));
  }
  tbb::parallel_for(std::size_t{0}, tasks.size(), [&](std::size_t t) {
    Task& task = tasks[t];
    const auto& sample = task.sample;
    const auto scope_key = static_cast<std::uint32_t>(task.scope + 1);
    Draws d = survey_draws(key, Stream::survey_bootstrap, 0, index_, scope_key);
    if (spec_.design.type == DesignType::random) {
      task.results = {stats::iid_bootstrap(sample.trait, d, replicates, level)};
      return;
    }
    if (spec_.design.type == DesignType::venue) {
      task.results = {stats::cluster_bootstrap(sample.trait, task.cluster, d, replicates, level)};
      return;
    }
    // Successive sampling needs the size of the population the scope samples from. The
    // inclusion probabilities are estimated once, from the whole sample; each bootstrap
    // replicate reweights its respondents with them (re-estimating them per replicate would
    // cost a full successive-sampling simulation each time).
    const double population = static_cast<double>(
        task.scope < 0 ? result_.population_size
                       : result_.population_by_department[static_cast<std::size_t>(task.scope)]);
    Draws ss_draws = survey_draws(key, Stream::survey_bootstrap, 1, index_, scope_key);
    const auto ss = stats::successive_sampling_detail(
        sample, std::max(population, static_cast<double>(sample.size())), ss_draws);
    // Each respondent's weight, 1 / pi, looked up through a replicate's `source`.
    std::vector<double> weight(sample.size());
    for (std::size_t i = 0; i < sample.size(); ++i) {
      if (!(ss.inclusion[i] > 0.0) || !std::isfinite(ss.inclusion[i]))
        throw InvariantError("successive sampling gave respondent " + std::to_string(i) +
                             " an inclusion probability of " + std::to_string(ss.inclusion[i]));
      weight[i] = 1.0 / ss.inclusion[i];
    }
    const std::vector<stats::RdsEstimator> estimators = {
        [](const stats::RdsSample& s) { return stats::sample_proportion(s.trait); },
        [](const stats::RdsSample& s) { return stats::rds_i(s); },
        [](const stats::RdsSample& s) { return stats::rds_ii(s); },
        [&](const stats::RdsSample& s) {
          // The Hajek estimate: the weighted proportion with weights 1 / pi.
          double weighted_with_trait = 0.0;
          double total_weight = 0.0;
          for (std::size_t i = 0; i < s.size(); ++i) {
            const double respondent_weight =
                weight[s.source.empty() ? i : static_cast<std::size_t>(s.source[i])];
            total_weight += respondent_weight;
            if (s.trait[i] != 0) weighted_with_trait += respondent_weight;
          }
          return total_weight > 0.0 ? weighted_with_trait / total_weight
                                    : std::numeric_limits<double>::quiet_NaN();
        }};
    task.results = stats::rds_bootstrap(sample, estimators, d, replicates, level);
  });
  const std::vector<const char*> names =
      spec_.design.type == DesignType::rds
          ? std::vector<const char*>{"sample", "rds_i", "rds_ii", "ss"}
          : std::vector<const char*>{"sample"};
  for (const Task& task : tasks)
    for (std::size_t k = 0; k < task.results.size(); ++k) {
      const auto& e = task.results[k];
      result_.estimates.push_back(
          SurveyEstimate{names[k], task.scope, e.value, e.lo, e.hi, e.design_effect});
    }
}

}  // namespace tipsim::model
