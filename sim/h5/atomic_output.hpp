#pragma once
/// Write-then-rename output, so readers never see a partial file.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace tipsim::h5 {

/// Reserves a temporary path next to `final_path` ("<final name>.tmp-<pid>-<counter>").
/// Write the whole output there and close it, then commit(): the temporary is renamed onto
/// the final path in one atomic step (same directory, so the same filesystem). If commit()
/// is never reached the destructor deletes the temporary, so a failed run leaves neither a
/// partial file nor a clobbered previous output; if the process is stopped by SIGINT, SIGTERM
/// or SIGHUP meanwhile, a handler removes it before the process dies of the signal.
/// Move-only.
class AtomicOutput {
 public:
  /// Throws IoError when the final path's directory does not exist.
  explicit AtomicOutput(std::filesystem::path final_path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  AtomicOutput(AtomicOutput&& other) noexcept;
  AtomicOutput& operator=(AtomicOutput&& other) noexcept;

  /// Where to write. Nothing is created there by this class.
  [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_path_; }
  /// Where the output appears after commit().
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_path_; }
  [[nodiscard]] bool committed() const noexcept { return committed_; }

  /// Renames the temporary onto the final path, replacing any file there. Throws IoError
  /// when the temporary is missing or the rename fails (the temporary is then still deleted
  /// by the destructor). Committing twice is an error.
  void commit();

 private:
  void discard() noexcept;

  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);

  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
  std::size_t signal_slot_ = kNoSlot;  ///< its entry in the table the signal handler clears
};

/// `message` with every temporary path an AtomicOutput of this process used replaced by the
/// final path it stood for: users named the final one, and the temporary is gone.
std::string in_user_terms(std::string message);

/// Throws IoError when `output` is one of `inputs` (the same file, by any path): writing it
/// would replace a file the command reads, such as the scenario or a file it extends.
void refuse_overwriting_inputs(const std::filesystem::path& output,
                               const std::vector<std::filesystem::path>& inputs);

}  // namespace tipsim::h5
