// Centrality of the organisation network against closed forms.
#include "models/world/organisation_graph.hpp"

#include <gtest/gtest.h>

namespace tipsim::model {
namespace {

OrganisationGraph graph(std::size_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>> ties) {
  OrganisationGraph g;
  g.vertices = n;
  g.ties = std::move(ties);
  g.holder.assign(n, 0);
  return g;
}

TEST(OrganisationGraph, BetweennessOfAPath) {
  // 0-1-2-3-4: vertex k lies on k * (4 - k) shortest paths between other pairs.
  const auto score =
      centrality(graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}), Centrality::betweenness);
  EXPECT_EQ(score, (std::vector<double>{0, 3, 4, 3, 0}));
}

TEST(OrganisationGraph, BetweennessOfAStarAndDegree) {
  // The hub of a star with 4 leaves is on all C(4,2) = 6 leaf-to-leaf paths.
  const auto g = graph(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  EXPECT_EQ(centrality(g, Centrality::betweenness), (std::vector<double>{6, 0, 0, 0, 0}));
  EXPECT_EQ(centrality(g, Centrality::degree), (std::vector<double>{4, 1, 1, 1, 1}));
}

TEST(OrganisationGraph, SplitShortestPathsShareTheCredit) {
  // A 4-cycle 0-1-2-3-0: 0 and 2 are joined by two shortest paths, via 1 and via 3.
  const auto score =
      centrality(graph(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}}), Centrality::betweenness);
  EXPECT_EQ(score, (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
}

}  // namespace
}  // namespace tipsim::model
