#include "sim/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

namespace tipsim::memory {
namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

std::uint64_t page_size() {
  const long size = sysconf(_SC_PAGE_SIZE);
  return size > 0 ? static_cast<std::uint64_t>(size) : 4096;
}

/// The first two fields of /proc/self/statm (pages): address space and resident set.
std::pair<std::uint64_t, std::uint64_t> statm_pages() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return {0, 0};
  return {size, resident};
}

/// A number of bytes read from a control group file; nothing for "max" or no file.
std::optional<std::uint64_t> read_cgroup_bytes(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() || text == "max") return std::nullopt;
  if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19)
    return std::nullopt;
  return std::stoull(text);
}

/// The smallest memory.max of this process's control group and the groups above it
/// (cgroup v2), or memory.limit_in_bytes (cgroup v1).
std::optional<std::uint64_t> cgroup_limit() {
  std::optional<std::uint64_t> best;
  const auto take = [&](std::optional<std::uint64_t> v) {
    if (v && (!best || *v < *best)) best = v;
  };
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) != 0) continue;
    std::string path = line.substr(3);
    while (true) {
      take(read_cgroup_bytes("/sys/fs/cgroup" + (path == "/" ? "" : path) + "/memory.max"));
      if (path.empty() || path == "/") break;
      const auto slash = path.rfind('/');
      path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
    }
  }
  take(read_cgroup_bytes("/sys/fs/cgroup/memory.max"));
  take(read_cgroup_bytes("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
  return best;
}

}  // namespace

std::vector<Limit> limits(std::optional<std::uint64_t> declared) {
  std::vector<Limit> out;
  const long pages = sysconf(_SC_PHYS_PAGES);
  std::uint64_t physical = kUnlimited;
  if (pages > 0) {
    physical = static_cast<std::uint64_t>(pages) * page_size();
    out.push_back({physical, "this machine's " + format_bytes(static_cast<double>(physical))});
  }
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    // What is mapped already (the program, its libraries, thread stacks) counts against it.
    const std::uint64_t mapped = statm_pages().first * page_size();
    const std::uint64_t limit = as.rlim_cur;
    const std::uint64_t left = limit > mapped ? limit - mapped : 0;
    out.push_back({left, "the " + format_bytes(static_cast<double>(left)) +
                             " left under the address-space limit (ulimit -v) of " +
                             format_bytes(static_cast<double>(limit))});
  }
  if (const auto group = cgroup_limit(); group && *group < physical)
    out.push_back(
        {*group, "the control group's memory.max of " + format_bytes(static_cast<double>(*group))});
  if (declared)
    out.push_back({*declared, "--max-memory " + format_bytes(static_cast<double>(*declared))});
  return out;
}

Limit tightest(std::optional<std::uint64_t> declared) {
  Limit best{kUnlimited, "no known limit"};
  for (auto& l : limits(declared))
    if (l.bytes < best.bytes) best = std::move(l);
  return best;
}

std::uint64_t resident_bytes() {
  return statm_pages().second * page_size();
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  const std::string number(text.substr(0, digits));
  if (number.empty() || number.front() == '.' || number.back() == '.' ||
      std::count(number.begin(), number.end(), '.') > 1)
    return std::nullopt;
  std::string unit(text.substr(digits));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double scale = 1;
  if (!unit.empty() && unit != "b") {
    const std::string_view units = "kmgtp";
    const auto at = units.find(unit.front());
    const std::string rest = unit.substr(1);
    if (at == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib"))
      return std::nullopt;
    scale = std::pow(1024.0, static_cast<double>(at + 1));
  }
  const double bytes = std::stod(number) * scale;
  if (!(bytes >= 1) || bytes > 9.2e18) return std::nullopt;
  return static_cast<std::uint64_t>(std::llround(bytes));
}

std::string format_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(static_cast<long long>(std::llround(bytes))) + " bytes";
  std::size_t unit = 0;
  bytes /= 1024;
  while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, bytes < 100 ? "%.1f %s" : "%.0f %s", bytes, kUnits[unit]);
  return text;
}

}  // namespace tipsim::memory
