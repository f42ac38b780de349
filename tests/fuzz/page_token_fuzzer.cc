// Fuzzes page tokens as a client may send them: any bytes, for a cursor or
// a numeric cursor.
#include <cstddef>
#include <cstdint>

#include "common/base/pagination.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* tokens = new jiangan::SignedPageTokens("fuzzing key of thirty-two bytes!");
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  (void)tokens->Decode(token, 42);
  (void)tokens->DecodeNumber(token, 42);
  // A token the server made round-trips whatever the cursor holds.
  const std::string made = tokens->Encode(token, 7);
  absl::StatusOr<std::string> back = tokens->Decode(made, 7);
  if (!back.ok() || *back != token) __builtin_trap();
  return 0;
}
