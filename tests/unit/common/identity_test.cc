// Signed identity assertions: what the gateway signs, a service accepts, and
// what it refuses.
#include "common/identity/identity.h"

#include <map>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace jiangan {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

const std::string kKey = "0123456789abcdef0123456789abcdef-test";
const Identity kEditor{"editor@housing", "区住房和城市更新局", Role::kEditor};
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

// Metadata views of `entries`, which must outlive them.
Metadata View(const IdentityMetadata& entries) {
  Metadata metadata;
  for (const auto& [key, value] : entries) metadata.emplace(key, value);
  return metadata;
}

TEST(IdentityTest, ASignedIdentityVerifiesWithTheSameKey) {
  IdentitySigner signer(kKey);
  IdentityVerifier verifier(kKey);
  const IdentityMetadata signed_metadata = signer.Sign(kEditor, kNow);
  for (int i = 0; i < 2; ++i) {  // the second time from the verifier's cache
    auto identity = verifier.Verify(View(signed_metadata), kNow + absl::Seconds(i));
    ASSERT_TRUE(identity.ok()) << identity.status();
    EXPECT_EQ(identity->principal, "editor@housing");
    EXPECT_EQ(identity->department, "区住房和城市更新局");
    EXPECT_EQ(identity->role, Role::kEditor);
  }
}

TEST(IdentityTest, ForgedAlteredExpiredAndMissingAssertionsAreRefused) {
  IdentityVerifier verifier(kKey);
  auto refused = [&](const IdentityMetadata& metadata, absl::Time at, const std::string& why) {
    auto identity = verifier.Verify(View(metadata), at);
    EXPECT_EQ(identity.status().code(), absl::StatusCode::kUnauthenticated) << why;
    EXPECT_TRUE(absl::StrContains(identity.status().message(), why)) << identity.status();
  };
  refused({}, kNow, "no identity was asserted");
  refused(IdentitySigner("another key, also long enough to be accepted").Sign(kEditor, kNow), kNow,
          "signature");
  IdentityMetadata altered = IdentitySigner(kKey).Sign(kEditor, kNow);
  const Identity admin{"editor@housing", "区住房和城市更新局", Role::kAdmin};
  altered[0].second = IdentitySigner(kKey).Sign(admin, kNow)[0].second;
  refused(altered, kNow, "signature");
  const IdentityMetadata fresh = IdentitySigner(kKey).Sign(kEditor, kNow);
  ASSERT_TRUE(verifier.Verify(View(fresh), kNow).ok());
  // Cached or not, an assertion past its age is refused.
  refused(fresh, kNow + absl::Minutes(6), "expired");
  refused(IdentitySigner(kKey).Sign(kEditor, kNow + absl::Minutes(2)), kNow, "expired");
  IdentityMetadata doubled = fresh;
  doubled.push_back(fresh[0]);
  refused(doubled, kNow, "more than one");
}

TEST(IdentityTest, SigningReusesARecentAssertionOnly) {
  IdentitySigner signer(kKey);
  const IdentityMetadata first = signer.SignReusing(kEditor, kNow);
  EXPECT_EQ(signer.SignReusing(kEditor, kNow + absl::Seconds(59)), first);
  EXPECT_NE(signer.SignReusing(kEditor, kNow + absl::Seconds(61)), first);
  const Identity viewer{"viewer@district", "区发展和改革局", Role::kViewer};
  EXPECT_NE(signer.SignReusing(viewer, kNow + absl::Seconds(61)),
            signer.SignReusing(kEditor, kNow + absl::Seconds(61)));
}

TEST(IdentityTest, RolesAndDepartmentsDecideWhoMayChangeWhat) {
  const Identity viewer{"v", "区发展和改革局", Role::kViewer};
  const Identity admin{"a", "", Role::kAdmin};
  const Identity homeless{"e", "", Role::kEditor};
  EXPECT_EQ(CheckRole(viewer, Role::kEditor, "CreateProject").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckRole(kEditor, Role::kEditor, "CreateProject").ok());
  EXPECT_TRUE(CheckCanChange(kEditor, "区住房和城市更新局", "projects/x").ok());
  EXPECT_EQ(CheckCanChange(kEditor, "区交通运输局", "projects/x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckCanChange(admin, "", "projects/x").ok());
  EXPECT_EQ(CheckCanChange(homeless, "", "projects/x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ParseRole("ROOT").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan
