#include <cstring>
#include <string>
#include <vector>

#include "sim/h5/group.hpp"

namespace tipsim::h5 {
namespace {

herr_t collect_attribute_name(hid_t /*location*/, const char* name, const H5A_info_t* /*info*/,
                              void* data) {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;  // Exceptions must not cross the C library; the caller reports the failure.
  }
}

// Owns the library-allocated string of a variable-length read.
struct LibraryString {
  char* value = nullptr;
  ~LibraryString() {
    if (value != nullptr) H5free_memory(value);
  }
};

}  // namespace

Object::Object(Handle handle, std::string file, std::string path)
    : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

std::string Object::child_path(std::string_view name) const {
  if (!name.empty() && name.front() == '/') return std::string(name);
  std::string result = path_;
  if (result.empty() || result.back() != '/') result += '/';
  result.append(name);
  return result;
}

void Object::write_attribute(std::string_view name, hid_t type, hid_t space, const void* data) {
  detail::silence_errors();
  const std::string attr(name);
  const std::string where = path_ + "@" + attr;
  const htri_t present = H5Aexists(handle_.get(), attr.c_str());
  detail::check(present, file_, where, "cannot query attribute");
  // Replacing keeps one writer's last value, which is what provenance updates want.
  if (present > 0) {
    detail::check(H5Adelete(handle_.get(), attr.c_str()), file_, where, "cannot replace attribute");
  }
  const Handle attribute(detail::check_id(
      H5Acreate2(handle_.get(), attr.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), file_, where,
      "cannot create attribute"));
  // An empty array attribute has nothing to write, and the library rejects a null buffer.
  if (H5Sget_simple_extent_npoints(space) == 0) return;
  detail::check(H5Awrite(attribute.get(), type, data), file_, where, "cannot write attribute");
}

void Object::set_string_attribute(std::string_view name, std::string_view value,
                                  StringStorage storage) {
  detail::silence_errors();
  const std::string where = path_ + "@" + std::string(name);
  const Handle type(detail::check_id(H5Tcopy(H5T_C_S1), file_, where, "cannot make string type"));
  detail::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), file_, where, "cannot set UTF-8");
  const Handle space(detail::check_id(H5Screate(H5S_SCALAR), file_, where, "cannot make space"));
  if (storage == StringStorage::variable_length) {
    detail::check(H5Tset_size(type.get(), H5T_VARIABLE), file_, where, "cannot size string");
    const std::string copy(value);  // NUL-terminated for the library.
    const char* pointer = copy.c_str();
    write_attribute(name, type.get(), space.get(), &pointer);
  } else {
    // NULLPAD lets the value fill the whole width; an empty value still needs one byte.
    const std::size_t width = value.empty() ? 1 : value.size();
    std::vector<char> buffer(width, '\0');
    std::memcpy(buffer.data(), value.data(), value.size());
    detail::check(H5Tset_size(type.get(), width), file_, where, "cannot size string");
    detail::check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), file_, where, "cannot pad string");
    write_attribute(name, type.get(), space.get(), buffer.data());
  }
}

void Object::set_int_attribute(std::string_view name, std::int64_t value) {
  detail::silence_errors();
  const Handle space(detail::check_id(H5Screate(H5S_SCALAR), file_, path_, "cannot make space"));
  write_attribute(name, H5T_NATIVE_INT64, space.get(), &value);
}

