#include "sim/config/document.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <utility>

#include "sim/config/encoding.hpp"
#include "sim/error.hpp"
#include "sim/file_problem.hpp"

namespace tipsim::config {
namespace fs = std::filesystem;

namespace {

Location to_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return Location{file, 0, 0};
  return Location{file, mark.line + 1, mark.column + 1};
}

// The YAML 1.2 core schema spellings of null; `key:` with nothing after it arrives as OnNull.
bool is_null_word(const std::string& s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

/// Builds a located Node tree from parser events. Events are used instead of YAML::Load because
/// yaml-cpp's tree silently drops duplicate keys and forgets whether a scalar was quoted.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, std::vector<Diagnostic>& diagnostics)
      : file_(file), diagnostics_(diagnostics), root_(Node::null(Location{file, 0, 0})) {}

  Node take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    ++values_;
    add(Node::null(to_location(file_, mark)), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      add(Node::null(to_location(file_, mark)), 0);
      return;
    }
    // An alias copies its anchor's whole value: a few lines of aliases of aliases can expand
    // to billions of values ("billion laughs"). Count what they expand to and stop copying
    // past the limit, with one error, instead of running out of memory.
    values_ += it->second.values;
    if (values_ > kMaxValues) {
      if (!expansion_refused_) {
        diagnostics_.push_back(Diagnostic{
            to_location(file_, mark), "",
            "aliases (*name) expand the document past " + std::to_string(kMaxValues) +
                " values; a scenario needs far fewer: write the values out, or alias less"});
        expansion_refused_ = true;
      }
      add(Node::null(to_location(file_, mark)), 0);
      return;
    }
    add(it->second.node, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // "?" is the non-specific tag of plain scalars; quoted ones get "!".
    const bool plain = tag == "?";
    const bool is_key = !stack_.empty() && stack_.back().node.is_map() && !stack_.back().has_key;
    ++values_;
    if (plain && !is_key && is_null_word(value)) {
      add(Node::null(to_location(file_, mark)), anchor);
    } else {
      add(Node::scalar(value, plain, to_location(file_, mark)), anchor);
    }
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    ++values_;
    push(Node::sequence(to_location(file_, mark)), anchor);
  }
  void OnSequenceEnd() override { pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    ++values_;
    push(Node::map(to_location(file_, mark)), anchor);
  }
  void OnMapEnd() override { pop(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    bool has_key = false;     // a key was read and its value is awaited
    bool skip_value = false;  // the awaited value belongs to a rejected key
    Node::Key key;
  };

  void push(Node node, YAML::anchor_t anchor) {
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void pop() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(frame.node), frame.anchor);
  }

  std::string path_to(std::string_view last) const {
    std::string path;
    for (const Frame& f : stack_) {
      if (f.node.is_sequence()) {
        path += '[' + std::to_string(f.node.size()) + ']';
      } else if (f.has_key) {
        if (!path.empty()) path += '.';
        path += f.key.name;
      }
    }
    if (!path.empty()) path += '.';
    path += last;
    return path;
  }

  static std::size_t count_values(const Node& node) {
    std::size_t n = 1;
    for (std::size_t i = 0; i < node.size(); ++i) n += count_values(node.child(i));
    return n;
  }

  void add(Node node, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = Anchored{node, count_values(node)};
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_sequence()) {
      top.node.push_back(std::move(node));
      return;
    }
    if (!top.has_key) {
      top.skip_value = false;
      if (!node.is_scalar()) {
        diagnostics_.push_back(
            Diagnostic{node.location(), path_to(""), "mapping keys must be plain text"});
        top.skip_value = true;
      } else if (const std::size_t i = top.node.index_of(node.text()); i < top.node.size()) {
        const Location& first = top.node.keys()[i].where;
        diagnostics_.push_back(Diagnostic{node.location(), path_to(node.text()),
                                          "duplicate key '" + node.text() +
                                              "' (first defined at line " +
                                              std::to_string(first.line) + ")"});
        top.skip_value = true;
      }
      top.key = Node::Key{node.text(), node.location()};
      top.has_key = true;
      return;
    }
    top.has_key = false;
    if (!top.skip_value) top.node.set(std::move(top.key.name), top.key.where, std::move(node));
  }

