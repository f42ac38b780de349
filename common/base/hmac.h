// Keyed message authentication (HMAC-SHA256), for values the system hands
// out or passes on and must later trust (identity assertions, page tokens),
// and that receivers of its webhooks check.
#ifndef JIANGAN_COMMON_BASE_HMAC_H_
#define JIANGAN_COMMON_BASE_HMAC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiangan {

// HMAC-SHA256 of `message` under `key`: its 32 bytes.
std::string HmacSha256(absl::string_view key, absl::string_view message);

// HMAC-SHA256 of `message` under `key`, as 64 lowercase hex digits.
std::string HmacSha256Hex(absl::string_view key, absl::string_view message);

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view data);

// Compares in time independent of where the strings differ, so that a
// caller cannot find a valid signature byte by byte.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// Reads a secret key from `path` (surrounding white space dropped).
// INVALID_ARGUMENT if it is shorter than 32 bytes: a short key is guessable.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_HMAC_H_
