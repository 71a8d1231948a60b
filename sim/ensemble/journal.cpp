#include "sim/ensemble/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/ensemble/experiment.hpp"
#include "sim/error.hpp"

namespace tipsim::ensemble {
namespace {

constexpr std::string_view kMagic = "TIPSIM-JOURNAL-1\n";
constexpr std::uint32_t kRecordMark = 0x52554E31;  // "RUN1"
constexpr std::size_t kRecordHeader = 4 + 8 + 8;

std::string system_error(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + " (" + std::strerror(errno) + ")";
}

bool read_exact(int fd, std::uint64_t offset, void* out, std::size_t n) {
  auto* p = static_cast<char*>(out);
  while (n > 0) {
    const ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (got <= 0) return false;
    p += got;
    offset += static_cast<std::uint64_t>(got);
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

void write_all(int fd, const std::filesystem::path& path, std::uint64_t offset,
               std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t put = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (put < 0) {
      if (errno == EINTR) continue;
      throw IoError(system_error(path, "cannot write the experiment journal"));
    }
    bytes.remove_prefix(static_cast<std::size_t>(put));
    offset += static_cast<std::uint64_t>(put);
  }
}

template <class T>
void append_raw(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

Journal::Journal(std::filesystem::path path, std::string fingerprint, bool durable)
    : path_(std::move(path)), durable_(durable) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(system_error(path_, "cannot open the experiment journal"));
  // One writer at a time: a second command on the same output would interleave records.
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw IoError(path_.string() +
                  " is in use by another tipsim process writing the same output; wait for it "
                  "to finish or stop it");
  }
  try {
    scan(fingerprint);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::scan(const std::string& fingerprint) {
  std::string header(kMagic);
  append_raw<std::uint64_t>(header, fingerprint.size());
  header += fingerprint;
  append_raw<std::uint64_t>(header, fnv1a64(fingerprint));
  const off_t size = ::lseek(fd_, 0, SEEK_END);
  if (size < 0) throw IoError(system_error(path_, "cannot read the experiment journal"));
  // A journal shorter than its header was cut off while it was being created: start anew.
  std::string existing(std::min<std::uint64_t>(static_cast<std::uint64_t>(size), header.size()),
                       '\0');
  if (!existing.empty() && !read_exact(fd_, 0, existing.data(), existing.size()))
    throw IoError(system_error(path_, "cannot read the experiment journal"));
  if (existing.size() < header.size() && header.compare(0, existing.size(), existing) == 0) {
    if (::ftruncate(fd_, 0) != 0) throw IoError(system_error(path_, "cannot reset the journal"));
    write_all(fd_, path_, 0, header);
    if (::fdatasync(fd_) != 0) throw IoError(system_error(path_, "cannot sync the journal"));
    // The new file's name on disk too, or a power loss could take the whole journal.
    const auto dir = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
      (void)::fsync(dfd);
      ::close(dfd);
    }
    end_ = header.size();
    return;
  }
  if (existing != header) {
    // Say what differs when the other header can be read.
    std::string other;
    std::uint64_t length = 0;
    if (static_cast<std::uint64_t>(size) >= kMagic.size() + 8 &&
        read_exact(fd_, kMagic.size(), &length, 8) &&
        length <= static_cast<std::uint64_t>(size) - kMagic.size() - 8) {
      other.resize(length);
      if (!read_exact(fd_, kMagic.size() + 8, other.data(), length)) other.clear();
    }
    const std::string diff = other.empty() ? "" : ": " + fingerprint_difference(fingerprint, other);
    throw IoError(path_.string() + " holds the unfinished runs of another experiment" + diff +
                  ". Rerun that experiment's command to finish it, or delete " +
                  path_.filename().string() + " to start this one");
  }
  std::uint64_t offset = header.size();
  while (true) {
    char head[kRecordHeader];
    if (!read_exact(fd_, offset, head, kRecordHeader)) break;
    std::uint32_t mark = 0;
    std::uint64_t length = 0, checksum = 0;
    std::memcpy(&mark, head, 4);
    std::memcpy(&length, head + 4, 8);
    std::memcpy(&checksum, head + 12, 8);
    if (mark != kRecordMark || length > static_cast<std::uint64_t>(size) - offset) break;
    std::string payload(length, '\0');
    if (!read_exact(fd_, offset + kRecordHeader, payload.data(), length)) break;
    if (fnv1a64(payload) != checksum) break;
    RunRow row;
    try {
      row = deserialize(payload);
    } catch (const std::exception&) {
      break;
    }
    index_[row.run] = offset;
    if (row.failed)
      failed_.insert(row.run);
    else
      failed_.erase(row.run);
    offset += kRecordHeader + length;
  }
  if (offset != static_cast<std::uint64_t>(size) && ::ftruncate(fd_, static_cast<off_t>(offset)))
    throw IoError(system_error(path_, "cannot cut off a torn record of the journal"));
  end_ = offset;
}

void Journal::sync() {
  if (::fdatasync(fd_) != 0) throw IoError(system_error(path_, "cannot sync the journal"));
}

void Journal::append(const RunRow& row, bool sync_now) {
  const std::string payload = serialize(row);
  std::string record;
  append_raw<std::uint32_t>(record, kRecordMark);
  append_raw<std::uint64_t>(record, payload.size());
  append_raw<std::uint64_t>(record, fnv1a64(payload));
  record += payload;
  write_all(fd_, path_, end_, record);
  if (durable_ && sync_now) sync();
  index_[row.run] = end_;
  if (row.failed)
    failed_.insert(row.run);
  else
    failed_.erase(row.run);
  end_ += record.size();
}

RunRow Journal::read(std::uint64_t run) const {
  const auto it = index_.find(run);
  if (it == index_.end())
    throw IoError(path_.string() + ": run " + std::to_string(run) + " missing");
  char head[kRecordHeader];
  std::uint64_t length = 0, checksum = 0;
  const auto damaged = [&] {
    return IoError(path_.string() + ": the record of run " + std::to_string(run) +
                   " changed since it was written (was the journal modified by another "
                   "process?)");
  };
  if (!read_exact(fd_, it->second, head, kRecordHeader)) throw damaged();
  std::memcpy(&length, head + 4, 8);
  std::memcpy(&checksum, head + 12, 8);
  if (length > end_ - it->second) throw damaged();
  std::string payload(length, '\0');
  if (!read_exact(fd_, it->second + kRecordHeader, payload.data(), length) ||
      fnv1a64(payload) != checksum)
    throw damaged();
  RunRow row = deserialize(payload);
  if (row.run != run) throw damaged();
  return row;
}

std::optional<std::string> Journal::fingerprint_of(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> out;
  std::string magic(kMagic.size(), '\0');
  std::uint64_t length = 0;
  if (read_exact(fd, 0, magic.data(), magic.size()) && magic == kMagic &&
      read_exact(fd, kMagic.size(), &length, 8) && length < (std::uint64_t{1} << 30)) {
    std::string text(length, '\0');
    if (read_exact(fd, kMagic.size() + 8, text.data(), length)) out = std::move(text);
  }
  ::close(fd);
  return out;
}

void Journal::remove() {
  if (fd_ < 0) return;
  // Only the file this journal opened, and while it still holds the lock: never a newer
  // journal that another process put at the same path.
  struct stat mine {
  }, there{};
  if (::fstat(fd_, &mine) == 0 && ::stat(path_.c_str(), &there) == 0 &&
      mine.st_dev == there.st_dev && mine.st_ino == there.st_ino)
    ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

bool Journal::in_use(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return locked;
}

}  // namespace tipsim::ensemble
