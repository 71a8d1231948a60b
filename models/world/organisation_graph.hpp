#pragma once
/// The trafficking organisation as a graph (Boost.Graph): positions held now are vertices,
/// supply ties between them are edges. Used to aim network disruption by centrality.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "models/world/world.hpp"

namespace tipsim::model {

enum class Centrality : std::uint8_t { betweenness, degree };

/// Vertex v is houses[v] for v < houses, then recruiters, then transporters. A vertex whose
/// position is vacant, or whose holder is not active, has no ties.
struct OrganisationGraph {
  std::size_t vertices = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  std::vector<PersonId> holder;  ///< per vertex, kNoPerson when not held by an active member
};

OrganisationGraph organisation_graph(const World& w);

/// Centrality of every vertex: Brandes betweenness (unnormalised, each unordered pair
/// counted once) or degree.
std::vector<double> centrality(const OrganisationGraph& g, Centrality kind);

}  // namespace tipsim::model
