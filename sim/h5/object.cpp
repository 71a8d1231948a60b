#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "sim/h5/group.hpp"
#include "sim/h5/heap_check.hpp"
#include "sim/h5/strings.hpp"

namespace tipsim::h5 {

Object::Object(Handle handle, std::string file, std::string path)
    : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

std::string Object::child_path(std::string_view name) const {
  if (!name.empty() && name.front() == '/') return std::string(name);
  std::string result = path_;
  if (result.empty() || result.back() != '/') result += '/';
  result.append(name);
  return result;
}

std::string Object::attribute_where(std::string_view name) const {
  return path_ + "@" + std::string(name);
}

void Object::write_attribute(std::string_view name, hid_t type, hid_t space, const void* data) {
  detail::silence_errors();
  const std::string attr(name);
  const std::string where = attribute_where(name);
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
  const std::string where = attribute_where(name);
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
    if (!value.empty()) std::memcpy(buffer.data(), value.data(), value.size());
    detail::check(H5Tset_size(type.get(), width), file_, where, "cannot size string");
    detail::check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), file_, where, "cannot pad string");
    write_attribute(name, type.get(), space.get(), buffer.data());
  }
}

void Object::write_numeric_attribute(std::string_view name, hid_t type, const void* data,
                                     std::optional<std::size_t> count) {
  detail::silence_errors();
  const hsize_t extent = count.value_or(1);
  const Handle space(
      detail::check_id(count ? H5Screate_simple(1, &extent, nullptr) : H5Screate(H5S_SCALAR), file_,
                       attribute_where(name), "cannot make space"));
  write_attribute(name, type, space.get(), data);
}

void Object::set_int_attribute(std::string_view name, std::int64_t value) {
  write_numeric_attribute(name, H5T_NATIVE_INT64, &value, std::nullopt);
}

void Object::set_double_attribute(std::string_view name, double value) {
  write_numeric_attribute(name, H5T_NATIVE_DOUBLE, &value, std::nullopt);
}

void Object::set_int_array_attribute(std::string_view name, std::span<const std::int64_t> values) {
  write_numeric_attribute(name, H5T_NATIVE_INT64, values.data(), values.size());
}

void Object::set_double_array_attribute(std::string_view name, std::span<const double> values) {
  write_numeric_attribute(name, H5T_NATIVE_DOUBLE, values.data(), values.size());
}

bool Object::has_attribute(std::string_view name) const {
  detail::silence_errors();
  detail::refuse_dense_attributes(handle_.get(), file_, path_);
  const std::string attr(name);
  const htri_t present = H5Aexists(handle_.get(), attr.c_str());
  detail::check(present, file_, attribute_where(name), "cannot query attribute");
  return present > 0;
}

std::vector<std::string> Object::attribute_names() const {
  detail::silence_errors();
  detail::refuse_dense_attributes(handle_.get(), file_, path_);
  std::vector<std::string> names;
  detail::check(H5Aiterate2(handle_.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
                            detail::collect_name<H5A_info_t>, &names),
                file_, path_, "cannot list attributes");
  return names;
}

std::string Object::string_attribute(std::string_view name) const {
  detail::silence_errors();
  detail::refuse_dense_attributes(handle_.get(), file_, path_);
  const std::string attr(name);
  const std::string where = attribute_where(name);
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
    detail::check_string_references(attribute.get(), false, file_, where);
    const Handle mem_type =
        detail::variable_string_type(H5Tget_cset(file_type.get()), file_, where);
    detail::VariableStrings value(1, mem_type.get(), space.get());
    detail::check(H5Aread(attribute.get(), mem_type.get(), value.buffer()), file_, where,
                  "cannot read attribute");
    return std::move(value.values().front());
  }
  const std::size_t width = H5Tget_size(file_type.get());
  std::vector<char> buffer(width);
  detail::check(H5Aread(attribute.get(), file_type.get(), buffer.data()), file_, where,
                "cannot read attribute");
  return std::string(detail::fixed_string_value(
      std::string_view(buffer.data(), width), H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD));
}

template <Numeric T>
std::vector<T> Object::whole_numbers(hid_t attribute, const std::string& where,
                                     std::size_t count) const {
  // HDF5 would truncate 3.7 to 3: a whole number is asked for, so anything else is wrong.
  std::vector<double> stored(count);
  detail::check(H5Aread(attribute, H5T_NATIVE_DOUBLE, stored.data()), file_, where,
                "cannot read attribute");
  std::vector<T> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double value = stored[i];
    if (!(value == std::floor(value) &&
          value >= static_cast<double>(std::numeric_limits<T>::min()) &&
          value < static_cast<double>(std::numeric_limits<T>::max()))) {
      std::ostringstream text;
      text << "attribute is " << value << ", not a whole number";
      if (std::isfinite(value) && value == std::floor(value)) text << " in range";
      detail::fail(file_, where, text.str());
    }
    values[i] = static_cast<T>(value);
  }
  return values;
}

template <Numeric T>
std::vector<T> Object::read_numeric_attribute(std::string_view name, bool scalar) const {
  detail::silence_errors();
  detail::refuse_dense_attributes(handle_.get(), file_, path_);
  const std::string attr(name);
  const std::string where = attribute_where(name);
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
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) detail::fail(file_, where, "cannot count attribute values");
  if (scalar && points != 1) {
    detail::fail(file_, where, "attribute has an unexpected number of values");
  }
  std::vector<T> values(static_cast<std::size_t>(points));
  if (values.empty()) return values;
  if constexpr (std::is_integral_v<T>) {
    if (type_class == H5T_FLOAT) return whole_numbers<T>(attribute.get(), where, values.size());
  }
  detail::check(H5Aread(attribute.get(), native_type<T>(), values.data()), file_, where,
                "cannot read attribute");
  return values;
}

std::int64_t Object::int_attribute(std::string_view name) const {
  return read_numeric_attribute<std::int64_t>(name, true).front();
}

double Object::double_attribute(std::string_view name) const {
  return read_numeric_attribute<double>(name, true).front();
}

std::vector<std::int64_t> Object::int_array_attribute(std::string_view name) const {
  return read_numeric_attribute<std::int64_t>(name, false);
}

std::vector<double> Object::double_array_attribute(std::string_view name) const {
  return read_numeric_attribute<double>(name, false);
}

}  // namespace tipsim::h5
