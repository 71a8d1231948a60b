#include "sim/h5/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include "sim/error.hpp"

namespace tipsim::h5 {
namespace {

// Distinguishes several outputs of one process that share a final path.
std::atomic<std::uint64_t> next_counter{0};

/// The temporaries not yet committed or discarded, for the signal handler to remove: a
/// fixed table of C strings, so that the handler touches only memory it may (unlink and
/// atomics are async-signal-safe; allocation is not).
constexpr std::size_t kSlots = 64;
constexpr std::size_t kPathBytes = 4096;
char pending_paths[kSlots][kPathBytes];
std::atomic<bool> slot_used[kSlots];

extern "C" void remove_temporaries_and_die(int sig) {
  for (std::size_t i = 0; i < kSlots; ++i)
    if (slot_used[i].load()) ::unlink(pending_paths[i]);
  // Die of the same signal, as the shell and the parent expect.
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

/// Installs the handler for the signals a user or a scheduler sends to stop a job, unless
/// the program ignores one (nohup's SIGHUP stays ignored).
void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
      struct sigaction action {};
      action.sa_handler = remove_temporaries_and_die;
      sigemptyset(&action.sa_mask);
      ::sigaction(sig, &action, nullptr);
    }
  });
}

/// Slot the temporary at `path` now holds, or kSlots when the table is full (then a signal
/// leaves it behind, as before).
std::size_t register_temporary(const std::filesystem::path& path) {
  install_handlers();
  const std::string text = path.string();
  if (text.size() >= kPathBytes) return kSlots;
  for (std::size_t i = 0; i < kSlots; ++i) {
    bool expected = false;
    // Claimed before filled: the handler may see a half-written path for an instant, which
    // at worst fails to unlink.
    if (slot_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(pending_paths[i], text.c_str(), text.size() + 1);
      return i;
    }
  }
  return kSlots;
}

void unregister_temporary(std::size_t slot) {
  if (slot < kSlots) slot_used[slot].store(false);
}

/// Every (temporary, final) pair of the process, for messages: a few per command.
std::mutex names_mutex;
std::vector<std::pair<std::string, std::string>> temporary_names;

void remember_name(const std::filesystem::path& temporary, const std::filesystem::path& final) {
  const std::lock_guard lock(names_mutex);
  temporary_names.emplace_back(temporary.string(), final.string());
}

}  // namespace

namespace {

/// What kind of thing a path holds, in words, for a message.
std::string kind_of(const std::filesystem::file_status& status) {
  using std::filesystem::file_type;
  switch (status.type()) {
    case file_type::directory:
      return "a folder";
    case file_type::character:
      return "a character device";
    case file_type::block:
      return "a block device";
    case file_type::fifo:
      return "a named pipe";
    case file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

// Longest file name most filesystems take (NAME_MAX of Linux's).
constexpr std::size_t kMaxNameBytes = 255;

}  // namespace

AtomicOutput::AtomicOutput(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
  if (final_path_.filename().empty() || final_path_.filename() == "." ||
      final_path_.filename() == "..") {
    throw IoError(final_path_.string() + ": output path names no file");
  }
  std::error_code error;
  // The final rename would replace whatever is there: a device node, a pipe or a folder must
  // not be (as root, `-o /dev/null` would otherwise turn /dev/null into an HDF5 file).
  const auto status = std::filesystem::status(final_path_, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw IoError(final_path_.string() + ": exists and is " + kind_of(status) +
                  "; the output must be a regular file or not exist yet");
  }
  const std::string name = final_path_.filename().string();
  if (name.size() > kMaxNameBytes) {
    throw IoError(final_path_.string() + ": the file name is " + std::to_string(name.size()) +
                  " bytes long; file systems take at most " + std::to_string(kMaxNameBytes));
  }
  const std::filesystem::path directory =
      final_path_.has_parent_path() ? final_path_.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(directory, error)) {
    throw IoError(final_path_.string() + ": output directory " + directory.string() +
                  " does not exist");
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    throw IoError(final_path_.string() + ": cannot write in the output directory " +
                  directory.string() + " (" + std::strerror(errno) + ")");
  }
  const std::string suffix = ".tmp-" + std::to_string(static_cast<long long>(::getpid())) + "-";
  // The temporary's name must fit too: a legal 250-byte name plus the suffix would not, so
  // the name is shortened (the temporary is never seen under it for long).
  const std::string base =
      name.substr(0, std::min(name.size(), kMaxNameBytes - suffix.size() - 20)) + suffix;
  // A leftover of a crashed run with a recycled pid must not be reused or deleted.
  do {
    temp_path_ = directory / (base + std::to_string(next_counter.fetch_add(1)));
  } while (std::filesystem::exists(temp_path_, error));
  // Ctrl-C, SIGTERM or SIGHUP while the output is written must not leave it behind.
  signal_slot_ = register_temporary(temp_path_);
  remember_name(temp_path_, final_path_);
}

AtomicOutput::~AtomicOutput() {
  discard();
}

AtomicOutput::AtomicOutput(AtomicOutput&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      temp_path_(std::exchange(other.temp_path_, {})),
      committed_(other.committed_),
      signal_slot_(std::exchange(other.signal_slot_, kNoSlot)) {}

AtomicOutput& AtomicOutput::operator=(AtomicOutput&& other) noexcept {
  if (this != &other) {
    discard();
    final_path_ = std::move(other.final_path_);
    temp_path_ = std::exchange(other.temp_path_, {});
    committed_ = other.committed_;
    signal_slot_ = std::exchange(other.signal_slot_, kNoSlot);
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
  unregister_temporary(std::exchange(signal_slot_, kNoSlot));
  const auto dir =
      final_path_.parent_path().empty() ? std::filesystem::path(".") : final_path_.parent_path();
  (void)sync_path(dir, O_RDONLY | O_DIRECTORY);  // best effort: some filesystems refuse
}

std::string in_user_terms(std::string message) {
  const std::lock_guard lock(names_mutex);
  for (const auto& [temporary, final] : temporary_names) {
    for (auto at = message.find(temporary); at != std::string::npos;
         at = message.find(temporary, at + final.size()))
      message.replace(at, temporary.size(), final);
  }
  return message;
}

void refuse_overwriting_inputs(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs) {
  for (const auto& input : inputs) {
    std::error_code error;
    if (std::filesystem::equivalent(output, input, error) && !error) {
      throw IoError(output.string() + ": this command reads that file (" + input.string() +
                    "); write the output elsewhere");
    }
  }
}

void AtomicOutput::discard() noexcept {
  if (committed_ || temp_path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
  unregister_temporary(std::exchange(signal_slot_, kNoSlot));
}

}  // namespace tipsim::h5
