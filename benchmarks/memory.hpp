#pragma once
// Memory of this process as Linux reports it (/proc/self/status), for the benchmarks.
#include <fstream>
#include <string>

namespace tipsim::bench {

/// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or 0 where it cannot be read.
inline double status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == field + ":") {
      in >> value;
      return value;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

/// Resets VmHWM to the current RSS (Linux 4.0+), so the peak seen afterwards belongs to the
/// benchmark that asked and not to whichever ran before it in the same process.
inline bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

/// The peak resident memory gained since construction: the peak is reset when this is made,
/// and what was resident then is subtracted. Where the peak cannot be reset, the resident
/// set now stands in for it.
class PeakMemory {
 public:
  PeakMemory() : reset_(reset_peak_rss()), before_kib_(status_kib("VmRSS")) {}
  [[nodiscard]] double peak_kib() const {
    const double peak = reset_ ? status_kib("VmHWM") : 0.0;
    return (peak > 0 ? peak : status_kib("VmRSS")) - before_kib_;
  }
  [[nodiscard]] double peak_mib() const { return peak_kib() / 1024.0; }
  [[nodiscard]] double before_kib() const { return before_kib_; }
  [[nodiscard]] bool exact() const { return reset_; }

 private:
  bool reset_;
  double before_kib_;
};

/// `tipsim_benchmark --peak-of PROGRAM ARGS...`: runs PROGRAM and prints its peak resident
/// memory in KiB (goals_benchmark.cpp).
int peak_of_main(int argc, char** argv);

}  // namespace tipsim::bench
