#include "sim/h5/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>

#include "sim/error.hpp"

namespace tipsim::h5 {
namespace {

// Distinguishes several outputs of one process that share a final path.
std::atomic<std::uint64_t> next_counter{0};

}  // namespace

AtomicOutput::AtomicOutput(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
  if (final_path_.filename().empty()) {
    throw IoError(final_path_.string() + ": output path names no file");
  }
  const std::filesystem::path directory =
      final_path_.has_parent_path() ? final_path_.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw IoError(final_path_.string() + ": output directory " + directory.string() +
                  " does not exist");
  }
  const std::string base = final_path_.filename().string() + ".tmp-" +
                           std::to_string(static_cast<long long>(::getpid())) + "-";
  // A leftover of a crashed run with a recycled pid must not be reused or deleted.
  do {
    temp_path_ = directory / (base + std::to_string(next_counter.fetch_add(1)));
  } while (std::filesystem::exists(temp_path_, error));
}

AtomicOutput::~AtomicOutput() {
  discard();
}

AtomicOutput::AtomicOutput(AtomicOutput&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      temp_path_(std::exchange(other.temp_path_, {})),
      committed_(other.committed_) {}

AtomicOutput& AtomicOutput::operator=(AtomicOutput&& other) noexcept {
  if (this != &other) {
    discard();
    final_path_ = std::move(other.final_path_);
    temp_path_ = std::exchange(other.temp_path_, {});
    committed_ = other.committed_;
  }
  return *this;
}

namespace {

/// fsync of a file or directory; false when it cannot be done.
bool sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const int synced = ::fsync(fd);
  ::close(fd);
  return synced == 0;
}

}  // namespace

void AtomicOutput::commit() {
  if (committed_) throw IoError(final_path_.string() + ": output already committed");
  std::error_code error;
  if (!std::filesystem::exists(temp_path_, error)) {
    throw IoError(final_path_.string() + ": temporary output " + temp_path_.string() +
                  " was never written");
  }
  // On disk before it takes the final name, and the name on disk before anyone relies on
  // it (an experiment deletes its journal next): a power loss leaves the old file or the
  // whole new one.
  if (!sync_path(temp_path_, O_RDONLY))
    throw IoError(final_path_.string() + ": cannot write " + temp_path_.string() + " to disk");
  std::filesystem::rename(temp_path_, final_path_, error);
  if (error) {
    throw IoError(final_path_.string() + ": cannot rename " + temp_path_.string() + ": " +
                  error.message());
  }
  committed_ = true;
  const auto dir =
      final_path_.parent_path().empty() ? std::filesystem::path(".") : final_path_.parent_path();
  (void)sync_path(dir, O_RDONLY | O_DIRECTORY);  // best effort: some filesystems refuse
}

void AtomicOutput::discard() noexcept {
  if (committed_ || temp_path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

}  // namespace tipsim::h5
