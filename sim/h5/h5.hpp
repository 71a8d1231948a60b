#pragma once
/// Everything of tipsim::h5, a small RAII layer over the HDF5 C library.
#include "sim/h5/atomic_output.hpp"
#include "sim/h5/compound_type.hpp"
#include "sim/h5/file.hpp"
#include "sim/h5/group.hpp"
#include "sim/h5/handle.hpp"
#include "sim/h5/series.hpp"
#include "sim/h5/table.hpp"
