#include "tests/support/credentials.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/hmac.h"
#include "common/base/resource_name.h"

namespace jiangan::testing {

absl::Status TestCredentials::WriteTo(const std::string& dir) {
  key_ = absl::StrCat(GenerateResourceId(), GenerateResourceId(), GenerateResourceId());
  key_path_ = absl::StrCat(dir, "/identity.key");
  principals_path_ = absl::StrCat(dir, "/principals.json");
  identities_ = {
      {"admin", {"admin@district", "区人民政府办公室", Role::kAdmin}},
      {"viewer", {"viewer@development", "区发展和改革局", Role::kViewer}},
      {"housing-editor", {"editor@housing", kHousingDepartment, Role::kEditor}},
      {"transport-editor", {"editor@transport", kTransportDepartment, Role::kEditor}},
  };
  std::vector<std::string> entries;
  for (const auto& [caller, identity] : identities_) {
    tokens_[caller] = absl::StrCat("test-", caller, "-", GenerateResourceId());
    entries.push_back(absl::StrCat(
        R"({"principal":")", identity.principal, R"(","department":")", identity.department,
        R"(","role":")", RoleName(identity.role), R"(","tokenSha256":")",
        Sha256Hex(tokens_[caller]), R"("})"));
  }
  std::ofstream key_file(key_path_);
  key_file << key_ << "\n";
  std::ofstream principals(principals_path_);
  principals << "{\"principals\":[" << absl::StrJoin(entries, ",") << "]}\n";
  if (!key_file || !principals) {
    return absl::InternalError(absl::StrCat("cannot write credentials into ", dir));
  }
  return absl::OkStatus();
}

std::string TestCredentials::Bearer(const std::string& caller) const {
  return absl::StrCat("Bearer ", tokens_.at(caller));
}

}  // namespace jiangan::testing
