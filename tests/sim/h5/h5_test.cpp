#include "sim/h5/h5.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "sim/error.hpp"

namespace tipsim::h5 {
namespace {

namespace fs = std::filesystem;

class H5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("tipsim_h5_" + std::to_string(::getpid()) + "_" +
                                        info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] fs::path file(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

template <class T>
class NumericRoundTrip : public H5Test {};

using NumericTypes = ::testing::Types<std::int8_t, std::uint8_t, std::int16_t, std::int32_t,
                                      std::uint32_t, std::int64_t, std::uint64_t, float, double>;
TYPED_TEST_SUITE(NumericRoundTrip, NumericTypes);

TYPED_TEST(NumericRoundTrip, OneAndTwoDimensionalDatasetsReadBackEqual) {
  using T = TypeParam;
  std::vector<T> values;
  values.push_back(std::numeric_limits<T>::lowest());
  values.push_back(std::numeric_limits<T>::max());
  for (int i = 0; i < 10; ++i) values.push_back(static_cast<T>(i * 3));
  const fs::path path = this->file("numeric.h5");
  {
    File out = File::create(path);
    Group root = out.root();
    root.write<T>("flat", values);
    root.write<T>("matrix", values, {3, 4},
                  DatasetOptions{}.with_chunk_rows(2).with_unit("widgets"));
    out.close();
  }
  File in = File::open_read(path);
  const Group root = in.root();
  std::vector<std::uint64_t> dims;
  EXPECT_EQ(root.read<T>("flat", &dims), values);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{12}));
  EXPECT_EQ(root.read<T>("matrix", &dims), values);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(root.open_object("matrix").string_attribute("unit"), "widgets");
  EXPECT_FALSE(root.open_object("flat").has_attribute("unit"));
}

TEST_F(H5Test, ReadConvertsBetweenStoredTypes) {
  const fs::path path = file("convert.h5");
  File out = File::create(path);
  Group root = out.root();
  root.write<std::int32_t>("ints", std::vector<std::int32_t>{-2, 0, 7});
  EXPECT_EQ(root.read<double>("ints"), (std::vector<double>{-2.0, 0.0, 7.0}));
  EXPECT_EQ(root.read<std::int64_t>("ints"), (std::vector<std::int64_t>{-2, 0, 7}));
}

TEST_F(H5Test, EmptyDatasetRoundTrips) {
  File out = File::create(file("empty.h5"));
  Group root = out.root();
  root.write<double>("none", std::vector<double>{}, {}, DatasetOptions{}.with_chunk_rows(16));
  std::vector<std::uint64_t> dims;
  EXPECT_TRUE(root.read<double>("none", &dims).empty());
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{0}));
}

TEST_F(H5Test, DimsMustMatchData) {
  File out = File::create(file("dims.h5"));
  Group root = out.root();
  const std::vector<double> values(6, 1.0);
  EXPECT_THROW(root.write<double>("bad", values, {4, 2}), IoError);
  EXPECT_THROW(root.write<double>("cube", values, {1, 2, 3}), IoError);
  EXPECT_THROW(root.write<double>("level", values, {},
                                  DatasetOptions{}.with_chunk_rows(2).with_deflate_level(10)),
               IoError);
}

TEST_F(H5Test, StringsRoundTrip) {
  const std::vector<std::string> names = {"Accra", "", "Tarkwa \xe2\x80\x94 mine", "Obuasi"};
  const fs::path path = file("strings.h5");
  {
    File out = File::create(path);
    Group root = out.root();
    root.write_strings("sites", names, DatasetOptions{}.with_description("site names"));
    root.write_strings("nothing", std::vector<std::string>{});
  }
  File in = File::open_read(path);
  EXPECT_EQ(in.root().read_strings("sites"), names);
  EXPECT_TRUE(in.root().read_strings("nothing").empty());
  EXPECT_EQ(in.root().open_object("sites").string_attribute("description"), "site names");
}

