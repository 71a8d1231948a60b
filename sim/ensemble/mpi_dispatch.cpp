#include "sim/ensemble/mpi_dispatch.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#ifdef TIPSIM_HAVE_MPI
// The C API only: Open MPI and MPICH would otherwise pull in their deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace tipsim::ensemble::mpi {

#ifdef TIPSIM_HAVE_MPI
namespace {

enum Tag : int { kReady = 1, kRun = 2, kStop = 3, kRow = 4, kJob = 5, kReply = 6 };
bool started = false;

/// Launchers of Open MPI, MPICH and PMIx-based schedulers set these.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  // Only the main thread calls MPI; TBB workers never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  started = true;
}

Session::~Session() {
  if (started) MPI_Finalize();
  started = false;
}

int rank() {
  if (!started) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int size() {
  if (!started) return 1;
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

bool all_ok(bool ok) {
  if (!started) return ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

void announce(bool go) {
  if (!started) return;
  int flag = go ? 1 : 0;
  MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

bool await_announcement() {
  int flag = 0;
  MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return flag == 1;
}

std::uint64_t distribute(const std::vector<std::uint64_t>& pending, const RowSink& sink,
                         const ExecuteOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const int workers = size() - 1;
  std::size_t next = 0;
  int stopped = 0;
  bool stopping = false;
  Progress progress;
  progress.total = pending.size();
  const auto hand_out = [&](int worker) {
    if (!stopping && next < pending.size()) {
      std::uint64_t run = pending[next++];
      MPI_Send(&run, 1, MPI_UINT64_T, worker, kRun, MPI_COMM_WORLD);
    } else {
      MPI_Send(nullptr, 0, MPI_BYTE, worker, kStop, MPI_COMM_WORLD);
      ++stopped;
    }
  };
  if (options.on_progress) options.on_progress(progress);
  while (stopped < workers) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kReady) {
      MPI_Recv(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kReady, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      hand_out(status.MPI_SOURCE);
      continue;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, kRow, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    RunRow row = deserialize(bytes);
    const bool failed = row.failed;
    sink(std::move(row));
    ++progress.done;
    if (failed) ++progress.failed;
    if (failed && options.stop_on_error) stopping = true;
    progress.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (options.on_progress) options.on_progress(progress);
    hand_out(status.MPI_SOURCE);
  }
  return progress.failed;
}

void serve(const RunFunction& compute) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
  while (true) {
    MPI_Status status;
    std::uint64_t run = 0;
    MPI_Recv(&run, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kStop) return;
    const std::string bytes = serialize(compute_row(run, compute));
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kRow, MPI_COMM_WORLD);
  }
}

JobPool::JobPool() = default;

JobPool::~JobPool() {
  // Every worker ends up idle between batches; those not yet heard from say so first.
  int heard = static_cast<int>(idle_.size());
  for (const int worker : idle_) MPI_Send(nullptr, 0, MPI_BYTE, worker, kStop, MPI_COMM_WORLD);
  while (heard < size() - 1) {
    MPI_Status status;
    MPI_Recv(nullptr, 0, MPI_BYTE, MPI_ANY_SOURCE, kReady, MPI_COMM_WORLD, &status);
    MPI_Send(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kStop, MPI_COMM_WORLD);
    ++heard;
  }
}

std::vector<std::string> JobPool::run(const std::vector<std::string>& jobs) {
  std::vector<std::string> replies(jobs.size());
  std::size_t next = 0, received = 0;
  // A job travels as its index (8 bytes) followed by its bytes; a reply likewise.
  const auto send_job = [&](int worker) {
    std::string message(sizeof(std::uint64_t), '\0');
    const std::uint64_t index = next;
    std::memcpy(message.data(), &index, sizeof index);
    message += jobs[next++];
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, worker, kJob,
             MPI_COMM_WORLD);
  };
  while (next < jobs.size() && !idle_.empty()) {
    send_job(idle_.back());
    idle_.pop_back();
  }
  while (received < jobs.size()) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kReply) {
      std::uint64_t index = 0;
      std::memcpy(&index, bytes.data(), sizeof index);
      replies.at(index) = bytes.substr(sizeof index);
      ++received;
    }
    // After a reply or a first "ready", the worker is free.
    if (next < jobs.size()) {
      send_job(status.MPI_SOURCE);
    } else {
      idle_.push_back(status.MPI_SOURCE);
    }
  }
  return replies;
}

void serve_jobs(const std::function<std::string(const std::string&)>& work) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
  while (true) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, 0, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kStop) return;
    const std::string reply =
        bytes.substr(0, sizeof(std::uint64_t)) + work(bytes.substr(sizeof(std::uint64_t)));
    MPI_Send(reply.data(), static_cast<int>(reply.size()), MPI_BYTE, 0, kReply, MPI_COMM_WORLD);
  }
}

void abort_all(int code) {
  if (started) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

#else  // built without MPI: one process, rank 0 of 1.

Session::Session(int&, char**&) {}
Session::~Session() = default;
int rank() {
  return 0;
}
int size() {
  return 1;
}
bool all_ok(bool ok) {
  return ok;
}
void announce(bool) {}
bool await_announcement() {
  return false;
}
std::uint64_t distribute(const std::vector<std::uint64_t>&, const RowSink&, const ExecuteOptions&) {
  return 0;
}
void serve(const RunFunction&) {}
JobPool::JobPool() = default;
JobPool::~JobPool() = default;
std::vector<std::string> JobPool::run(const std::vector<std::string>& jobs) {
  return std::vector<std::string>(jobs.size());
}
void serve_jobs(const std::function<std::string(const std::string&)>&) {}
void abort_all(int code) {
  std::exit(code);
}

#endif

}  // namespace tipsim::ensemble::mpi