  struct Anchored {
    Node node;
    std::size_t values = 0;  ///< nodes in it, itself included
  };
  /// Values a document may expand to: the largest scenarios tipsim ships hold a few
  /// thousand; a million leaves room for generated ones and bounds the memory (about 100
  /// bytes a value).
  static constexpr std::size_t kMaxValues = 1'000'000;

  const std::string& file_;
  std::vector<Diagnostic>& diagnostics_;
  Node root_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::size_t values_ = 0;
  bool expansion_refused_ = false;
};

std::string describe_scalar_for_path(const Node& n) {
  if (n.is_scalar()) return "'" + n.text() + "'";
  if (n.is_sequence()) return "a list";
  if (n.is_map()) return "a mapping";
  return "null";
}

/// Why `path` could not be read: what file_problem() finds, else what the system said
/// when opening it (`open_errno`).
std::string unreadable_because(const fs::path& path, int open_errno) {
  if (const auto problem = file_problem(path)) return *problem;
  return open_errno != 0 ? std::strerror(open_errno) : "cannot be read";
}

/// Loads files and follows their `extends` chains, collecting every problem on the way.
class Loader {
 public:
  std::vector<Diagnostic> diagnostics;
  std::vector<Document::Source> sources;

  /// Parses `text` (the contents of file `name` in directory `dir`) and merges it over its base.
  Node resolve(std::string_view text, const std::string& name, const fs::path& dir,
               const fs::path& identity) {
    if (auto problem = utf8_problem(text, name)) {
      diagnostics.push_back(std::move(*problem));
      return Node::null(Location{name, 0, 0});
    }
    if (text.find('\r') != std::string_view::npos && text.find('\n') == std::string_view::npos) {
      // YAML reads a lone CR as a line break, but yaml-cpp does not: say so, not "illegal
      // map value" at a place the user cannot see.
      diagnostics.push_back(Diagnostic{Location{name, 1, 0}, "",
                                       "lines end with a carriage return alone (CR, the old "
                                       "Mac format); save the file with LF or CRLF line "
                                       "endings"});
      return Node::null(Location{name, 0, 0});
    }
    chain_.push_back(Link{name, identity});
    Node own = parse_yaml(without_utf8_bom(text), name, diagnostics);
    Node result;
    if (!own.is_null() && !own.is_map()) {
      diagnostics.push_back(Diagnostic{
          own.location(), "",
          "expected a mapping of keys at the top level, got " + describe_scalar_for_path(own)});
    } else {
      result = resolve_extends(std::move(own), dir);
    }
    chain_.pop_back();
    return result;
  }

  /// Reads and resolves the file at `path`; problems reading it are reported at `from`.
  Node load(const fs::path& path, const std::string& name, const Location& from,
            const std::string& from_key, const std::string& message, std::string* text_out) {
    if (files != nullptr) return load_from_memory(path, name, from, from_key, message);
    std::error_code ec;
    std::ifstream in;
    errno = 0;
    if (fs::is_regular_file(path, ec)) in.open(path, std::ios::binary);
    const int open_errno = errno;
    std::ostringstream buffer;
    if (in.is_open()) buffer << in.rdbuf();
    if (!in.is_open() || in.bad()) {
      const std::string why = unreadable_because(path, open_errno);
      // The file asked for itself is a file error (exit 3); a base it extends is a problem
      // of the scenario that names it, reported with the others.
      if (text_out != nullptr) throw IoError(name + ": " + why);
      diagnostics.push_back(Diagnostic{from, from_key, message + ": " + why});
      return Node::null(Location{name, 0, 0});
    }
    std::string text = std::move(buffer).str();
    // Recorded before resolving, so the top file comes before the files it extends.
    sources.push_back(Document::Source{path, text});
    Node node = resolve(text, name, path.parent_path(), identity_of(path));
    if (text_out != nullptr) *text_out = std::move(text);
    return node;
  }

  /// Set: files are looked up here (path -> text) instead of being read.
  const std::map<std::string, std::string>* files = nullptr;

  Node load_from_memory(const fs::path& path, const std::string& name, const Location& from,
                        const std::string& from_key, const std::string& message) {
    const auto found = files->find(path.lexically_normal().generic_string());
    if (found == files->end()) {
      diagnostics.push_back(Diagnostic{from, from_key, message + ": no such file"});
      return Node::null(Location{name, 0, 0});
    }
    sources.push_back(Document::Source{path, found->second});
    return resolve(found->second, name, path.parent_path(), path.lexically_normal());
  }

