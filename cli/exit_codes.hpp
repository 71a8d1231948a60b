#pragma once
/// Exit codes of the tipsim command line (README, "Exit codes").
namespace tipsim::cli {
enum ExitCode {
  kOk = 0,
  kUsage = 1,
  kConfig = 2,
  kIo = 3,
  kInternal = 4,
  kRunFailed = 5,
  kMemory = 6
};
}  // namespace tipsim::cli