TEST_F(H5Test, AttributesRoundTrip) {
  const fs::path path = file("attributes.h5");
  {
    File out = File::create(path);
    Group run = out.root().create_group("provenance");
    run.set_string_attribute("commit", "abc123");
    run.set_string_attribute("scenario", "base \xc3\xa9t\xc3\xa9", StringStorage::fixed_length);
    run.set_string_attribute("empty_fixed", "", StringStorage::fixed_length);
    run.set_string_attribute("empty_variable", "");
    run.set_int_attribute("seed", std::numeric_limits<std::int64_t>::min());
    run.set_double_attribute("scale", 0.125);
    run.set_int_array_attribute("sizes", std::vector<std::int64_t>{1, -2, 3});
    run.set_double_array_attribute("weights", std::vector<double>{0.5, 1.5});
    run.set_double_array_attribute("no_weights", std::vector<double>{});
    run.set_int_attribute("replaced", 1);
    run.set_int_attribute("replaced", 2);
  }
  File in = File::open_read(path);
  const Group run = in.root().open_group("provenance");
  EXPECT_EQ(run.string_attribute("commit"), "abc123");
  EXPECT_EQ(run.string_attribute("scenario"), "base \xc3\xa9t\xc3\xa9");
  EXPECT_EQ(run.string_attribute("empty_fixed"), "");
  EXPECT_EQ(run.string_attribute("empty_variable"), "");
  EXPECT_EQ(run.int_attribute("seed"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(run.double_attribute("scale"), 0.125);
  EXPECT_EQ(run.double_attribute("replaced"), 2.0);
  EXPECT_EQ(run.int_array_attribute("sizes"), (std::vector<std::int64_t>{1, -2, 3}));
  EXPECT_EQ(run.double_array_attribute("weights"), (std::vector<double>{0.5, 1.5}));
  EXPECT_TRUE(run.double_array_attribute("no_weights").empty());
  EXPECT_TRUE(run.has_attribute("seed"));
  EXPECT_FALSE(run.has_attribute("missing"));
  EXPECT_EQ(run.attribute_names().size(), 10U);
  EXPECT_THROW(static_cast<void>(run.int_attribute("commit")), IoError);
  EXPECT_THROW(static_cast<void>(run.string_attribute("seed")), IoError);
  EXPECT_THROW(static_cast<void>(run.int_attribute("sizes")), IoError);
  EXPECT_THROW(static_cast<void>(run.string_attribute("missing")), IoError);
}

TEST_F(H5Test, GroupsNestAndList) {
  File out = File::create(file("groups.h5"));
  Group root = out.root();
  Group deep = root.create_group("a/b/c");
  EXPECT_EQ(deep.path(), "/a/b/c");
  root.create_group("a/b2");
  root.open_group("a").write<double>("x", std::vector<double>{1.0});
  EXPECT_TRUE(root.exists("a/b/c"));
  EXPECT_TRUE(root.exists("/a/b"));
  EXPECT_FALSE(root.exists("a/missing/c"));
  EXPECT_FALSE(root.exists("z"));
  EXPECT_TRUE(root.is_group("a/b"));
  EXPECT_FALSE(root.is_group("a/x"));
  EXPECT_EQ(root.open_group("a").children(), (std::vector<std::string>{"b", "b2", "x"}));
  EXPECT_EQ(root.create_group("a/b").path(), "/a/b");  // existing group is reopened
  EXPECT_THROW(root.create_group("a/x/y"), IoError);   // x is a dataset
  EXPECT_THROW(static_cast<void>(root.open_group("nope")), IoError);
}

TEST_F(H5Test, MissingDatasetErrorNamesFileAndObject) {
  const fs::path path = file("missing.h5");
  File out = File::create(path);
  Group root = out.root();
  Group results = root.create_group("results");
  try {
    static_cast<void>(results.read<double>("prevalence"));
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("/results/prevalence"), std::string::npos) << message;
  }
  EXPECT_THROW(static_cast<void>(results.read_strings("names")), IoError);
  EXPECT_THROW(static_cast<void>(results.dims("names")), IoError);
}

TEST_F(H5Test, OpeningMissingFileThrows) {
  const fs::path path = file("absent.h5");
  try {
    static_cast<void>(File::open_read(path));
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos);
  }
  EXPECT_THROW(static_cast<void>(File::create(dir_ / "no_dir" / "x.h5")), IoError);
}

TEST_F(H5Test, WritingExistingDatasetThrows) {
  File out = File::create(file("twice.h5"));
  Group root = out.root();
  root.write<double>("x", std::vector<double>{1.0});
  EXPECT_THROW(root.write<double>("x", std::vector<double>{2.0}), IoError);
}

struct Event {
  std::int64_t step;
  std::uint32_t agent;
  std::int8_t kind;
  double amount;
  std::uint16_t pad_unused;  // deliberately not stored
};

enum class Kind : std::int16_t { recruit = 1, exit = 2 };

struct Tagged {
  Kind kind;
  float weight;
};

