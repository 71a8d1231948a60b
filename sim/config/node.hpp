#pragma once
/// The tree of a loaded scenario file. Unlike yaml-cpp's own nodes, every node and every map key
/// keeps the file, line and column it came from, even after `extends` merges and `--set`
/// overrides, so diagnostics can point at the exact text to change.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/diagnostics.hpp"

namespace tipsim::config {

/// A YAML value: null, scalar, sequence or map (maps keep their keys in file order).
class Node {
 public:
  enum class Kind { null, scalar, sequence, map };

  /// A map key with the place it was written.
  struct Key {
    std::string name;
    Location where;
  };

  Node() = default;
  static Node null(Location where);
  /// `plain` is true for an unquoted scalar without an explicit tag: only those may be read as
  /// numbers or booleans.
  static Node scalar(std::string value, bool plain, Location where);
  static Node sequence(Location where);
  static Node map(Location where);

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool is_null() const { return kind_ == Kind::null; }
  [[nodiscard]] bool is_scalar() const { return kind_ == Kind::scalar; }
  [[nodiscard]] bool is_sequence() const { return kind_ == Kind::sequence; }
  [[nodiscard]] bool is_map() const { return kind_ == Kind::map; }
  [[nodiscard]] const Location& location() const { return location_; }

  /// Text of a scalar; empty for other kinds.
  [[nodiscard]] const std::string& text() const { return text_; }
  /// See `scalar()`.
  [[nodiscard]] bool plain() const { return plain_; }

  /// Number of sequence items or map entries.
  [[nodiscard]] std::size_t size() const { return children_.size(); }
  /// The i-th sequence item, or the value of the i-th map key.
  [[nodiscard]] const Node& child(std::size_t i) const { return children_.at(i); }
  [[nodiscard]] Node& child(std::size_t i) { return children_.at(i); }
  /// Map keys, in the same order as the values returned by `child()`.
  [[nodiscard]] const std::vector<Key>& keys() const { return keys_; }

  /// The value stored under `key` in a map, or nullptr (also for non-maps).
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  /// Index of `key` in a map, or size() when absent.
  [[nodiscard]] std::size_t index_of(std::string_view key) const;

  /// Appends to a sequence.
  void push_back(Node item);
  /// What names a list item: its `name`, else `FROM-TO` for an item with `from` and `to`
  /// (a route); empty for anything else.
  [[nodiscard]] std::optional<std::string> identity() const;
  /// Merges the items of sequence `items` into this sequence: an item whose identity matches
  /// one of ours is merged into it (as `merge` does), any other is appended.
  void merge_named(Node items);
  /// Sets `key` in a map, replacing any value already there; returns the stored value.
  Node& set(std::string key, Location key_where, Node value);
  /// Removes `key` from a map if present.
  void erase(std::string_view key);
  /// Gives this node and everything below it the location `where`.
  void relocate(const Location& where);

  /// Merges `over` onto this node: maps merge key by key recursively, anything else is replaced.
  void merge(Node over);

 private:
  Kind kind_ = Kind::null;
  bool plain_ = true;
  std::string text_;
  Location location_;
  std::vector<Key> keys_;
  std::vector<Node> children_;
};

}  // namespace tipsim::config
