// The memory a scenario's run holds from its start, estimated from the scenario alone:
// each term grows with its scenario value, and the estimate is a lower bound of what
// building the run takes that is not far below it.
#include "models/world/memory_estimate.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "model_test_support.hpp"
#include "models/step/simulation.hpp"
#include "sim/memory.hpp"

namespace tipsim::model {
namespace {

using testing::load_small;

double estimate(const std::vector<std::string>& overrides) {
  return estimate_start_memory(load_small(overrides).spec).total_bytes();
}

const MemoryTerm* find_term(const MemoryEstimate& e, const std::string& key_start) {
  for (const auto& t : e.terms)
    if (t.key.rfind(key_start, 0) == 0) return &t;
  return nullptr;
}

TEST(MemoryEstimate, GrowsLinearlyWithEachPopulationOfTheStart) {
  for (const std::string key : {"places.Edo.recruiters", "places.Edo.transporters",
                                "places.Khossanto.houses", "places.Khossanto.initial_free_wecs"}) {
    const double a = estimate({key + "=1000"});
    const double b = estimate({key + "=2000"});
    const double c = estimate({key + "=3000"});
    EXPECT_GT(b, a) << key;
    EXPECT_NEAR(c - b, b - a, 1e-6 * c) << key;
  }
}

TEST(MemoryEstimate, ARecruiterHoldsHerContactsAndTheirTies) {
  const auto spec = load_small({"places.Edo.recruiters=1000000"}).spec;
  const auto e = estimate_start_memory(spec);
  ASSERT_FALSE(e.terms.empty());
  EXPECT_EQ(e.terms.front().key.rfind("places.Edo.recruiters", 0), 0u) << e.describe();
  // Contacts, their ties (2k each on the ring) and the offsets: the closed form of the bulk.
  const double contacts = static_cast<double>(spec.organisation.recruiter_contacts);
  const double ring = static_cast<double>(spec.population.social_ties / 2);
  const double lists = contacts * 4 + (contacts + 1) * 4 + contacts * 2 * ring * 4;
  EXPECT_GT(e.terms.front().bytes_each, lists + person_row_bytes(false));
  EXPECT_LT(e.terms.front().bytes_each, lists + person_row_bytes(false) + 1024);
  EXPECT_NE(e.describe().find("places.Edo.recruiters"), std::string::npos);
}

TEST(MemoryEstimate, AtRiskWomenAreCountsAndCostNothingAtTheStart) {
  // Only the women events reach get rows (models/world/at_risk.hpp): three billion at-risk
  // women need no more memory at the start than three thousand.
  EXPECT_EQ(estimate({"places.Edo.at_risk_women=3000"}),
            estimate({"places.Edo.at_risk_women=3000000000"}));
}

TEST(MemoryEstimate, ALongerHorizonNeedsMoreForTheCalendarAndTheRecord) {
  const auto e =
      estimate_start_memory(load_small({"simulation.start=1800-01-01", "simulation.end=2200-12-31",
                                        "observation.dates=[]", "observation.snapshot_dates=[]"})
                                .spec);
  const auto* steps = find_term(e, "simulation.start..end");
  ASSERT_NE(steps, nullptr);
  EXPECT_EQ(steps->count, 146462);
  EXPECT_GT(steps->bytes_each, static_cast<double>(kTotalCount * sizeof(std::int64_t)));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST(MemoryEstimate, IsALowerBoundOfWhatBuildingTheRunTakesAndNotFarBelow) {
  if (kAddressSanitizer) GTEST_SKIP() << "AddressSanitizer's redzones change every allocation";
  const auto loaded = load_small({"places.Edo.recruiters=100000", "places.Edo.transporters=200000",
                                  "places.Khossanto.initial_free_wecs=200000"});
  const double estimated = estimate_start_memory(loaded.spec).total_bytes();
  const auto before = memory::resident_bytes();
  ASSERT_GT(before, 0u);
  const auto sim = std::make_unique<Simulation>(loaded.spec, loaded.spec.simulation.seed);
  sim->step();
  const auto grown = static_cast<double>(memory::resident_bytes() - before);
  EXPECT_GT(grown, 0.9 * estimated) << "estimated " << estimated << " bytes";
  EXPECT_LT(grown, 2.0 * estimated) << "estimated " << estimated << " bytes";
}

}  // namespace
}  // namespace tipsim::model
