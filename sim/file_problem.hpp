#pragma once
/// Why a path given as an input cannot be read as a file, in words a user can act on.
#include <filesystem>
#include <optional>
#include <string>

namespace tipsim {

/// None when `path` is a regular file this process may read; otherwise what stands in the
/// way: no such file, a folder, a named pipe or device, a loop of symbolic links, standard
/// input ("-"), or permission denied.
std::optional<std::string> file_problem(const std::filesystem::path& path);

}  // namespace tipsim
