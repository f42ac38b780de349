// A stable 64-bit fingerprint (FNV-1a). Unlike absl::Hash it is the same in
// every process and run, so it may be stored or sent to clients.
#ifndef JIANGAN_COMMON_FINGERPRINT_H_
#define JIANGAN_COMMON_FINGERPRINT_H_

#include <cstdint>
#include "absl/strings/string_view.h"

namespace jiangan {

inline uint64_t Fingerprint64(absl::string_view data,
                              uint64_t seed = 14695981039346656037ull) {
  uint64_t hash = seed;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_FINGERPRINT_H_
