#pragma once
/// Runs of an experiment handed out over MPI ranks: rank 0 gives each worker one run at a
/// time as it asks (a fast run never waits for a slow one), receives the reduced rows and
/// alone writes files. Built only when MPI is found; without a launcher (mpirun) the program
/// never starts MPI and runs as a plain process.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/ensemble/executor.hpp"

namespace tipsim::ensemble::mpi {

/// Starts MPI when the process was launched by an MPI launcher, and ends it when destroyed.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

/// This process's rank and the number of ranks: 0 and 1 without MPI.
[[nodiscard]] int rank();
[[nodiscard]] int size();

/// True on every rank when `ok` is true on every rank.
[[nodiscard]] bool all_ok(bool ok);

/// Rank 0: tells the workers whether there is work (`go`); they wait for it.
void announce(bool go);
/// Workers: waits for rank 0's announcement.
[[nodiscard]] bool await_announcement();

/// Rank 0: hands `pending` out to the workers and passes their rows to `sink`, as
/// ensemble::execute does on one process. Returns the number of failed runs.
std::uint64_t distribute(const std::vector<std::uint64_t>& pending, const RowSink& sink,
                         const ExecuteOptions& options);
/// Workers: computes the runs rank 0 hands out until it says stop.
void serve(const RunFunction& compute);

/// Rank 0: runs batches of jobs (byte strings) on the workers, each job on the first worker
/// free, and returns their replies in job order. Workers run `mpi::serve_jobs` meanwhile;
/// the destructor tells them to stop. For work made of many rounds (a calibration's
/// batches), where `distribute` serves one fixed list.
class JobPool {
 public:
  JobPool();
  ~JobPool();
  JobPool(const JobPool&) = delete;
  JobPool& operator=(const JobPool&) = delete;
  [[nodiscard]] std::vector<std::string> run(const std::vector<std::string>& jobs);

 private:
  std::vector<int> idle_;  // workers waiting for a job
};
/// Workers: replies `work(job)` to each job rank 0's JobPool sends, until it stops them.
void serve_jobs(const std::function<std::string(const std::string&)>& work);

/// Ends every rank at once (after an error on rank 0 while workers wait).
[[noreturn]] void abort_all(int code);

}  // namespace tipsim::ensemble::mpi
