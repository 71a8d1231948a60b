#include "sim/h5/atomic_output.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
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

/// The message AtomicOutput(path) throws, or "" when it takes the path.
std::string refusal(const fs::path& path) {
  try {
    const AtomicOutput output(path);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST_F(AtomicOutputTest, AnOutputThatIsNotARegularFileIsRefusedBeforeAnythingIsWritten) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(refusal(fifo), fifo.string() +
                               ": exists and is a named pipe; the output must be a regular file "
                               "or not exist yet");
  fs::create_directory(dir_ / "folder");
  EXPECT_NE(refusal(dir_ / "folder").find("exists and is a folder"), std::string::npos);
  EXPECT_NE(refusal(dir_ / ".").find("output path names no file"), std::string::npos);
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(entries(), 2U);
}

TEST_F(AtomicOutputTest, LongNamesFitTheirTemporaryOrAreRefused) {
  // A legal 250-byte name: the temporary's suffix must not push it past 255 bytes.
  const fs::path legal = dir_ / (std::string(246, 'x') + ".h5");
  AtomicOutput output(legal);
  EXPECT_LE(output.temp_path().filename().string().size(), 255U);
  write_hdf5(output.temp_path(), 1.0);
  output.commit();
  EXPECT_TRUE(fs::exists(legal));
  const fs::path too_long = dir_ / (std::string(300, 'y') + ".h5");
  EXPECT_NE(refusal(too_long).find("the file name is 303 bytes long"), std::string::npos);
}

TEST_F(AtomicOutputTest, AnUnwritableFolderIsRefusedUpFront) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes in any folder of a writable file system";
  fs::create_directory(dir_ / "locked");
  fs::permissions(dir_ / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_NE(refusal(dir_ / "locked" / "out.h5").find("cannot write in the output directory"),
            std::string::npos);
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
}

}  // namespace
}  // namespace tipsim::h5
