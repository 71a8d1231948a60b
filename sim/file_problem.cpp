#include "sim/file_problem.hpp"

#include <unistd.h>

#include <system_error>

namespace tipsim {

std::optional<std::string> file_problem(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return "no file named";
  if (path == "-") return "standard input is not read: give the file's path";
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels) return "a loop of symbolic links";
  if (ec == std::errc::permission_denied) return "permission denied (a folder on its path)";
  if (!fs::exists(status)) return "no such file";
  if (fs::is_directory(status)) return "a folder, not a file";
  if (fs::is_fifo(status)) return "a named pipe, not a regular file";
  if (fs::is_character_file(status) || fs::is_block_file(status))
    return "a device, not a regular file";
  if (!fs::is_regular_file(status)) return "not a regular file";
  if (::access(path.c_str(), R_OK) != 0) return "permission denied";
  return std::nullopt;
}

}  // namespace tipsim