CompoundType event_type() {
  CompoundType type = CompoundType::of<Event>();
  TIPSIM_H5_MEMBER(type, Event, step);
  TIPSIM_H5_MEMBER(type, Event, agent);
  TIPSIM_H5_MEMBER(type, Event, kind);
  TIPSIM_H5_MEMBER(type, Event, amount);
  return type;
}

std::vector<Event> make_events(std::size_t count) {
  std::vector<Event> events;
  for (std::size_t i = 0; i < count; ++i) {
    events.push_back({static_cast<std::int64_t>(i) * 7, static_cast<std::uint32_t>(i),
                      static_cast<std::int8_t>(i % 5), static_cast<double>(i) / 4.0, 0});
  }
  return events;
}

bool same_stored_members(const Event& a, const Event& b) {
  return a.step == b.step && a.agent == b.agent && a.kind == b.kind && a.amount == b.amount;
}

TEST_F(H5Test, TableAppendsAcrossChunksAndReadsBack) {
  const fs::path path = file("table.h5");
  const std::vector<Event> events = make_events(1000);
  {
    File out = File::create(path);
    Group ledger = out.root().create_group("ledger");
    Table<Event> table = ledger.create_table<Event>("events", event_type(), 64);
    // Uneven batches straddle chunk boundaries.
    std::size_t written = 0;
    for (std::size_t batch = 1; written < events.size(); batch = batch * 3 + 1) {
      const std::size_t n = std::min(batch, events.size() - written);
      table.append(std::span<const Event>(events).subspan(written, n));
      written += n;
      EXPECT_EQ(table.size(), written);
    }
    table.append(std::span<const Event>());
    EXPECT_EQ(table.size(), events.size());
    out.close();
  }
  File in = File::open_read(path);
  const std::vector<Event> back = in.root().read_table<Event>("ledger/events", event_type());
  ASSERT_EQ(back.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE(same_stored_members(back[i], events[i])) << "record " << i;
  }
}

TEST_F(H5Test, TableReopensForAppendAndEnumMembers) {
  const fs::path path = file("reopen.h5");
  CompoundType type = CompoundType::of<Tagged>();
  TIPSIM_H5_MEMBER(type, Tagged, kind);
  TIPSIM_H5_MEMBER(type, Tagged, weight);
  {
    File out = File::create(path);
    Table<Tagged> table = out.root().create_table<Tagged>("tags", type, 2);
    table.append(Tagged{Kind::recruit, 0.5F});
  }
  {
    File out = File::open_read_write(path);
    Table<Tagged> table = out.root().open_table<Tagged>("tags", type);
    EXPECT_EQ(table.size(), 1U);
    const std::vector<Tagged> more = {{Kind::exit, 1.5F}, {Kind::recruit, 2.5F}};
    table.append(more);
    EXPECT_EQ(table.size(), 3U);
  }
  File in = File::open_read(path);
  const std::vector<Tagged> back = in.root().read_table<Tagged>("tags", type);
  ASSERT_EQ(back.size(), 3U);
  EXPECT_EQ(back[1].kind, Kind::exit);
  EXPECT_EQ(back[2].weight, 2.5F);
}

TEST_F(H5Test, CompoundTypeRejectsBadMembers) {
  CompoundType type = CompoundType::of<Event>();
  TIPSIM_H5_MEMBER(type, Event, step);
  EXPECT_THROW(type.add<double>("beyond", sizeof(Event) - 4), IoError);
  EXPECT_THROW(type.add<std::int64_t>("step", offsetof(Event, amount)), IoError);
  File out = File::create(file("mismatch.h5"));
  Group root = out.root();
  EXPECT_THROW(root.create_table<Tagged>("t", type), IoError);  // wrong record size
}

