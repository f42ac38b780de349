#include "common/identity/identity.h"

#include <optional>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/hmac.h"

namespace jiangan {
namespace {

constexpr absl::Duration kClockSkew = absl::Minutes(1);

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat(
      "identity: ", why, "; call through the gateway with valid credentials"));
}

std::string MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                          absl::string_view key, int* count) {
  auto [begin, end] = metadata.equal_range(grpc::string_ref(key.data(), key.size()));
  *count = 0;
  std::string value;
  for (auto it = begin; it != end; ++it) {
    ++*count;
    value.assign(it->second.data(), it->second.size());
  }
  return value;
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "VIEWER";
    case Role::kEditor: return "EDITOR";
    case Role::kAdmin: return "ADMIN";
  }
  return "VIEWER";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kViewer, Role::kEditor, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("role: must be VIEWER, EDITOR or ADMIN, got \"", name, "\""));
}

IdentityMetadata IdentitySigner::SignReusing(const Identity& identity, absl::Time now,
                                             absl::Duration reuse_for) const {
  const std::string who = absl::StrJoin(
      {identity.principal, identity.department, std::string(RoleName(identity.role))}, "\n");
  absl::MutexLock lock(&mu_);
  auto it = recent_.find(who);
  if (it != recent_.end() && now - it->second.at < reuse_for && now >= it->second.at) {
    return it->second.metadata;
  }
  if (recent_.size() > 4096) recent_.clear();  // bounded: callers are few
  Signed& fresh = recent_[who];
  fresh.at = now;
  fresh.metadata = Sign(identity, now);
  return fresh.metadata;
}

IdentityMetadata IdentitySigner::Sign(const Identity& identity, absl::Time now) const {
  const std::string payload =
      absl::StrJoin({std::string("v1"), identity.principal, identity.department,
                     std::string(RoleName(identity.role)),
                     absl::StrCat(absl::ToUnixSeconds(now))},
                    "\n");
  std::string value = absl::WebSafeBase64Escape(payload);
  std::string signature = HmacSha256Hex(key_, value);
  return {{kIdentityHeader, std::move(value)},
          {kIdentitySignatureHeader, std::move(signature)}};
}

absl::StatusOr<Identity> IdentityVerifier::Verify(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    absl::Time now) const {
  int values = 0, signatures = 0;
  const std::string value = MetadataValue(metadata, kIdentityHeader, &values);
  const std::string signature = MetadataValue(metadata, kIdentitySignatureHeader, &signatures);
  if (values == 0) return Unauthenticated("no identity was asserted");
  if (values > 1 || signatures > 1) return Unauthenticated("more than one identity asserted");
  if (signatures == 0) return Unauthenticated("the identity's signature is missing or wrong");
  // An assertion whose signature checked out once is remembered, so the
  // HMAC runs once per assertion; its freshness is checked on every call.
  const std::string cache_key = absl::StrCat(value, ".", signature);
  std::optional<Verified> verified;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = verified_.find(cache_key); it != verified_.end()) verified = it->second;
  }
  if (!verified.has_value()) {
    auto checked = CheckSignedAssertion(value, signature);
    if (!checked.ok()) return checked.status();
    verified = *checked;
    absl::MutexLock lock(&mu_);
    if (verified_.size() > 4096) verified_.clear();  // bounded: a few per caller
    verified_[cache_key] = *verified;
  }
  if (now - verified->issued_at > max_age_ || verified->issued_at - now > kClockSkew) {
    return Unauthenticated("the identity assertion has expired");
  }
  return verified->identity;
}

absl::StatusOr<Identity> IdentityVerifier::Identify(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  return Verify(metadata, absl::Now());
}

absl::StatusOr<IdentityVerifier::Verified> IdentityVerifier::CheckSignedAssertion(
    const std::string& value, const std::string& signature) const {
  if (!ConstantTimeEquals(signature, HmacSha256Hex(key_, value))) {
    return Unauthenticated("the identity's signature is missing or wrong");
  }
  std::string payload;
  if (!absl::WebSafeBase64Unescape(value, &payload)) {
    return Unauthenticated("the identity is not base64url");
  }
  std::vector<std::string> parts = absl::StrSplit(payload, '\n');
  int64_t issued = 0;
  if (parts.size() != 5 || parts[0] != "v1" || parts[1].empty() ||
      !absl::SimpleAtoi(parts[4], &issued)) {
    return Unauthenticated("the identity is malformed");
  }
  auto role = ParseRole(parts[3]);
  if (!role.ok()) return Unauthenticated("the identity's role is unknown");
  return Verified{Identity{parts[1], parts[2], *role}, absl::FromUnixSeconds(issued)};
}

absl::Status CheckRole(const Identity& caller, Role minimum, absl::string_view method) {
  if (caller.role < minimum) {
    return absl::PermissionDeniedError(absl::StrCat(caller.principal, " is a ",
                                                    RoleName(caller.role), " and may not call ",
                                                    method, ", which needs ", RoleName(minimum),
                                                    minimum == Role::kAdmin ? "" : " or above"));
  }
  return absl::OkStatus();
}

absl::Status CheckCanChange(const Identity& caller, absl::string_view owner_department,
                            absl::string_view what) {
  if (caller.role == Role::kAdmin) return absl::OkStatus();
  if (caller.role == Role::kEditor && !caller.department.empty() &&
      caller.department == owner_department) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.principal, " (", RoleName(caller.role), " of \"", caller.department,
      "\") may not change ", what, ", which is led by \"", owner_department, "\""));
}

}  // namespace jiangan
