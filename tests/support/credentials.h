// Credentials of a test system: the identity key the gateway and services
// share, and a principals file with one caller per role, whose bearer tokens
// the tests send.
#ifndef JIANGAN_TESTS_SUPPORT_CREDENTIALS_H_
#define JIANGAN_TESTS_SUPPORT_CREDENTIALS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "common/identity/identity.h"

namespace jiangan::testing {

// The departments of the test callers.
inline constexpr char kHousingDepartment[] = "区住房和城市更新局";
inline constexpr char kTransportDepartment[] = "区交通运输局";

class TestCredentials {
 public:
  // Writes identity.key and principals.json into `dir` with these callers:
  // "admin" (ADMIN), "viewer" (VIEWER), "housing-editor" (EDITOR of
  // kHousingDepartment) and "transport-editor" (EDITOR of
  // kTransportDepartment).
  absl::Status WriteTo(const std::string& dir);

  const std::string& key_path() const { return key_path_; }
  const std::string& key() const { return key_; }
  const std::string& principals_path() const { return principals_path_; }
  // "Bearer {token}" of one of the callers above.
  std::string Bearer(const std::string& caller) const;
  const Identity& IdentityOf(const std::string& caller) const { return identities_.at(caller); }

 private:
  std::string key_;
  std::string key_path_;
  std::string principals_path_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, Identity> identities_;
};

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_CREDENTIALS_H_
