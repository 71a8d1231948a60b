#pragma once
// Shared by the fuzz targets of the readers and their corpus replay: what counts as a clean
// answer (tipsim's own errors), and the input bytes as a file for the readers of HDF5 files.
//
// Each target defines LLVMFuzzerTestOneInput. An input may succeed or end in tipsim::Error
// (a clear message); anything else escaping it (another exception, a crash, a sanitizer
// report, an allocation past libFuzzer's limit, a hang) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/error.hpp"

namespace tipsim::fuzz {

/// A file of the source tree (scenarios, targets) the targets read beside the input.
inline std::string source_path(std::string_view relative) {
  return std::string(TIPSIM_SOURCE_DIR) + "/" + std::string(relative);
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

/// Runs `read`; tipsim's own errors are the clean answer to a bad input.
template <class Read>
int guarded(Read&& read) {
  try {
    read();
  } catch (const tipsim::Error&) {
    // Refused with a message: fine.
  }
  return 0;
}

/// The input written to one file per process (in /dev/shm when there is one), for readers
/// that take a path. Replaced by every input, removed at exit.
class InputFile {
 public:
  InputFile() {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? "/dev/shm"
                                          : std::filesystem::temp_directory_path();
    path_ = (dir / ("tipsim-fuzz-" + std::to_string(::getpid()) + ".h5")).string();
  }
  ~InputFile() { std::remove(path_.c_str()); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace tipsim::fuzz
