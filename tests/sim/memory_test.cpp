// Sizes read and written in binary units, and what the process can see of its memory.
#include "sim/memory.hpp"

#include <gtest/gtest.h>

#include <new>
#include <vector>

#include "sim/ensemble/executor.hpp"

namespace tipsim::memory {
namespace {

TEST(Memory, SizesAreReadInBinaryUnits) {
  EXPECT_EQ(parse_size("1048576"), 1048576u);
  EXPECT_EQ(parse_size("100b"), 100u);
  EXPECT_EQ(parse_size("64k"), 64u * 1024);
  EXPECT_EQ(parse_size("512M"), 512u * 1024 * 1024);
  EXPECT_EQ(parse_size("512MiB"), 512u * 1024 * 1024);
  EXPECT_EQ(parse_size("8G"), 8ull << 30);
  EXPECT_EQ(parse_size("1.5GiB"), 3ull << 29);
  EXPECT_EQ(parse_size("2T"), 2ull << 40);
}

TEST(Memory, AnythingElseIsNotASize) {
  for (const char* bad : {"", "-5", "12X", "0", "0.1", "G", "1.5.2G", "8 G", ".5G", "5.G", "8GB2",
                          "1e9", "99999999999P"})
    EXPECT_FALSE(parse_size(bad)) << bad;
}

TEST(Memory, SizesAreWrittenInBinaryUnits) {
  EXPECT_EQ(format_bytes(100), "100 bytes");
  EXPECT_EQ(format_bytes(12 * 1024), "12.0 KiB");
  EXPECT_EQ(format_bytes(530.0 * 1024 * 1024), "530 MiB");
  EXPECT_EQ(format_bytes(61.2 * 1024 * 1024 * 1024), "61.2 GiB");
}

TEST(Memory, TheResidentSetGrowsWithWhatIsTouched) {
  const auto before = resident_bytes();
  ASSERT_GT(before, 0u);
  std::vector<char> block(64u << 20, 1);  // 64 MiB, every page written
  EXPECT_GT(resident_bytes(), before + (32u << 20));
  EXPECT_EQ(block[12345], 1);
}

TEST(Memory, TheTightestLimitIsTheDeclaredOneWhenItIsSmallest) {
  EXPECT_GT(tightest(std::nullopt).bytes, 1u << 20);  // physical memory, at least
  const auto declared = tightest(4096);
  EXPECT_EQ(declared.bytes, 4096u);
  EXPECT_EQ(declared.what, "--max-memory 4.0 KiB");
  EXPECT_FALSE(limits(std::nullopt).empty());
}

TEST(Memory, AnEnsembleRunThatRunsOutOfMemoryFailsSayingSo) {
  const auto row =
      ensemble::compute_row(3, [](std::uint64_t) -> ensemble::RunRow { throw std::bad_alloc(); });
  EXPECT_TRUE(row.failed);
  EXPECT_EQ(row.run, 3u);
  EXPECT_EQ(row.message.rfind("out of memory: the runs in progress at once", 0), 0u) << row.message;
}

}  // namespace
}  // namespace tipsim::memory
