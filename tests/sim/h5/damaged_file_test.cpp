// Damaged files: chunks carry Fletcher32 checksums, so damaged data is an error that says
// so, not different numbers; a gzip chunk that cannot be inflated says so too; integers
// stored as floating point must be whole; file images of in-memory files open.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/h5/h5.hpp"

namespace tipsim::h5 {
namespace {

namespace fs = std::filesystem;

class DamagedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tipsim_damaged_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] fs::path file(const std::string& name) const { return dir_ / name; }

  /// File offset of the first chunk of dataset `name`.
  static std::uint64_t first_chunk_offset(const fs::path& path, const std::string& name) {
    const File f = File::open_read(path);
    const Object dataset = f.root().open_object(name);
    haddr_t address = 0;
    hsize_t size = 0;
    hsize_t offset[2] = {0, 0};
    unsigned mask = 0;
    const Handle space(H5Dget_space(dataset.id()));
    EXPECT_GE(H5Dget_chunk_info(dataset.id(), space.get(), 0, offset, &mask, &address, &size), 0);
    return address;
  }

  /// Flips bit 0 of the byte at `offset`.
  static void flip(const fs::path& path, std::uint64_t offset) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char byte = 0;
    f.get(byte);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(byte ^ 1));
  }

  static std::string read_error(const fs::path& path, const std::string& name) {
    try {
      const File f = File::open_read(path);
      static_cast<void>(f.root().read<double>(name));
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

std::vector<double> values(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.5 * static_cast<double>(i);
  return v;
}

TEST_F(DamagedFileTest, ADamagedChunkIsReportedAsDamagedNotReadAsOtherNumbers) {
  for (const int level : {0, 4}) {
    const fs::path path = file("chunked" + std::to_string(level) + ".h5");
    {
      File f = File::create(path);
      f.root().write<double>("x", values(64), {},
                             DatasetOptions{}.with_chunk_rows(16).with_deflate_level(level));
      f.close();
    }
    flip(path, first_chunk_offset(path, "x") + 9);
    EXPECT_EQ(read_error(path, "x"),
              path.string() + ": /x: the data is damaged (checksum mismatch)");
  }
}

TEST_F(DamagedFileTest, FixedDatasetsCarryChecksumsToo) {
  const fs::path path = file("fixed.h5");
  {
    File f = File::create(path);
    f.root().write<double>("x", values(10));
    f.close();
  }
  flip(path, first_chunk_offset(path, "x") + 3);
  EXPECT_EQ(read_error(path, "x"), path.string() + ": /x: the data is damaged (checksum mismatch)");
}

TEST_F(DamagedFileTest, AGzipChunkThatCannotBeInflatedSaysSo) {
  // A file from another writer: gzip without checksums.
  const fs::path path = file("gzip.h5");
  {
    const Handle f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    const hsize_t extent = 64;
    const hsize_t chunk = 64;
    const Handle space(H5Screate_simple(1, &extent, nullptr));
    const Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
    H5Pset_chunk(dcpl.get(), 1, &chunk);
    H5Pset_deflate(dcpl.get(), 6);
    const Handle d(H5Dcreate2(f.get(), "x", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, dcpl.get(),
                              H5P_DEFAULT));
    const std::vector<double> v = values(64);
    ASSERT_GE(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
  }
  flip(path, first_chunk_offset(path, "x"));  // the zlib header
  EXPECT_EQ(
      read_error(path, "x"),
      path.string() + ": /x: the data is damaged (a compressed chunk cannot be decompressed)");
}

TEST_F(DamagedFileTest, AnIntegerStoredAsAFractionIsRefused) {
  const fs::path path = file("attributes.h5");
  {
    File f = File::create(path);
    Group root = f.root();
    root.set_double_attribute("fraction", 3.7);
    root.set_double_attribute("whole", 4.0);
    root.set_double_attribute("huge", 1e300);
    f.close();
  }
  const File f = File::open_read(path);
  EXPECT_EQ(f.root().int_attribute("whole"), 4);
  try {
    static_cast<void>(f.root().int_attribute("fraction"));
    FAIL() << "3.7 read as an integer";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              path.string() + ": /@fraction: attribute is 3.7, not a whole number");
  }
  EXPECT_THROW(static_cast<void>(f.root().int_attribute("huge")), IoError);
}

TEST_F(DamagedFileTest, TheImageOfAnInMemoryFileOpens) {
  std::vector<char> image;
  {
    File f = File::create_in_memory("memory.h5");
    f.root().write<double>("x", values(5));
    image = f.image();
  }
  const fs::path path = file("image.h5");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(image.data(), static_cast<std::streamsize>(image.size()));
  }
  const File f = File::open_read(path);
  EXPECT_EQ(f.root().read<double>("x"), values(5));
}

}  // namespace
}  // namespace tipsim::h5
