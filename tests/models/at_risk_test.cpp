// The at-risk women held as counts: their draws, their on-demand ties, their rows.
#include "models/world/at_risk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model_test_support.hpp"
#include "sim/error.hpp"

namespace tipsim::model {
namespace {

using testing::load_small;

TEST(AtRisk, TiesAreSymmetricWithinTheOriginAndAsManyAsTheScenarioSays) {
  const auto scenario = load_small();
  const World w = build_world(scenario.spec, RandomKey(3, 0));
  const RandomKey key(3, 0);
  ASSERT_EQ(w.origins.size(), 2u);
  std::vector<AtRiskIndex> ties, back;
  double degree_sum = 0.0;
  const Origin& edo = w.origins[0];
  for (AtRiskIndex v = edo.first_woman; v < edo.first_woman + edo.women; ++v) {
    at_risk_ties(w, key, v, ties);
    ASSERT_TRUE(std::is_sorted(ties.begin(), ties.end()));
    ASSERT_EQ(std::adjacent_find(ties.begin(), ties.end()), ties.end());
    degree_sum += static_cast<double>(ties.size());
    for (const AtRiskIndex tie : ties) {
      ASSERT_NE(tie, v);
      ASSERT_EQ(origin_of(w, tie), 0u);  // ties stay within the origin
      at_risk_ties(w, key, tie, back);
      ASSERT_TRUE(std::binary_search(back.begin(), back.end(), v)) << v << " - " << tie;
    }
  }
  // Each woman holds social_ties / 2 slots, each one tie: the mean degree is social_ties,
  // less the rare repeated or self ties.
  const double mean_degree = degree_sum / edo.women;
  const auto expected = static_cast<double>(2 * w.at_risk.ring_neighbours);
  EXPECT_GT(mean_degree, expected - 0.05);
  EXPECT_LE(mean_degree, expected);
}

TEST(AtRisk, RewiringMakesDistantTiesInProportion) {
  // With rewiring r, a share r of slots leaves the ring neighbourhood (Watts-Strogatz).
  for (const double rewiring : {0.0, 0.2}) {
    const auto scenario = load_small({"population.social_rewiring=" + std::to_string(rewiring)});
    const World w = build_world(scenario.spec, RandomKey(4, 0));
    const RandomKey key(4, 0);
    const Origin& edo = w.origins[0];
    std::vector<AtRiskIndex> ties;
    double distant = 0.0, all = 0.0;
    for (AtRiskIndex v = edo.first_woman; v < edo.first_woman + edo.women; ++v) {
      at_risk_ties(w, key, v, ties);
      for (const AtRiskIndex tie : ties) {
        const auto gap =
            std::min((tie + edo.women - v) % edo.women, (v + edo.women - tie) % edo.women);
        distant += gap > w.at_risk.ring_neighbours ? 1.0 : 0.0;
        all += 1.0;
      }
    }
    if (rewiring == 0.0) {
      EXPECT_EQ(distant, 0.0);
    } else {
      // Nearly every rewired tie lands far away, and it counts at both of its ends.
      EXPECT_NEAR(distant / all, rewiring, 0.02);
    }
  }
}

TEST(AtRisk, DrawsDependOnTheKeyAndTheIndexOnly) {
  const auto scenario = load_small();
  const World w = build_world(scenario.spec, RandomKey(5, 0));
  const RandomKey key(5, 0), other(6, 0);
  std::vector<AtRiskIndex> a, b, c;
  int differ = 0;
  for (AtRiskIndex v = 0; v < 50; ++v) {
    const AtRiskWoman first = draw_at_risk_woman(w, key, v);
    const AtRiskWoman again = draw_at_risk_woman(w, key, v);
    EXPECT_EQ(first.birth_day, again.birth_day);
    EXPECT_EQ(first.flags, again.flags);
    at_risk_ties(w, key, v, a);
    at_risk_ties(w, key, v, b);
    at_risk_ties(w, other, v, c);
    EXPECT_EQ(a, b);
    differ += a != c ? 1 : 0;
  }
  EXPECT_GT(differ, 0);
  // Births spread over the origin's range in index order.
  const Origin& edo = w.origins[0];
  EXPECT_LT(draw_at_risk_woman(w, key, edo.first_woman).birth_day,
            draw_at_risk_woman(w, key, edo.first_woman + edo.women - 1).birth_day);
  EXPECT_THROW((void)origin_of(w, w.at_risk_women), InvariantError);
}

TEST(AtRisk, AWomanWithARowIsTheWomanAsDrawn) {
  // The row made when recruitment reached her holds the attributes her index draws.
  const auto scenario = load_small();
  Simulation sim(scenario.spec, 7);
  for (int i = 0; i < 200; ++i) sim.step();
  const World& w = sim.world();
  const RandomKey key(7, scenario.spec.simulation.replicate);
  int checked = 0;
  for (PersonId p = 0; p < w.people.size(); ++p) {
    if (!w.people.is_at_risk(p)) continue;
    const AtRiskIndex v = w.people.draw_key[p];
    const AtRiskWoman drawn = draw_at_risk_woman(w, key, v);
    EXPECT_EQ(w.people.birth_day[p], drawn.birth_day);
    EXPECT_EQ(w.people.home[p], w.origins[drawn.origin].place);
    // Recruitment adds marks; the drawn background stays.
    const std::uint8_t background = kPoverty | kChildhoodSexualViolence | kPartnerViolence;
    EXPECT_EQ(w.people.flags[p] & background, drawn.flags);
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace tipsim::model
