#include "sim/h5/atomic_output.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/h5/file.hpp"

namespace tipsim::h5 {
namespace {

namespace fs = std::filesystem;

class AtomicOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tipsim_atomic_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

void write_hdf5(const fs::path& path, double value) {
  File out = File::create(path);
  out.root().write<double>("x", std::vector<double>{value});
  out.close();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(AtomicOutputTest, TemporaryLivesNextToFinalPath) {
  const AtomicOutput output(dir_ / "run.h5");
  EXPECT_EQ(output.temp_path().parent_path(), dir_);
  const std::string name = output.temp_path().filename().string();
  EXPECT_EQ(name.rfind("run.h5.tmp-" + std::to_string(::getpid()) + "-", 0), 0U) << name;
  const AtomicOutput other(dir_ / "run.h5");
  EXPECT_NE(other.temp_path(), output.temp_path());
}

TEST_F(AtomicOutputTest, UncommittedLeavesNothing) {
  {
    AtomicOutput output(dir_ / "run.h5");
    write_hdf5(output.temp_path(), 1.0);
    EXPECT_TRUE(fs::exists(output.temp_path()));
  }
  EXPECT_EQ(entries(), 0U);
}

TEST_F(AtomicOutputTest, FailedRunLeavesNothing) {
  try {
    AtomicOutput output(dir_ / "run.h5");
    write_hdf5(output.temp_path(), 1.0);
    throw IoError("simulated failure");
  } catch (const IoError&) {
  }
  EXPECT_EQ(entries(), 0U);
}

TEST_F(AtomicOutputTest, CommitPublishesFinalFile) {
  const fs::path final_path = dir_ / "run.h5";
  {
    AtomicOutput output(final_path);
    write_hdf5(output.temp_path(), 2.5);
    output.commit();
    EXPECT_TRUE(output.committed());
    EXPECT_THROW(output.commit(), IoError);
  }
  ASSERT_TRUE(fs::exists(final_path));
  EXPECT_EQ(entries(), 1U);
  File in = File::open_read(final_path);
  EXPECT_EQ(in.root().read<double>("x"), (std::vector<double>{2.5}));
}

TEST_F(AtomicOutputTest, ExistingFinalFileUntouchedWithoutCommit) {
  const fs::path final_path = dir_ / "run.h5";
  { std::ofstream(final_path) << "previous results"; }
  {
    AtomicOutput output(final_path);
    write_hdf5(output.temp_path(), 3.0);
  }
  EXPECT_EQ(read_text(final_path), "previous results");
  EXPECT_EQ(entries(), 1U);
}

TEST_F(AtomicOutputTest, CommitReplacesExistingFinalFile) {
  const fs::path final_path = dir_ / "run.h5";
  { std::ofstream(final_path) << "previous results"; }
  {
    AtomicOutput output(final_path);
    write_hdf5(output.temp_path(), 4.0);
    output.commit();
  }
  File in = File::open_read(final_path);
  EXPECT_EQ(in.root().read<double>("x"), (std::vector<double>{4.0}));
  EXPECT_EQ(entries(), 1U);
}

TEST_F(AtomicOutputTest, CommitWithoutWritingThrows) {
  AtomicOutput output(dir_ / "run.h5");
  EXPECT_THROW(output.commit(), IoError);
  EXPECT_FALSE(output.committed());
}

TEST_F(AtomicOutputTest, MissingDirectoryThrows) {
  EXPECT_THROW(AtomicOutput(dir_ / "missing" / "run.h5"), IoError);
}

TEST_F(AtomicOutputTest, MovedOutputDeletesOnce) {
  std::vector<AtomicOutput> outputs;
  outputs.emplace_back(dir_ / "a.h5");
  write_hdf5(outputs.back().temp_path(), 1.0);
  outputs.emplace_back(dir_ / "b.h5");  // may move the first
  write_hdf5(outputs.back().temp_path(), 2.0);
  outputs.front().commit();
  outputs.clear();
  EXPECT_TRUE(fs::exists(dir_ / "a.h5"));
  EXPECT_EQ(entries(), 1U);
}

}  // namespace
}  // namespace tipsim::h5
