#include "sim/ensemble/journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/ensemble/run_row.hpp"
#include "sim/error.hpp"

namespace tipsim::ensemble {
namespace {

namespace fs = std::filesystem;

RunRow sample_row(std::uint64_t run, bool failed = false) {
  RunRow r;
  r.run = run;
  r.failed = failed;
  r.message = failed ? "it broke" : "";
  r.wall_seconds = 0.25 * static_cast<double>(run);
  r.indicators = {{"totals.recruited", 10.0 + static_cast<double>(run)}, {"share", std::nan("")}};
  r.days = {18262, 18263};
  r.series = {{1, 2}, {3.5, -4}};
  return r;
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tipsim_journal_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "ens.h5.journal";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_, path_;
};

TEST(RunRowTest, SerializesExactly) {
  const RunRow r = sample_row(7, true);
  const RunRow back = deserialize(serialize(r));
  EXPECT_EQ(back.run, 7u);
  EXPECT_TRUE(back.failed);
  EXPECT_EQ(back.message, "it broke");
  EXPECT_EQ(back.wall_seconds, 1.75);
  ASSERT_EQ(back.indicators.size(), 2u);
  EXPECT_EQ(back.indicators[0], r.indicators[0]);
  EXPECT_TRUE(std::isnan(back.indicators[1].second));
  EXPECT_EQ(back.days, r.days);
  EXPECT_EQ(back.series, r.series);
}

TEST(RunRowTest, RefusesTruncatedOrExtendedBytes) {
  const std::string bytes = serialize(sample_row(1));
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW((void)deserialize(bytes.substr(0, cut)), std::runtime_error) << cut;
  EXPECT_THROW((void)deserialize(bytes + "x"), std::runtime_error);
}

TEST_F(JournalTest, KeepsRunsAcrossReopening) {
  {
    Journal j(path_, "seed: 1\n");
    EXPECT_TRUE(j.index().empty());
    j.append(sample_row(3));
    j.append(sample_row(5, true));
  }
  Journal j(path_, "seed: 1\n");
  EXPECT_TRUE(j.has(3));
  EXPECT_TRUE(j.has(5));
  EXPECT_FALSE(j.has(4));
  EXPECT_FALSE(j.failed(3));
  EXPECT_TRUE(j.failed(5));
  EXPECT_EQ(j.read(3).indicators[0].second, 13.0);
  // A later record of a run replaces the earlier one.
  j.append(sample_row(5));
  EXPECT_FALSE(j.failed(5));
  EXPECT_FALSE(j.read(5).failed);
}

TEST_F(JournalTest, DropsATornLastRecordAndAppendsAfterTheLastWholeOne) {
  {
    Journal j(path_, "seed: 1\n");
    j.append(sample_row(0));
    j.append(sample_row(1));
  }
  const auto size = fs::file_size(path_);
  for (const std::uintmax_t cut : {size - 1, size - 30}) {
    fs::resize_file(path_, cut);
    Journal j(path_, "seed: 1\n");
    EXPECT_TRUE(j.has(0));
    EXPECT_FALSE(j.has(1));
    j.append(sample_row(1));
  }
  Journal j(path_, "seed: 1\n");
  EXPECT_TRUE(j.has(1));
  EXPECT_EQ(j.read(1).series, sample_row(1).series);
}

TEST_F(JournalTest, DropsACorruptedRecord) {
  {
    Journal j(path_, "seed: 1\n");
    j.append(sample_row(0));
    j.append(sample_row(1));
  }
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(path_) - 5));
    f.put('\x7f');
  }
  Journal j(path_, "seed: 1\n");
  EXPECT_TRUE(j.has(0));
  EXPECT_FALSE(j.has(1));
}

TEST_F(JournalTest, RefusesTheJournalOfAnotherExperimentSayingWhatDiffers) {
  { Journal j(path_, "kind: ensemble\nseed: 1\nwindow: a\n"); }
  try {
    Journal j(path_, "kind: ensemble\nseed: 2\nwindow: a\n");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              path_.string() +
                  " holds the unfinished runs of another experiment: 'seed: 1' there, 'seed: 2' "
                  "here. Rerun that experiment's command to finish it, or delete "
                  "ens.h5.journal to start this one");
  }
}

TEST_F(JournalTest, AHeaderCutShortStartsAnew) {
  { Journal j(path_, "seed: 1\n"); }
  fs::resize_file(path_, 10);
  Journal j(path_, "seed: 1\n");
  EXPECT_TRUE(j.index().empty());
  j.append(sample_row(2));
  EXPECT_TRUE(j.has(2));
}

TEST_F(JournalTest, RemoveDeletesTheFile) {
  Journal j(path_, "seed: 1\n");
  j.remove();
  EXPECT_FALSE(fs::exists(path_));
}

}  // namespace
}  // namespace tipsim::ensemble
