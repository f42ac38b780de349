// Who a caller of the gateway is: the bearer token in its `authorization`
// metadata, looked up (by SHA-256) in the principals file.
#ifndef JIANGAN_GATEWAY_AUTHENTICATOR_H_
#define JIANGAN_GATEWAY_AUTHENTICATOR_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/identity/identity.h"

namespace jiangan::gateway {

class Authenticator final : public CallerAuthority {
 public:
  // Reads a jiangan.gateway.v1.PrincipalsFile in JSON. INVALID_ARGUMENT
  // naming the entry when one is malformed.
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromFile(const std::string& path);

  // The caller of a call with `metadata`, or UNAUTHENTICATED.
  absl::StatusOr<Identity> Authenticate(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const;

  // Authenticate(): the gateway's own API identifies callers by their token.
  absl::StatusOr<Identity> Identify(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const override {
    return Authenticate(metadata);
  }

 private:
  // By SHA-256 of the token, hex.
  absl::flat_hash_map<std::string, Identity> by_token_hash_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_AUTHENTICATOR_H_
