#include "cli/report_cli.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"

extern char** environ;

namespace tipsim::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> files;
  std::string out, base, window, targets, title;
};

/// The interpreter with the Debian packages the report needs (h5py, pandas, matplotlib):
/// TIPSIM_PYTHON, else Debian's own, not whichever python3 comes first on PATH.
std::string python() {
  const char* chosen = std::getenv("TIPSIM_PYTHON");
  return chosen && *chosen ? chosen : "/usr/bin/python3";
}

/// Runs `python3 -m tipsim report ...` with the package on PYTHONPATH and this executable
/// named in TIPSIM_EXE (the report asks it for the paired statistics), and returns the exit
/// code tipsim would give: the package's own 0, 2 (bad input) and 3 (a file), 4 otherwise.
int run_report(const ReportOptions& o) {
  std::vector<std::string> args = {python(), "-m", "tipsim", "report"};
  args.insert(args.end(), o.files.begin(), o.files.end());
  args.insert(args.end(), {"--out", o.out});
  const auto optional = [&](const char* flag, const std::string& value) {
    if (!value.empty()) args.insert(args.end(), {flag, value});
  };
  optional("--base", o.base);
  optional("--window", o.window);
  optional("--targets", o.targets);
  optional("--title", o.title);
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  optional("--tipsim", ec ? std::string() : self.string());

  std::string path = TIPSIM_PYTHON_PACKAGE_DIR;
  if (const char* existing = std::getenv("PYTHONPATH"); existing && *existing)
    path += std::string(":") + existing;
  std::vector<std::string> env = {"PYTHONPATH=" + path, "MPLBACKEND=Agg"};
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    if (!entry.starts_with("PYTHONPATH=") && !entry.starts_with("MPLBACKEND="))
      env.push_back(entry);
  }
  const auto pointers = [](std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
  };
  auto argv = pointers(args);
  auto envp = pointers(env);
  pid_t pid = 0;
  if (const int err = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data())) {
    std::cerr << "error: tipsim report needs " << args[0] << " (with python3-h5py, "
              << "python3-pandas and python3-matplotlib; scripts/install-deps installs them): "
              << std::strerror(err) << "\n";
    return kIo;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) return kInternal;
  const int code = WEXITSTATUS(status);
  return code == kOk || code == kConfig || code == kIo ? code : kInternal;
}

}  // namespace

std::function<std::function<int()>()> add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report",
      "Write one self-contained HTML report (charts, tables, provenance) of run, ensemble, "
      "sweep, calibration and sensitivity files");
  cmd->add_option("files", o->files, "Files to report on (HDF5)")->required();
  cmd->add_option("--out,-o", o->out, "The HTML file to write (replaced only on success)")
      ->required();
  cmd->add_option("--base", o->base,
                  "What-if sets: the base scenario (default: no_programme if there is one, "
                  "else the first)");
  cmd->add_option("--window", o->window,
                  "What-if sets: a window the ensemble declared, FROM:TO (default: its only "
                  "one, else the whole run)");
  cmd->add_option("--targets", o->targets,
                  "Targets file: with a calibration and an ensemble over its posterior, the "
                  "fit of every target");
  cmd->add_option("--title", o->title, "Title of the report");
  return [cmd, o]() -> std::function<int()> {
    if (!*cmd) return {};
    return [o]() { return run_report(*o); };
  };
}

}  // namespace tipsim::cli
