#pragma once
/// The one error hierarchy of tipsim. Library code throws these; only `main` turns them
/// into exit codes and messages.
#include <stdexcept>
#include <string>

namespace tipsim {

/// Base of every error tipsim throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad scenario or command-line input: the user can fix it.
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A file could not be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// The simulation broke one of its own invariants: a bug, not a user error.
class InvariantError : public Error {
 public:
  using Error::Error;
};

}  // namespace tipsim
