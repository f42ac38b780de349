// A stable 64-bit fingerprint (FNV-1a). Unlike absl::Hash it is the same in
// every process and run, so it may be stored or sent to clients.
#ifndef JIANGAN_COMMON_BASE_FINGERPRINT_H_
#define JIANGAN_COMMON_BASE_FINGERPRINT_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
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

// The etag (AIP-154) of version `version` of the row `seq`: opaque to
// clients, changed by every write.
inline std::string VersionEtag(int64_t seq, int64_t version) {
  return absl::StrCat(absl::Hex(Fingerprint64(absl::StrCat(seq, ":", version))));
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_FINGERPRINT_H_
