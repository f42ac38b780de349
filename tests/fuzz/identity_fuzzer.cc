// Fuzzes the identity assertions services check: any header and signature,
// and any payload under a valid signature (so parsing is reached too).
//
// Input: "header\nsignature" for the first case; the whole input as the
// payload for the second.
#include <cstddef>
#include <cstdint>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"

namespace {

constexpr char kKey[] = "fuzzing key of thirty-two bytes!";

void VerifyHeaders(const jiangan::IdentityVerifier& verifier, const std::string& value,
                   const std::string& signature) {
  std::multimap<grpc::string_ref, grpc::string_ref> metadata;
  metadata.emplace(jiangan::kIdentityHeader, value);
  metadata.emplace(jiangan::kIdentitySignatureHeader, signature);
  (void)verifier.Verify(metadata, absl::FromUnixSeconds(1'700'000'000));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* verifier = new jiangan::IdentityVerifier(kKey);
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  VerifyHeaders(*verifier, input.substr(0, newline),
                newline == std::string::npos ? "" : input.substr(newline + 1));
  // As signed by the gateway: the signature is HMAC-SHA256 of the header.
  const std::string value = absl::WebSafeBase64Escape(input);
  VerifyHeaders(*verifier, value, jiangan::HmacSha256Hex(kKey, value));
  return 0;
}
