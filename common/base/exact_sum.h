// Exact integer sums for summaries: a sum is exact or refused, never
// wrapped.
#ifndef JIANGAN_COMMON_BASE_EXACT_SUM_H_
#define JIANGAN_COMMON_BASE_EXACT_SUM_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jiangan {

// Adds `value` to `*sum` unless that overflows int64: then OUT_OF_RANGE
// naming `field`.
absl::Status AddChecked(int64_t value, int64_t* sum, absl::string_view field);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_EXACT_SUM_H_
