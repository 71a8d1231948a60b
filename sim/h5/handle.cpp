#include "sim/h5/handle.hpp"

#include <string>

#include "sim/error.hpp"

namespace tipsim::h5 {

void Handle::reset() noexcept {
  if (id_ < 0) return;
  // A close can fail too (a full disk flushing the last chunks): its error is reported by
  // the write that failed first, not printed by the library on this thread.
  detail::silence_errors();
  const hid_t id = release();
  // H5Iis_valid is false for ids the library already closed (e.g. by a strong file close).
  if (H5Iis_valid(id) <= 0) return;
  switch (H5Iget_type(id)) {
    case H5I_FILE:
      H5Fclose(id);
      break;
    case H5I_GROUP:
      H5Gclose(id);
      break;
    case H5I_DATASET:
      H5Dclose(id);
      break;
    case H5I_DATASPACE:
      H5Sclose(id);
      break;
    case H5I_DATATYPE:
      H5Tclose(id);
      break;
    case H5I_ATTR:
      H5Aclose(id);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id);
      break;
    default:
      H5Idec_ref(id);
      break;
  }
}

namespace detail {
namespace {

// Walks from the innermost frame outwards; the first frame names the actual cause.
herr_t innermost_message(unsigned n, const H5E_error2_t* err, void* data) {
  if (n == 0 && err != nullptr && err->desc != nullptr) {
    *static_cast<std::string*>(data) = err->desc;
  }
  return 0;
}

// What the whole error stack says about damage: a checksum that does not match, or a
// filter (gzip) that cannot undo what it stored.
struct Damage {
  bool checksum = false;
  bool metadata = false;
  bool filter = false;
};

herr_t find_damage(unsigned /*n*/, const H5E_error2_t* err, void* data) {
  if (err == nullptr) return 0;
  auto& damage = *static_cast<Damage*>(data);
  const std::string_view desc = err->desc != nullptr ? err->desc : "";
  if (desc.find("Fletcher32") != std::string_view::npos) damage.checksum = true;
  if (desc.find("metadata checksum") != std::string_view::npos) damage.metadata = true;
  if (err->maj_num == H5E_PLINE || desc.find("inflate()") != std::string_view::npos ||
      desc.find("filter returned failure") != std::string_view::npos) {
    damage.filter = true;
  }
  return 0;
}

}  // namespace

void silence_errors() noexcept {
  thread_local const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  static_cast<void>(silenced);
}

void fail(std::string_view file, std::string_view object, std::string_view what) {
  std::string cause;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_message, &cause);
  Damage damage;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, find_damage, &damage);
  H5Eclear2(H5E_DEFAULT);
  // Damage is said plainly, not as the library's "can't read data" or "incompatible type".
  if (damage.checksum || damage.metadata || damage.filter) {
    std::string message(file);
    message.append(": ").append(object).append(": the ");
    message.append(damage.metadata ? "file" : "data");
    message.append(damage.checksum || damage.metadata
                       ? " is damaged (checksum mismatch)"
                       : " is damaged (a compressed chunk cannot be decompressed)");
    throw IoError(message);
  }
  // The file driver's message holds the time, descriptor and buffer besides what the system
  // said ("error message = 'No space left on device'"): keep what the system said.
  const std::string marker = "error message = '";
  if (const auto at = cause.find(marker); at != std::string::npos) {
    const auto end = cause.find('\'', at + marker.size());
    if (end != std::string::npos)
      cause = cause.substr(at + marker.size(), end - at - marker.size());
  }
  std::string message;
  message.reserve(file.size() + object.size() + what.size() + cause.size() + 8);
  message.append(file).append(": ").append(object).append(": ").append(what);
  if (!cause.empty()) message.append(" (").append(cause).append(")");
  throw IoError(message);
}

hid_t check_id(hid_t id, std::string_view file, std::string_view object, std::string_view what) {
  if (id < 0) fail(file, object, what);
  return id;
}

void check(herr_t status, std::string_view file, std::string_view object, std::string_view what) {
  if (status < 0) fail(file, object, what);
}

}  // namespace detail
}  // namespace tipsim::h5
