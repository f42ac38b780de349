// AIP-158 pagination: page sizes and opaque page tokens.
//
// A token records where the previous page ended (a cursor) and a fingerprint
// of the request it belongs to, signed with a server key: a token used with
// a different request, altered or forged is INVALID_ARGUMENT.
#ifndef JIANGAN_COMMON_BASE_PAGINATION_H_
#define JIANGAN_COMMON_BASE_PAGINATION_H_

#include <cstdint>
#include <string>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace jiangan {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 means kDefaultPageSize; above kMaxPageSize is clamped to it (AIP-158);
// negative is INVALID_ARGUMENT naming `page_size`.
absl::StatusOr<int> ResolvePageSize(int32_t requested);

// Fingerprint of a List request with `page_size` and `page_token` left out:
// the part of the request a page token must stay bound to.
uint64_t QueryFingerprint(const google::protobuf::Message& request);

// Page tokens that carry a cursor (e.g. the last row's sort key and seq, for
// keyset pagination that stays correct while rows are inserted) and are
// signed with a server key, so that a client can neither forge nor alter
// one, nor reuse it with another request.
class SignedPageTokens {
 public:
  explicit SignedPageTokens(std::string key) : key_(std::move(key)) {}

  std::string Encode(absl::string_view cursor, uint64_t query_fingerprint) const;

  // The cursor of `token`: "" for an empty token; INVALID_ARGUMENT naming
  // `page_token` for anything this object did not make for the same query.
  absl::StatusOr<std::string> Decode(absl::string_view token,
                                     uint64_t query_fingerprint) const;

  // The same for cursors that are one number (a row's seq, a position in a
  // list): 0 for an empty token; INVALID_ARGUMENT naming `page_token` for a
  // token that does not hold a number.
  std::string EncodeNumber(int64_t cursor, uint64_t query_fingerprint) const;
  absl::StatusOr<int64_t> DecodeNumber(absl::string_view token, uint64_t query_fingerprint) const;

 private:
  const std::string key_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_PAGINATION_H_
