#include "experiments/scenario_writer.hpp"

#include <charconv>
#include <memory>
#include <optional>
#include <utility>

#include "sim/config/document.hpp"
#include "sim/error.hpp"

namespace tipsim::experiments {
namespace {

/// What the written file sets below one key: a value, keys, or items of a list to merge.
struct Entry {
  std::optional<std::string> value, comment;
  std::vector<std::pair<std::string, std::unique_ptr<Entry>>> keys;  // in first-set order
  // A list: items named by (key, text) pairs that identify them in the base.
  bool list = false;
  std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::unique_ptr<Entry>>>
      items;

  Entry& key(const std::string& k) {
    for (auto& [name, e] : keys)
      if (name == k) return *e;
    keys.emplace_back(k, std::make_unique<Entry>());
    return *keys.back().second;
  }
  Entry& item(const std::vector<std::pair<std::string, std::string>>& id) {
    list = true;
    for (auto& [ident, e] : items)
      if (ident == id) return *e;
    items.emplace_back(id, std::make_unique<Entry>());
    return *items.back().second;
  }
};

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

/// A scalar as YAML writes it safely: quoted unless plain letters, digits and `_-.`.
std::string scalar(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./") == std::string::npos;
  if (plain) return text;
  std::string q = "\"";
  for (const char c : text)
    q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return q + "\"";
}

void emit(const Entry& e, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& [key, child] : e.keys) {
    out += pad + key + (child->list ? "+:" : ":");
    if (child->value) {
      out += " " + *child->value;
      if (child->comment && !child->comment->empty()) out += "  # " + *child->comment;
      out += "\n";
    } else if (child->list) {
      out += "\n";
      for (const auto& [id, item] : child->items) {
        bool first = true;
        for (const auto& [k, v] : id) {
          out += pad + (first ? "  - " : "    ") + k + ": " + scalar(v) + "\n";
          first = false;
        }
        emit(*item, indent + 4, out);
      }
    } else {
      out += "\n";
      emit(*child, indent + 2, out);
    }
  }
}

}  // namespace

std::string extending_scenario(const std::filesystem::path& base_file,
                               const std::string& base_resolved, const std::filesystem::path& out,
                               const std::vector<ScenarioValue>& values,
                               const std::string& header) {
  const config::Document base =
      config::Document::load_string(base_resolved, base_file.string() + " (resolved)");
  Entry root;
  for (const ScenarioValue& v : values) {
    const config::Node* at = &base.root();
    Entry* entry = &root;
    std::string walked;
    for (const std::string& seg : split(v.path)) {
      if (at == nullptr || at->is_map()) {
        // A key the base does not write (its default applies) is written as a key too.
        at = at != nullptr ? at->find(seg) : nullptr;
        entry = &entry->key(seg);
      } else if (!at->is_sequence()) {
        throw ConfigError(v.path + ": '" + walked + "' is not a mapping or list in " +
                          base_file.string());
      } else {
        // The item, by position or by identity, and how a `key+:` item names it.
        std::size_t i = at->size();
        std::size_t position = 0;
        const auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), position);
        if (ec == std::errc{} && end == seg.data() + seg.size()) {
          i = position;
        } else {
          for (std::size_t c = 0; c < at->size(); ++c)
            if (at->child(c).identity() == seg) i = c;
        }
        if (i >= at->size())
          throw ConfigError(v.path + ": '" + walked + "' has no item '" + seg + "'");
        const config::Node& item = at->child(i);
        std::vector<std::pair<std::string, std::string>> id;
        if (const config::Node* name = item.find("name"); name != nullptr && name->is_scalar()) {
          id = {{"name", name->text()}};
        } else if (item.identity()) {
          id = {{"from", item.find("from")->text()}, {"to", item.find("to")->text()}};
        } else {
          throw ConfigError(v.path + ": item " + seg + " of '" + walked +
                            "' has no name, so a scenario extending the base cannot set it");
        }
        at = &item;
        entry = &entry->item(id);
      }
      walked += (walked.empty() ? "" : ".") + seg;
    }
    entry->value = v.yaml;
    entry->comment = v.comment;
  }
  std::string text = header;
  const auto folder = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  text += "extends: " +
          scalar(std::filesystem::relative(std::filesystem::absolute(base_file),
                                           std::filesystem::absolute(folder))
                     .generic_string()) +
          "\n";
  emit(root, 0, text);
  return text;
}

}  // namespace tipsim::experiments
