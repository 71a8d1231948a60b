#include "sim/config/node.hpp"

#include <algorithm>
#include <utility>

namespace tipsim::config {

Node Node::null(Location where) {
  Node n;
  n.location_ = std::move(where);
  return n;
}

Node Node::scalar(std::string value, bool plain, Location where) {
  Node n;
  n.kind_ = Kind::scalar;
  n.text_ = std::move(value);
  n.plain_ = plain;
  n.location_ = std::move(where);
  return n;
}

Node Node::sequence(Location where) {
  Node n;
  n.kind_ = Kind::sequence;
  n.location_ = std::move(where);
  return n;
}

Node Node::map(Location where) {
  Node n;
  n.kind_ = Kind::map;
  n.location_ = std::move(where);
  return n;
}

std::size_t Node::index_of(std::string_view key) const {
  if (kind_ != Kind::map) return children_.size();
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i].name == key) return i;
  return children_.size();
}

const Node* Node::find(std::string_view key) const {
  const std::size_t i = index_of(key);
  return i < children_.size() ? &children_[i] : nullptr;
}

Node* Node::find(std::string_view key) {
  const std::size_t i = index_of(key);
  return i < children_.size() ? &children_[i] : nullptr;
}

void Node::push_back(Node item) {
  children_.push_back(std::move(item));
}

Node& Node::set(std::string key, Location key_where, Node value) {
  const std::size_t i = index_of(key);
  if (i < children_.size()) {
    keys_[i].where = std::move(key_where);
    children_[i] = std::move(value);
    return children_[i];
  }
  keys_.push_back(Key{std::move(key), std::move(key_where)});
  children_.push_back(std::move(value));
  return children_.back();
}

void Node::erase(std::string_view key) {
  const std::size_t i = index_of(key);
  if (i >= children_.size()) return;
  keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
  children_.erase(children_.begin() + static_cast<std::ptrdiff_t>(i));
}

void Node::relocate(const Location& where) {
  location_ = where;
  for (Key& k : keys_) k.where = where;
  for (Node& c : children_) c.relocate(where);
}

void Node::merge(Node over) {
  if (kind_ != Kind::map || over.kind_ != Kind::map) {
    *this = std::move(over);
    return;
  }
  for (std::size_t i = 0; i < over.keys_.size(); ++i) {
    const std::string& name = over.keys_[i].name;
    // `key+: [...]` extends the base's list `key` instead of replacing it: items named like
    // a base item are merged into it, the others appended.
    if (name.size() > 1 && name.back() == '+' && over.children_[i].is_sequence()) {
      const std::string base_name = name.substr(0, name.size() - 1);
      const std::size_t target = index_of(base_name);
      if (target < children_.size() && children_[target].is_sequence()) {
        children_[target].merge_named(std::move(over.children_[i]));
        continue;
      }
      over.keys_[i].name = base_name;
    }
    const std::size_t mine = index_of(over.keys_[i].name);
    if (mine < children_.size()) {
      children_[mine].merge(std::move(over.children_[i]));
      keys_[mine].where = std::move(over.keys_[i].where);
    } else {
      keys_.push_back(std::move(over.keys_[i]));
      children_.push_back(std::move(over.children_[i]));
    }
  }
  // The merged map is reported where the overriding file wrote it.
  location_ = std::move(over.location_);
}

std::optional<std::string> Node::identity() const {
  if (!is_map()) return std::nullopt;
  const Node* name = find("name");
  if (name != nullptr && name->is_scalar()) return name->text();
  const Node* from = find("from");
  const Node* to = find("to");
  if (from != nullptr && to != nullptr && from->is_scalar() && to->is_scalar())
    return from->text() + "-" + to->text();
  return std::nullopt;
}

void Node::merge_named(Node items) {
  for (Node& item : items.children_) {
    const auto id = item.identity();
    const auto same = std::find_if(children_.begin(), children_.end(),
                                   [&](const Node& mine) { return id && mine.identity() == id; });
    if (same != children_.end()) {
      same->merge(std::move(item));
    } else {
      children_.push_back(std::move(item));
    }
  }
}

}  // namespace tipsim::config
