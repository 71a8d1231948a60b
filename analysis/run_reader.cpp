#include "analysis/run_reader.hpp"

#include <cstddef>
#include <system_error>
#include <utility>

#include "analysis/summary.hpp"
#include "sim/file_problem.hpp"

namespace tipsim::analysis::detail {
namespace {

h5::File open_run_file(const std::filesystem::path& path) {
  if (const auto problem = file_problem(path)) throw IoError(path.string() + ": " + *problem);
  return h5::File::open_read(path);
}

}  // namespace

RunReader::RunReader(const std::filesystem::path& path)
    : name_(path.string()), file_(open_run_file(path)), root_(file_->root()) {}

RunReader::RunReader(const h5::Group& root, std::string name)
    : name_(std::move(name)), root_(root.open_group(".")) {}

void RunReader::require(std::string_view path) const {
  if (!root_.exists(path)) {
    throw IoError(name_ + ": /" + std::string(path) +
                  " is missing: not a tipsim run file, or an incomplete one");
  }
}

void RunReader::require_attribute(std::string_view name) const {
  if (!root_.has_attribute(name)) {
    throw IoError(name_ + ": root attribute '" + std::string(name) +
                  "' is missing: not a tipsim run file");
  }
}

void RunReader::require_schema_version() const {
  require_attribute("schema_version");
  const std::int64_t version = root_.int_attribute("schema_version");
  if (version < kOldestSchemaVersion || version > kNewestSchemaVersion) {
    throw IoError(name_ + ": output schema version " + std::to_string(version) +
                  ", this reader understands versions " + std::to_string(kOldestSchemaVersion) +
                  " to " + std::to_string(kNewestSchemaVersion) +
                  (version < kOldestSchemaVersion
                       ? " (rerun the scenario with this version of tipsim)"
                       : " (read it with a newer tipsim)"));
  }
}

Date RunReader::date_attribute(std::string_view name) const {
  require_attribute(name);
  const std::string text = root_.string_attribute(name);
  const auto date = Date::parse(text);
  if (!date) {
    throw IoError(name_ + ": root attribute '" + std::string(name) + "' is '" + text +
                  "', not a YYYY-MM-DD date");
  }
  return *date;
}

std::vector<std::int32_t> RunReader::read_days(std::string_view path) const {
  std::vector<std::int32_t> days = read_column<std::int32_t>(path);
  static const std::int32_t first = Date::from_ymd(0, 1, 1).days;
  static const std::int32_t last = Date::from_ymd(9999, 12, 31).days;
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (days[i] < first || days[i] > last) {
      throw IoError(name_ + ": /" + std::string(path) + " holds day " + std::to_string(days[i]) +
                    " (row " + std::to_string(i) +
                    "), not a date from year 0 to 9999: a damaged or crafted file");
    }
  }
  return days;
}

void RunReader::add(std::int64_t& total, std::int64_t value, std::string_view path) const {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(total, value, &sum) || sum > kLargestTotal || sum < -kLargestTotal) {
    throw IoError(name_ + ": /" + std::string(path) +
                  ": values sum past 2^60 (about 1.2e18): a damaged or crafted file");
  }
  total = sum;
}

std::vector<std::string> RunReader::read_strings(std::string_view path) const {
  require(path);
  return root_.read_strings(path);
}

std::vector<std::string> RunReader::read_strings(std::string_view path, std::uint64_t rows) const {
  require(path);
  const std::vector<std::uint64_t> dims = root_.dims(path);
  if (dims != std::vector<std::uint64_t>{rows}) {
    throw IoError(name_ + ": /" + std::string(path) + " has shape " + shape_text(dims) +
                  ", expected " + shape_text({rows}));
  }
  return root_.read_strings(path);
}

std::string RunReader::shape_text(const std::vector<std::uint64_t>& dims) {
  std::string text = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(dims[i]);
  }
  return text + (dims.size() == 1 ? ",)" : ")");
}

}  // namespace tipsim::analysis::detail