TEST_F(H5Test, SeriesAppendRows) {
  const fs::path path = file("series.h5");
  constexpr std::uint64_t kSites = 5;
  constexpr std::uint64_t kSteps = 600;
  {
    File out = File::create(path);
    Group daily = out.root().create_group("daily");
    Series<std::int32_t> miners =
        daily.create_series<std::int32_t>("miners", kSites, DatasetOptions{}.with_unit("persons"));
    Series<double> price =
        daily.create_series<double>("gold_price", 1, DatasetOptions{}.with_chunk_rows(100));
    std::vector<std::int32_t> row(kSites);
    for (std::uint64_t step = 0; step < kSteps; ++step) {
      for (std::uint64_t site = 0; site < kSites; ++site) {
        row[site] = static_cast<std::int32_t>(step * 10 + site);
      }
      miners.append_row(row);
      price.append(static_cast<double>(step) * 0.5);
    }
    EXPECT_EQ(miners.rows(), kSteps);
    EXPECT_EQ(miners.columns(), kSites);
    EXPECT_THROW(miners.append_row(std::vector<std::int32_t>(kSites + 1)), IoError);
    EXPECT_EQ(miners.rows(), kSteps);
    miners.append_rows(std::vector<std::int32_t>(2 * kSites, -1));
    EXPECT_EQ(miners.rows(), kSteps + 2);
    EXPECT_THROW(miners.append_rows(std::vector<std::int32_t>(3)), IoError);
  }
  File in = File::open_read(path);
  const Group daily = in.root().open_group("daily");
  std::vector<std::uint64_t> dims;
  const std::vector<std::int32_t> miners = daily.read<std::int32_t>("miners", &dims);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{kSteps + 2, kSites}));
  EXPECT_EQ(miners[0], 0);
  EXPECT_EQ(miners[7 * kSites + 3], 73);
  EXPECT_EQ(miners.back(), -1);
  const std::vector<double> price = daily.read<double>("gold_price", &dims);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{kSteps}));
  EXPECT_EQ(price[599], 299.5);
  EXPECT_EQ(daily.open_object("miners").string_attribute("unit"), "persons");
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_sample(const fs::path& path) {
  File out = File::create(path);
  Group root = out.root();
  Group results = root.create_group("results/daily");
  results.set_string_attribute("model", "tipsim");
  results.write<double>("values", std::vector<double>{1.0, 2.0, 3.0, 4.0}, {2, 2},
                        DatasetOptions{}.with_chunk_rows(1).with_unit("USD"));
  Series<float> series = results.create_series<float>("series", 3);
  series.append_row(std::vector<float>{1.0F, 2.0F, 3.0F});
  Table<Event> table = root.create_table<Event>("events", event_type(), 8);
  table.append(make_events(20));
  out.close();
}

TEST_F(H5Test, IdenticalContentGivesIdenticalBytes) {
  write_sample(file("first.h5"));
  // Object modification times have one-second resolution; cross a boundary.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_sample(file("second.h5"));
  const std::string first = file_bytes(file("first.h5"));
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(first == file_bytes(file("second.h5")));
}

bool python_has_h5py() {
  return std::system("/usr/bin/python3 -c 'import h5py' > /dev/null 2>&1") == 0;
}

TEST_F(H5Test, H5pyReadsTablesSeriesAndAttributes) {
  if (!python_has_h5py()) GTEST_SKIP() << "/usr/bin/python3 has no h5py";
  const fs::path path = file("for_python.h5");
  write_sample(path);
  {
    File out = File::open_read_write(path);
    Group root = out.root();
    root.set_string_attribute("fixed", "abc", StringStorage::fixed_length);
    root.write_strings("names", std::vector<std::string>{"x", "y\xc3\xa9"});
  }
  const fs::path script = file("check.py");
  {
    std::ofstream py(script);
    py << "import sys, h5py\n"
          "f = h5py.File(sys.argv[1], 'r')\n"
          "t = f['events']\n"
          "assert t.dtype.names == ('step', 'agent', 'kind', 'amount'), t.dtype.names\n"
          "assert t.shape == (20,), t.shape\n"
          "assert int(t[3]['step']) == 21 and float(t[4]['amount']) == 1.0\n"
          "s = f['results/daily/series']\n"
          "assert s.shape == (1, 3) and s.maxshape == (None, 3), (s.shape, s.maxshape)\n"
          "assert s.compression == 'gzip', s.compression\n"
          "v = f['results/daily/values']\n"
          "assert v.shape == (2, 2) and v[1, 0] == 3.0\n"
          "unit = v.attrs['unit']\n"
          "assert unit in ('USD', b'USD'), unit\n"
          "assert f['results/daily'].attrs['model'] in ('tipsim', b'tipsim')\n"
          "assert f.attrs['fixed'] in ('abc', b'abc'), f.attrs['fixed']\n"
          "names = [n.decode() if isinstance(n, bytes) else n for n in f['names'][()]]\n"
          "assert names == ['x', 'y\\u00e9'], names\n";
  }
  const std::string command = "/usr/bin/python3 " + script.string() + " " + path.string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
}  // namespace tipsim::h5