void Object::set_double_attribute(std::string_view name, double value) {
  detail::silence_errors();
  const Handle space(detail::check_id(H5Screate(H5S_SCALAR), file_, path_, "cannot make space"));
  write_attribute(name, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void Object::set_int_array_attribute(std::string_view name, std::span<const std::int64_t> values) {
  detail::silence_errors();
  const hsize_t extent = values.size();
  const Handle space(
      detail::check_id(H5Screate_simple(1, &extent, nullptr), file_, path_, "cannot make space"));
  write_attribute(name, H5T_NATIVE_INT64, space.get(), values.data());
}

void Object::set_double_array_attribute(std::string_view name, std::span<const double> values) {
  detail::silence_errors();
  const hsize_t extent = values.size();
  const Handle space(
      detail::check_id(H5Screate_simple(1, &extent, nullptr), file_, path_, "cannot make space"));
  write_attribute(name, H5T_NATIVE_DOUBLE, space.get(), values.data());
}

bool Object::has_attribute(std::string_view name) const {
  detail::silence_errors();
  const std::string attr(name);
  const htri_t present = H5Aexists(handle_.get(), attr.c_str());
  detail::check(present, file_, path_ + "@" + attr, "cannot query attribute");
  return present > 0;
}

std::vector<std::string> Object::attribute_names() const {
  detail::silence_errors();
  std::vector<std::string> names;
  detail::check(H5Aiterate2(handle_.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
                            collect_attribute_name, &names),
                file_, path_, "cannot list attributes");
  return names;
}

std::string Object::string_attribute(std::string_view name) const {
  detail::silence_errors();
  const std::string attr(name);
  const std::string where = path_ + "@" + attr;
  const Handle attribute(detail::check_id(H5Aopen(handle_.get(), attr.c_str(), H5P_DEFAULT), file_,
                                          where, "cannot open attribute"));
  const Handle file_type(
      detail::check_id(H5Aget_type(attribute.get()), file_, where, "cannot get attribute type"));
  if (H5Tget_class(file_type.get()) != H5T_STRING) {
    detail::fail(file_, where, "attribute is not a string");
  }
  const Handle space(
      detail::check_id(H5Aget_space(attribute.get()), file_, where, "cannot get attribute space"));
  if (H5Sget_simple_extent_npoints(space.get()) != 1) {
    detail::fail(file_, where, "string attribute is not a single value");
  }
  const htri_t variable = H5Tis_variable_str(file_type.get());
  detail::check(variable, file_, where, "cannot inspect string type");
  if (variable > 0) {
    const Handle mem_type(
        detail::check_id(H5Tcopy(H5T_C_S1), file_, where, "cannot make string type"));
    detail::check(H5Tset_size(mem_type.get(), H5T_VARIABLE), file_, where, "cannot size string");
    // Keep the stored character set: the library does not convert between character sets.
    detail::check(H5Tset_cset(mem_type.get(), H5Tget_cset(file_type.get())), file_, where,
                  "cannot set character set");
    LibraryString value;
    detail::check(H5Aread(attribute.get(), mem_type.get(), &value.value), file_, where,
                  "cannot read attribute");
    return value.value == nullptr ? std::string() : std::string(value.value);
  }
  const std::size_t width = H5Tget_size(file_type.get());
  std::vector<char> buffer(width + 1, '\0');
  detail::check(H5Aread(attribute.get(), file_type.get(), buffer.data()), file_, where,
                "cannot read attribute");
  std::string value(buffer.data(), std::strlen(buffer.data()));
  if (H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD) {
    value.erase(value.find_last_not_of(' ') + 1);
  }
  return value;
}

std::size_t Object::attribute_size(std::string_view name) const {
  const std::string attr(name);
  const std::string where = path_ + "@" + attr;
  const Handle attribute(detail::check_id(H5Aopen(handle_.get(), attr.c_str(), H5P_DEFAULT), file_,
                                          where, "cannot open attribute"));
  const Handle space(
      detail::check_id(H5Aget_space(attribute.get()), file_, where, "cannot get attribute space"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) detail::fail(file_, where, "cannot count attribute values");
  return static_cast<std::size_t>(points);
}

void Object::read_numeric_attribute(std::string_view name, hid_t mem_type, std::size_t expected,
                                    void* out) const {
  const std::string attr(name);
  const std::string where = path_ + "@" + attr;
  const Handle attribute(detail::check_id(H5Aopen(handle_.get(), attr.c_str(), H5P_DEFAULT), file_,
                                          where, "cannot open attribute"));
  const Handle file_type(
      detail::check_id(H5Aget_type(attribute.get()), file_, where, "cannot get attribute type"));
  const H5T_class_t type_class = H5Tget_class(file_type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    detail::fail(file_, where, "attribute is not numeric");
  }
  const Handle space(
      detail::check_id(H5Aget_space(attribute.get()), file_, where, "cannot get attribute space"));
  if (H5Sget_simple_extent_npoints(space.get()) != static_cast<hssize_t>(expected)) {
    detail::fail(file_, where, "attribute has an unexpected number of values");
  }
  if (expected == 0) return;
  detail::check(H5Aread(attribute.get(), mem_type, out), file_, where, "cannot read attribute");
}

std::int64_t Object::int_attribute(std::string_view name) const {
  detail::silence_errors();
  std::int64_t value = 0;
  read_numeric_attribute(name, H5T_NATIVE_INT64, 1, &value);
  return value;
}

double Object::double_attribute(std::string_view name) const {
  detail::silence_errors();
  double value = 0.0;
  read_numeric_attribute(name, H5T_NATIVE_DOUBLE, 1, &value);
  return value;
}

std::vector<std::int64_t> Object::int_array_attribute(std::string_view name) const {
  detail::silence_errors();
  std::vector<std::int64_t> values(attribute_size(name));
  read_numeric_attribute(name, H5T_NATIVE_INT64, values.size(), values.data());
  return values;
}

std::vector<double> Object::double_array_attribute(std::string_view name) const {
  detail::silence_errors();
  std::vector<double> values(attribute_size(name));
  read_numeric_attribute(name, H5T_NATIVE_DOUBLE, values.size(), values.data());
  return values;
}

}  // namespace tipsim::h5
