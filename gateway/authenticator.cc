#include "gateway/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/file_util.h"
#include "common/base/hmac.h"
#include "jiangan/gateway/v1/principals.pb.h"

namespace jiangan::gateway {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

bool IsHex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromFile(const std::string& path) {
  v1::PrincipalsFile file;
  if (absl::Status read = ReadJsonFile(path, &file); !read.ok()) return read;
  auto authenticator = std::unique_ptr<Authenticator>(new Authenticator());
  for (int i = 0; i < file.principals_size(); ++i) {
    const v1::Principal& entry = file.principals(i);
    const std::string where = absl::StrCat(path, ": principals[", i, "]");
    auto role = ParseRole(entry.role());
    if (!role.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ".", role.status().message()));
    if (entry.principal().empty() || absl::StrContains(entry.principal(), "\n") ||
        absl::StrContains(entry.department(), "\n")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": principal is required; no line breaks in principal or department"));
    }
    if (!IsHex64(entry.token_sha256())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".token_sha256: must be 64 lowercase hex digits"));
    }
    authenticator->by_token_hash_[entry.token_sha256()] =
        Identity{entry.principal(), entry.department(), *role};
  }
  return authenticator;
}

absl::StatusOr<Identity> Authenticator::Authenticate(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "authorization: is required, as \"Bearer {token}\"");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::StartsWith(value, kBearer)) {
    return absl::UnauthenticatedError("authorization: must be \"Bearer {token}\"");
  }
  auto found = by_token_hash_.find(Sha256Hex(value.substr(kBearer.size())));
  if (found == by_token_hash_.end()) {
    return absl::UnauthenticatedError("authorization: the token is not known");
  }
  return found->second;
}

}  // namespace jiangan::gateway
