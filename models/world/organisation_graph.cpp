#include "models/world/organisation_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>

namespace tipsim::model {

OrganisationGraph organisation_graph(const World& w) {
  OrganisationGraph g;
  const auto houses = static_cast<std::uint32_t>(w.houses.size());
  const auto recruiters = static_cast<std::uint32_t>(w.recruiters.size());
  g.vertices = houses + recruiters + w.transporters.size();
  g.holder.assign(g.vertices, kNoPerson);
  const auto active = [&](PersonId p) {
    return p != kNoPerson && w.people.status[p] == Status::active;
  };
  for (std::uint32_t h = 0; h < houses; ++h)
    if (!w.houses[h].closed && active(w.houses[h].madam)) g.holder[h] = w.houses[h].madam;
  for (std::uint32_t r = 0; r < recruiters; ++r)
    if (active(w.recruiters[r].holder)) g.holder[houses + r] = w.recruiters[r].holder;
  for (std::uint32_t t = 0; t < w.transporters.size(); ++t)
    if (active(w.transporters[t].holder))
      g.holder[houses + recruiters + t] = w.transporters[t].holder;
  const auto tie = [&](std::uint32_t a, std::uint32_t b) {
    if (g.holder[a] != kNoPerson && g.holder[b] != kNoPerson) g.ties.emplace_back(a, b);
  };
  for (std::uint32_t h = 0; h < houses; ++h)
    for (auto r : w.houses[h].recruiters) tie(h, houses + r);
  for (std::uint32_t r = 0; r < recruiters; ++r)
    for (auto t : w.recruiters[r].transporters) tie(houses + r, houses + recruiters + t);
  return g;
}

std::vector<double> centrality(const OrganisationGraph& g, Centrality kind) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Graph graph(g.vertices);
  for (const auto& [a, b] : g.ties) boost::add_edge(a, b, graph);
  std::vector<double> score(g.vertices, 0.0);
  if (kind == Centrality::degree) {
    for (std::size_t v = 0; v < g.vertices; ++v)
      score[v] = static_cast<double>(boost::degree(v, graph));
    return score;
  }
  boost::brandes_betweenness_centrality(
      graph, boost::centrality_map(boost::make_iterator_property_map(
                 score.begin(), boost::get(boost::vertex_index, graph))));
  return score;  // on an undirected graph Boost counts each unordered pair once
}

}  // namespace tipsim::model
