#pragma once
/// Virtual surveys as scenario data: who is surveyed, when, by which design, and through
/// which instrument. Read by scenario/surveys.cpp, fielded by surveys/survey.cpp.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/date.hpp"

namespace tipsim::model {

/// Ties among women at the sites (the network respondent-driven sampling walks).
struct AcquaintanceSpec {
  double ties_free = 0;         ///< mean ties a woman not controlled forms on arrival
  double ties_trafficked = 0;   ///< mean ties a controlled woman forms on arrival
  double same_site_share = 0;   ///< of her ties, with women of her own site
  double same_house_share = 0;  ///< of a controlled woman's own-site ties, with housemates
};

/// What a respondent's history holds, as an interview asks it.
enum class Indicator : std::uint8_t {
  deceptive_recruitment,
  debt_bondage,
  documents_confiscated,
  isolation,
  threats_or_violence,
  forced_to_continue,
  count_
};
inline constexpr std::size_t kIndicatorCount = static_cast<std::size_t>(Indicator::count_);
inline constexpr std::array<std::string_view, kIndicatorCount> kIndicatorNames = {
    "deceptive_recruitment", "debt_bondage",      "documents_confiscated", "isolation",
    "threats_or_violence",   "forced_to_continue"};

/// How often each hidden element of coercion is part of a controlled woman's situation (the
/// others follow from her state: recruitment, debt, control).
struct CoercionSpec {
  double documents_confiscated = 0;
  double isolation = 0;
  double threats_or_violence = 0;
};

struct IndicatorSpec {
  double sensitivity = 1;  ///< P(reported | true)
  double specificity = 1;  ///< P(not reported | not true)
};

/// Classifies a respondent from her reported indicators: trafficked when at least
/// `at_least` are reported and every `required` one is.
struct InstrumentSpec {
  std::array<IndicatorSpec, kIndicatorCount> indicators{};
  std::int64_t at_least = 0;
  std::vector<std::string> required;
};

enum class DesignType : std::uint8_t { rds, venue, random };

struct DesignSpec {
  DesignType type = DesignType::random;
  std::int64_t sample_size = 0;
  /// Per department, in the order declared; empty: one quota, sample_size.
  std::vector<std::pair<std::string, std::int64_t>> sample_size_by_department;
  // rds
  std::int64_t seeds = 0;
  std::string seed_selection;  ///< "random" or "largest_network"
  std::int64_t coupons = 0;
  double coupon_use_probability = 0;
  std::int64_t max_waves = 0;
  double days_per_wave = 0;
  double degree_report_cv = 0;     ///< multiplicative error of reported network size
  std::int64_t max_new_seeds = 0;  ///< seeds added when chains die before the quota
  // venue
  std::int64_t venue_visits = 0;
};

struct SurveySpec {
  std::string name;
  Date start;
  Date end;
  // Population surveyed.
  double age_min = 0;
  double age_max = 0;
  std::vector<std::string> departments;  ///< empty: all
  std::vector<std::string> sites;        ///< empty: all (with departments)
  InstrumentSpec instrument;
  DesignSpec design;
  std::int64_t bootstrap_replicates = 0;
  double confidence = 0;
};

}  // namespace tipsim::model
