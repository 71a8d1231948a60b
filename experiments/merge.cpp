#include "experiments/merge.hpp"

#include <filesystem>
#include <map>

#include "sim/ensemble/ensemble_file.hpp"
#include "sim/ensemble/journal.hpp"
#include "sim/error.hpp"

namespace tipsim::experiments {

MergeReport merge_parts(const MergeOptions& o) {
  if (o.parts.empty()) throw ConfigError("merge: no part files given");
  std::error_code ec;
  for (const auto& part : o.parts)
    if (std::filesystem::equivalent(part, o.out, ec))
      throw ConfigError("--out " + o.out + " is one of the parts; it would be overwritten");
  if (!o.overwrite && std::filesystem::exists(o.out, ec))
    throw IoError(o.out + " exists; choose another --out, or add --overwrite to replace it");
  std::optional<ensemble::EnsembleContents> first;
  std::map<std::uint64_t, std::string> owner;
  const std::string temp_journal = o.out + ".merge-journal";
  std::filesystem::remove(temp_journal, ec);
  std::optional<ensemble::Journal> journal;
  // The scratch journal goes, however the merge ends.
  struct Cleanup {
    std::optional<ensemble::Journal>& journal;
    ~Cleanup() {
      if (journal) journal->remove();
    }
  } cleanup{journal};
  for (const auto& part : o.parts) {
    auto contents = ensemble::read_ensemble_file(part);
    const std::vector<std::uint64_t> part_runs = contents.runs;
    if (!first) {
      first = std::move(contents);
      first->experiment.slice.reset();
      first->experiment.command_line = o.command_line;
      journal.emplace(temp_journal, first->fingerprint, /*durable=*/false);
    } else {
      if (contents.fingerprint != first->fingerprint)
        throw IoError(part + " comes from another experiment than " + o.parts.front() + " (" +
                      ensemble::fingerprint_difference(first->fingerprint, contents.fingerprint) +
                      ")");
      if (contents.experiment.plan.replicates != first->experiment.plan.replicates)
        throw IoError(part + " plans " + std::to_string(contents.experiment.plan.replicates) +
                      " replicates, " + o.parts.front() + " " +
                      std::to_string(first->experiment.plan.replicates));
    }
    for (const std::uint64_t run : part_runs) {
      const auto [it, added] = owner.emplace(run, part);
      if (!added)
        throw IoError("run " + std::to_string(run) + " is in both " + it->second + " and " + part +
                      ": parts must not overlap");
    }
    // One part's cell at a time in memory.
    ensemble::for_each_run(part, [&](ensemble::RunRow&& row) { journal->append(row); });
  }
  std::vector<std::uint64_t> runs;
  for (const auto& [run, part] : owner) runs.push_back(run);
  ensemble::write_ensemble_file(o.out, first->experiment, *journal, runs);
  return MergeReport{runs.size(), first->experiment.plan.runs()};
}

}  // namespace tipsim::experiments
