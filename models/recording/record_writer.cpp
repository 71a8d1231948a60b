#include "models/recording/record_writer.hpp"

#include <algorithm>
#include <string>

#include "sim/h5/h5.hpp"

namespace tipsim::model {
namespace {

using h5::DatasetOptions;

std::string total_unit(std::size_t t) {
  const std::string_view name = kTotalNames[t];
  if (name.ends_with("_fcfa")) return "FCFA";
  if (name == "victim_days_exploited") return "person-days";
  if (name == "clients_served") return "clients";
  if (name == "houses_open" || name == "madams_active") return "houses";
  return "persons";
}

std::string intervention_unit(std::string_view name) {
  if (name == "spend_fcfa") return "FCFA";
  if (name == "active") return "1";
  return "count";
}

}  // namespace

h5::CompoundType event_compound_type() {
  h5::CompoundType type(sizeof(Event));
  TIPSIM_H5_MEMBER(type, Event, day);
  TIPSIM_H5_MEMBER(type, Event, type);
  TIPSIM_H5_MEMBER(type, Event, person);
  TIPSIM_H5_MEMBER(type, Event, place);
  TIPSIM_H5_MEMBER(type, Event, other);
  TIPSIM_H5_MEMBER(type, Event, value_fcfa);
  return type;
}

namespace {

void write_snapshot(h5::Group& snapshots, const Snapshot& s) {
  auto d = snapshots.create_group(s.date.iso());
  const auto opt = DatasetOptions{}.with_chunk_rows(
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(s.person.size(), 65536)));
  d.write("person", s.person, {}, opt);
  d.write("role", s.role, {}, opt);
  d.write("status", s.status, {}, opt);
  d.write("nationality", s.nationality, {}, opt);
  d.write("place", s.place, {}, opt);
  d.write("home", s.home, {}, opt);
  d.write("age_years", s.age_years, {}, opt.with_unit("years"));
  d.write("house", s.house, {}, opt);
  d.write("debt_fcfa", s.debt_fcfa, {}, opt.with_unit("FCFA"));
}

}  // namespace

RecordWriter::RecordWriter(h5::Group& root, std::size_t sites, std::size_t interventions,
                           std::uint64_t steps, std::uint64_t chunk_rows,
                           std::uint64_t ledger_chunk_rows, bool with_ledger)
    : sites_(sites),
      interventions_(interventions),
      timeseries_(root.create_group("timeseries")),
      by_site_group_(timeseries_.create_group("by_site")),
      interventions_group_(root.create_group("interventions")),
      date_(timeseries_.create_series<std::int32_t>(
          "date", 1,
          DatasetOptions{}.with_chunk_rows(chunk_rows).with_unit("days since 1970-01-01"))),
      demand_(by_site_group_.create_series<double>(
          "demand_clients_per_day", sites,
          DatasetOptions{}.with_chunk_rows(chunk_rows).with_unit("clients/day"), true)),
      gold_luck_(
          by_site_group_.create_series<double>("gold_luck", sites,
                                               DatasetOptions{}
                                                   .with_chunk_rows(chunk_rows)
                                                   .with_unit("1")
                                                   .with_description("multiplier of client demand"),
                                               true)) {
  const auto chunk = DatasetOptions{}.with_chunk_rows(chunk_rows);
  for (std::size_t t = 0; t < kTotalCount; ++t) {
    const bool stock = t < kFirstFlow;
    totals_.push_back(timeseries_.create_series<std::int64_t>(
        kTotalNames[t], 1,
        chunk.with_unit(total_unit(t))
            .with_description(stock ? "stock at the end of the step" : "flow over the step")));
  }
  for (std::size_t k = 0; k < kBySiteCount; ++k) {
    const std::string_view name = kBySiteNames[k];
    by_site_.push_back(by_site_group_.create_series<std::int64_t>(
        name, sites,
        chunk.with_unit(name.ends_with("_fcfa") ? "FCFA" : "persons")
            .with_description(k < kFirstSiteFlow ? "stock per site" : "flow per site"),
        true));
  }
  for (std::size_t k = 0; k < kInterventionSeriesCount; ++k) {
    const std::string_view name = kInterventionSeriesNames[k];
    const auto options =
        chunk.with_unit(intervention_unit(name)).with_description("per step and intervention");
    if (interventions == 0) {  // no column to append: the (steps, 0) shape is all there is
      interventions_group_.write(name, std::vector<std::int64_t>{}, {steps, 0}, options);
    } else {
      intervention_series_.push_back(
          interventions_group_.create_series<std::int64_t>(name, interventions, options, true));
    }
  }
  if (with_ledger) {
    auto events = root.create_group("events");
    const std::vector<std::string> names(kEventNames.begin(), kEventNames.end());
    events.write_strings("type_names", names);
    ledger_.emplace(events.create_table<Event>("ledger", event_compound_type(), ledger_chunk_rows));
    snapshots_.emplace(root.create_group("snapshots"));
    std::vector<std::string> statuses, roles{"woman", "recruiter", "transporter", "madam"};
    for (std::size_t s = 0; s < kStatusCount; ++s)
      statuses.push_back(to_string(static_cast<Status>(s)));
    snapshots_->write_strings("status_names", statuses);
    snapshots_->write_strings("role_names", roles);
  }
}

void RecordWriter::append(const RunRecord& r) {
  const std::size_t from = r.written_rows;
  const std::size_t rows = r.days.size() - from;
  date_.append_rows(std::span<const std::int32_t>(r.days).subspan(from));
  scratch_.resize(rows);
  for (std::size_t t = 0; t < kTotalCount; ++t) {
    for (std::size_t s = 0; s < rows; ++s) scratch_[s] = r.totals[(from + s) * kTotalCount + t];
    totals_[t].append_rows(scratch_);
  }
  // The record holds each step's by-site flows together; the file, one dataset per kind.
  scratch_.resize(rows * sites_);
  for (std::size_t k = 0; k < kBySiteCount; ++k) {
    for (std::size_t s = 0; s < rows; ++s)
      std::copy_n(r.by_site.begin() + static_cast<std::ptrdiff_t>((s * kBySiteCount + k) * sites_),
                  sites_, scratch_.begin() + static_cast<std::ptrdiff_t>(s * sites_));
    by_site_[k].append_rows(scratch_);
  }
  demand_.append_rows(r.site_demand);
  gold_luck_.append_rows(r.site_gold_luck);
  const std::size_t n = interventions_;
  scratch_.resize(rows * n);
  for (std::size_t k = 0; k < intervention_series_.size(); ++k) {
    for (std::size_t s = 0; s < rows; ++s)
      std::copy_n(r.interventions.begin() +
                      static_cast<std::ptrdiff_t>((s * kInterventionSeriesCount + k) * n),
                  n, scratch_.begin() + static_cast<std::ptrdiff_t>(s * n));
    intervention_series_[k].append_rows(scratch_);
  }
  if (ledger_) {
    ledger_->append(std::span<const Event>(r.events));
    for (const Snapshot& s : r.snapshots) write_snapshot(*snapshots_, s);
  }
}

}  // namespace tipsim::model
