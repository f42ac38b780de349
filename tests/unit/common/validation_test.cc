#include "common/base/validation.h"

#include <limits>

#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan {
namespace {

TEST(ValidationTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length("黑泥湖村"), 4u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += "汉";
  EXPECT_TRUE(CheckLength("f", two_hundred, 1, 200).ok());
  auto too_long = CheckLength("project.display_name", two_hundred + "汉", 1, 200);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.message(),
            "project.display_name: must be 1 to 200 characters, got 201");
}

TEST(ValidationTest, EnumMustBeKnownAndSetWhenRequired) {
  EXPECT_TRUE(CheckEnum("k", 1, renewal::v1::ProjectKind_IsValid, true).ok());
  EXPECT_EQ(CheckEnum("k", 0, renewal::v1::ProjectKind_IsValid, true).message(),
            "k: is required");
  EXPECT_TRUE(CheckEnum("k", 0, renewal::v1::ProjectKind_IsValid, false).ok());
  EXPECT_EQ(CheckEnum("k", 99, renewal::v1::ProjectKind_IsValid, false).message(),
            "k: 99 is not a known value");
}

TEST(ValidationTest, NumbersAndCoordinates) {
  EXPECT_TRUE(CheckNotNegative("n", 0).ok());
  EXPECT_FALSE(CheckNotNegative("n", -1).ok());
  EXPECT_TRUE(CheckLatLng("p", 30.6, 114.3).ok());
  EXPECT_TRUE(CheckLatLng("p", -90, 180).ok());
  EXPECT_FALSE(CheckLatLng("p", 90.1, 0).ok());
  EXPECT_FALSE(CheckLatLng("p", 0, -180.5).ok());
  EXPECT_FALSE(CheckLatLng("p", std::numeric_limits<double>::quiet_NaN(), 0).ok());
}

TEST(ValidationTest, DecimalsAreDigitsWithOnePointAndASignWhereAllowed) {
  for (const char* good : {"6.1", "18500000000", "0", "100"}) {
    EXPECT_TRUE(IsDecimal(good)) << good;
    EXPECT_TRUE(IsDecimal(good, /*signed_ok=*/true)) << good;
  }
  EXPECT_FALSE(IsDecimal("-0.5"));
  EXPECT_TRUE(IsDecimal("-0.5", /*signed_ok=*/true));
  for (const char* bad : {"", "-", ".5", "5.", "1.2.3", "1e5", "+3", "6.1%", " 6", "--1"}) {
    EXPECT_FALSE(IsDecimal(bad, /*signed_ok=*/true)) << bad;
  }
}

TEST(ValidationTest, FirstErrorKeepsOrder) {
  EXPECT_TRUE(FirstError({absl::OkStatus(), absl::OkStatus()}).ok());
  EXPECT_EQ(FirstError({absl::OkStatus(), absl::InvalidArgumentError("a"),
                        absl::InvalidArgumentError("b")})
                .message(),
            "a");
}

}  // namespace
}  // namespace jiangan