  static fs::path identity_of(const fs::path& path) {
    std::error_code ec;
    fs::path id = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal() : id;
  }

 private:
  struct Link {
    std::string name;
    fs::path identity;
  };

  static Node resolve_plus_keys(Node own) {
    if (!own.is_map()) return own;
    Node root = Node::map(own.location());
    root.merge(std::move(own));
    return root;
  }

  Node resolve_extends(Node own, const fs::path& dir) {
    const Node* ext = own.is_map() ? own.find("extends") : nullptr;
    // Merging onto an empty map turns `key+:` into `key:` in a file without a base.
    if (ext == nullptr) return resolve_plus_keys(std::move(own));
    Node base;
    if (!ext->is_scalar() || ext->text().empty()) {
      diagnostics.push_back(
          Diagnostic{ext->location(), "extends",
                     "expected a file path, got " + describe_scalar_for_path(*ext)});
    } else {
      const fs::path target = dir / ext->text();
      const std::string target_name = target.lexically_normal().generic_string();
      const fs::path id = files != nullptr ? target.lexically_normal() : identity_of(target);
      const auto seen = std::find_if(chain_.begin(), chain_.end(),
                                     [&](const Link& l) { return l.identity == id; });
      if (seen != chain_.end()) {
        std::string cycle;
        for (auto it = seen; it != chain_.end(); ++it) cycle += it->name + " -> ";
        diagnostics.push_back(
            Diagnostic{ext->location(), "extends", "circular extends: " + cycle + seen->name});
      } else {
        base = load(target, target_name, ext->location(), "extends",
                    "cannot read file '" + target_name + "'", nullptr);
      }
    }
    own.erase("extends");
    if (!base.is_map()) return resolve_plus_keys(std::move(own));
    base.merge(std::move(own));
    return base;
  }

  std::vector<Link> chain_;
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

void apply_override(Node& root, const std::string& spec, int index,
                    std::vector<Diagnostic>& diagnostics) {
  const Location at{"--set", index, 1};
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos) {
    diagnostics.push_back(Diagnostic{at, "", "expected key.path=value, got '" + spec + "'"});
    return;
  }
  const std::string path = spec.substr(0, eq);
  if (path.empty()) {
    diagnostics.push_back(Diagnostic{at, "", "empty key path in '" + spec + "'"});
    return;
  }
  const std::vector<std::string> segments = split_path(path);
  if (std::any_of(segments.begin(), segments.end(), [](const auto& s) { return s.empty(); })) {
    diagnostics.push_back(Diagnostic{at, path, "empty segment in key path '" + path + "'"});
    return;
  }
  if (segments.front() == "extends") {
    diagnostics.push_back(Diagnostic{at, path, "'extends' cannot be set from the command line"});
    return;
  }
  const std::string_view text = std::string_view(spec).substr(eq + 1);
  if (text.find_first_not_of(" \t") == std::string_view::npos) {
    // An empty value would parse as null and quietly bring back the default.
    diagnostics.push_back(Diagnostic{at, path,
                                     "no value after '='; give one (write null to set null, "
                                     "'' for an empty text)"});
    return;
  }
  if (auto problem = utf8_problem(text, "--set")) {
    diagnostics.push_back(Diagnostic{at, path, "in value: " + problem->message});
    return;
  }
  std::vector<Diagnostic> value_problems;
  Node value = parse_yaml(text, "--set", value_problems);
  if (!value_problems.empty()) {
    for (Diagnostic& d : value_problems)
      diagnostics.push_back(Diagnostic{at, path, "in value: " + d.message});
    return;
  }
  value.relocate(at);

