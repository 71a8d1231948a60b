// Crafted run files are not trusted: totals that would overflow, day numbers far outside
// any calendar, and a schema version that is not a whole number are refused, naming what
// is wrong, instead of giving wrapped-around numbers or reading 3.7 as 3.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/summary.hpp"
#include "run_file_support.hpp"
#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::analysis {
namespace {

namespace fs = std::filesystem;

using testing_support::RunSpec;
using testing_support::TempDirTest;

class CraftedFileTest : public TempDirTest {
 protected:
  /// A valid run file with dataset `name` replaced by `values`.
  fs::path with_dataset(const std::string& name, const std::vector<std::int64_t>& values) {
    h5::File f = open_without(name);
    f.root().write<std::int64_t>(name, values);
    f.close();
    return path_;
  }
  fs::path with_dataset(const std::string& name, const std::vector<std::int32_t>& values) {
    h5::File f = open_without(name);
    f.root().write<std::int32_t>(name, values);
    f.close();
    return path_;
  }

  h5::File open_without(const std::string& name) {
    path_ = write(RunSpec{}, "run" + std::to_string(++files_) + ".h5");
    h5::File f = h5::File::open_read_write(path_);
    EXPECT_GE(H5Ldelete(f.root().id(), name.c_str(), H5P_DEFAULT), 0);
    return f;
  }

  fs::path path_;
  int files_ = 0;

  static std::string summary_error(const fs::path& path) {
    try {
      static_cast<void>(summarize(path));
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(CraftedFileTest, TotalsThatWouldOverflowAreRefused) {
  // Ten days of 2^62 each: the sum wraps around a 64-bit integer.
  const fs::path path =
      with_dataset("timeseries/recruited", std::vector<std::int64_t>(10, std::int64_t{1} << 62));
  EXPECT_EQ(summary_error(path),
            path.string() +
                ": /timeseries/recruited: values sum past 2^60 (about 1.2e18): a damaged or "
                "crafted file");
}

TEST_F(CraftedFileTest, AStockBeyondTheLargestTotalIsRefused) {
  // compare subtracts one run's stocks from the other's: the extremes would overflow.
  const fs::path path = with_dataset(
      "timeseries/wecs", std::vector<std::int64_t>(10, std::numeric_limits<std::int64_t>::min()));
  EXPECT_NE(summary_error(path).find("/timeseries/wecs: values sum past 2^60"), std::string::npos);
}

TEST_F(CraftedFileTest, DaysNearTheLimitOf32BitIntegersAreRefused) {
  std::vector<std::int32_t> days(10);
  for (std::size_t i = 0; i < days.size(); ++i)
    days[i] = std::numeric_limits<std::int32_t>::max() - 9 + static_cast<std::int32_t>(i);
  const fs::path path = with_dataset("timeseries/date", days);
  EXPECT_EQ(summary_error(path),
            path.string() +
                ": /timeseries/date holds day 2147483638 (row 0), not a date from "
                "year 0 to 9999: a damaged or crafted file");
  EXPECT_THROW(static_cast<void>(first_divergence(path, path)), IoError);

  const fs::path observed = with_dataset(
      "observations/date", std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min(), 0});
  EXPECT_NE(summary_error(observed).find("/observations/date holds day -2147483648"),
            std::string::npos);
}

TEST_F(CraftedFileTest, ASchemaVersionThatIsNotAWholeNumberIsRefused) {
  const fs::path path = write(RunSpec{}, "run.h5");
  {
    h5::File f = h5::File::open_read_write(path);
    f.root().set_double_attribute("schema_version", 3.7);
    f.close();
  }
  EXPECT_EQ(summary_error(path),
            path.string() + ": /@schema_version: attribute is 3.7, not a whole number");
}

}  // namespace
}  // namespace tipsim::analysis
