// Who is calling. Callers authenticate at the gateway; the gateway then
// asserts the caller's identity to the services in two metadata entries:
//   x-jiangan-identity:           base64url("v1\n{principal}\n{department}\n{role}\n{unix seconds}")
//   x-jiangan-identity-signature: HMAC-SHA256 of that value under the key the
//                                 gateway and the services share
// A service trusts an identity only with a valid signature made within the
// last few minutes, so a client that calls a service directly cannot claim
// to be anyone: it does not hold the key.
#ifndef JIANGAN_COMMON_IDENTITY_IDENTITY_H_
#define JIANGAN_COMMON_IDENTITY_IDENTITY_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jiangan {

inline constexpr char kIdentityHeader[] = "x-jiangan-identity";
inline constexpr char kIdentitySignatureHeader[] = "x-jiangan-identity-signature";

enum class Role { kViewer, kEditor, kAdmin };

// "VIEWER", "EDITOR", "ADMIN".
absl::string_view RoleName(Role role);
// Parses RoleName's output; INVALID_ARGUMENT otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);

struct Identity {
  std::string principal;   // e.g. "zhang.wei@housing"; who, for audit
  std::string department;  // e.g. "区住房和城市更新局"; what an EDITOR may change
  Role role = Role::kViewer;
};

using IdentityMetadata = std::vector<std::pair<std::string, std::string>>;

// Signs identities; held by the gateway.
class IdentitySigner {
 public:
  explicit IdentitySigner(std::string key) : key_(std::move(key)) {}

  // The two metadata entries asserting `identity` as of `now`.
  IdentityMetadata Sign(const Identity& identity, absl::Time now) const;

  // The same, but reusing an assertion of `identity` signed within the last
  // `reuse_for`, so that a busy gateway signs once per caller per interval
  // rather than once per call.
  IdentityMetadata SignReusing(const Identity& identity, absl::Time now,
                               absl::Duration reuse_for = absl::Minutes(1)) const;

 private:
  struct Signed {
    absl::Time at;
    IdentityMetadata metadata;
  };
  const std::string key_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Signed> recent_ ABSL_GUARDED_BY(mu_);
};

// Where a server learns who is calling: a service checks the gateway's
// signed assertion (IdentityVerifier); the gateway authenticates the bearer
// token itself (gateway::Authenticator).
class CallerAuthority {
 public:
  virtual ~CallerAuthority() = default;
  // The caller of a call with `metadata`, or UNAUTHENTICATED saying why not.
  virtual absl::StatusOr<Identity> Identify(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const = 0;
};

// Checks asserted identities; held by every service.
class IdentityVerifier final : public CallerAuthority {
 public:
  // Assertions older than `max_age` (or from further than a minute in the
  // future) are refused, which bounds the replay of a captured one.
  IdentityVerifier(std::string key, absl::Duration max_age = absl::Minutes(5))
      : key_(std::move(key)), max_age_(max_age) {}
  IdentityVerifier(const IdentityVerifier& other)
      : key_(other.key_), max_age_(other.max_age_) {}

  // The identity the call's metadata asserts, or UNAUTHENTICATED saying
  // what is wrong (missing, bad signature, expired, malformed).
  absl::StatusOr<Identity> Verify(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
      absl::Time now) const;

  // Verify() as of now.
  absl::StatusOr<Identity> Identify(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const override;

 private:
  // Assertions whose signature checked out, so that the HMAC runs once per
  // assertion rather than once per call; freshness is still checked always.
  struct Verified {
    Identity identity;
    absl::Time issued_at;
  };
  // The identity and issue time a signed assertion carries, or
  // UNAUTHENTICATED when the signature or the contents are wrong.
  absl::StatusOr<Verified> CheckSignedAssertion(const std::string& value,
                                                const std::string& signature) const;

  const std::string key_;
  const absl::Duration max_age_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> verified_ ABSL_GUARDED_BY(mu_);
};

// PERMISSION_DENIED unless `caller` holds at least `minimum` (VIEWER <
// EDITOR < ADMIN); `method` names what was called, for the message.
absl::Status CheckRole(const Identity& caller, Role minimum, absl::string_view method);

// PERMISSION_DENIED unless `caller` is ADMIN, or an EDITOR of
// `owner_department`. `what` names the resource, for the message.
absl::Status CheckCanChange(const Identity& caller, absl::string_view owner_department,
                            absl::string_view what);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_IDENTITY_IDENTITY_H_