  if (root.is_null()) root = Node::map(at);
  Node* current = &root;
  std::string walked;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const std::string& seg = segments[k];
    if (current->is_null()) *current = Node::map(at);
    Node* next = nullptr;
    if (current->is_map()) {
      next = current->find(seg);
      if (next == nullptr) next = &current->set(seg, at, Node::null(at));
    } else if (current->is_sequence()) {
      std::size_t i = 0;
      const auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), i);
      if (ec != std::errc{} || end != seg.data() + seg.size()) {
        // An item named by its identity: its `name`, or FROM-TO for a route.
        i = current->size();
        std::string known;
        for (std::size_t c = 0; c < current->size(); ++c) {
          const auto id = current->child(c).identity();
          if (id && *id == seg) i = c;
          if (id) known += (known.empty() ? "" : ", ") + *id;
        }
        if (i == current->size()) {
          diagnostics.push_back(
              Diagnostic{at, path,
                         "'" + walked + "' has no item named '" + seg + "'" +
                             (known.empty() ? "; give an item index" : " (it has " + known + ")")});
          return;
        }
      }
      if (i >= current->size()) {
        diagnostics.push_back(Diagnostic{at, path,
                                         "index " + seg + " is out of range: '" + walked +
                                             "' has " + std::to_string(current->size()) +
                                             " items"});
        return;
      }
      next = &current->child(i);
    } else {
      diagnostics.push_back(Diagnostic{
          at, path, "cannot set '" + path + "': '" + walked + "' is not a mapping or list"});
      return;
    }
    walked += (walked.empty() ? "" : ".") + seg;
    current = next;
  }
  *current = std::move(value);
}

/// Applies every override, then throws with all problems of loading and overriding.
void apply_overrides(Node& root, const std::vector<std::string>& overrides,
                     std::vector<Diagnostic>& diagnostics) {
  for (std::size_t i = 0; i < overrides.size(); ++i)
    apply_override(root, overrides[i], static_cast<int>(i + 1), diagnostics);
  if (!diagnostics.empty()) {
    sort_by_location(diagnostics);
    throw ScenarioError(std::move(diagnostics));
  }
}

}  // namespace

namespace {

/// The deepest nesting of [ and { in `text` (quotes are not looked into: this only
/// explains a parser's refusal).
std::size_t flow_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  for (const char c : text) {
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

}  // namespace

Node parse_yaml(std::string_view text, const std::string& file,
                std::vector<Diagnostic>& diagnostics) {
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file, diagnostics);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    std::vector<Diagnostic> ignored;
    TreeBuilder rest(file, ignored);
    if (parser.HandleNextDocument(rest)) {
      diagnostics.push_back(Diagnostic{rest.take_root().location(), "",
                                       "only one YAML document is allowed per file"});
    }
  } catch (const YAML::ParserException& e) {
    std::string message = "YAML syntax error: " + e.msg;
    // yaml-cpp stops deep nesting with a message that does not say so.
    if (e.msg == "bad file" && flow_depth(text) > 100)
      message = "lists or mappings nested " + std::to_string(flow_depth(text)) +
                " deep, more than the YAML parser takes; a scenario needs a few levels";
    diagnostics.push_back(Diagnostic{to_location(file, e.mark), "", message});
    return Node::null(Location{file, 0, 0});
  }
  return builder.take_root();
}

Document Document::load_file(const fs::path& file, const std::vector<std::string>& overrides) {
  Loader loader;
  Document doc;
  const std::string name = file.generic_string();
  doc.root_ =
      loader.load(file, name, Location{name, 0, 0}, "", "cannot read file", &doc.main_text_);
  apply_overrides(doc.root_, overrides, loader.diagnostics);
  doc.sources_ = std::move(loader.sources);
  return doc;
}

Document Document::load_string(std::string_view text, std::string name, const fs::path& base_dir,
                               const std::vector<std::string>& overrides) {
  Loader loader;
  Document doc;
  doc.main_text_ = std::string(text);
  doc.root_ = loader.resolve(text, name, base_dir, Loader::identity_of(base_dir / name));
  apply_overrides(doc.root_, overrides, loader.diagnostics);
  doc.sources_ = std::move(loader.sources);
  return doc;
}

Document Document::load_string(std::string_view text, std::string name, const fs::path& base_dir,
                               const std::vector<std::string>& overrides,
                               const std::map<std::string, std::string>& files) {
  Loader loader;
  loader.files = &files;
  Document doc;
  doc.main_text_ = std::string(text);
  doc.root_ = loader.resolve(text, name, base_dir, (base_dir / name).lexically_normal());
  apply_overrides(doc.root_, overrides, loader.diagnostics);
  doc.sources_ = std::move(loader.sources);
  return doc;
}

}  // namespace tipsim::config
