#include "common/base/exact_sum.h"

#include "absl/strings/str_cat.h"

namespace jiangan {

absl::Status AddChecked(int64_t value, int64_t* sum, absl::string_view field) {
  if (__builtin_add_overflow(*sum, value, sum)) {
    return absl::OutOfRangeError(absl::StrCat(field, ": the sum exceeds the 64-bit integer range"));
  }
  return absl::OkStatus();
}

}  // namespace jiangan
