// China days: the arithmetic ChinaDayOf agrees with Abseil's time-zone
// conversion everywhere, including at midnight and before 1970.
#include "common/base/civil_date.h"

#include "gtest/gtest.h"

namespace jiangan {
namespace {

TEST(CivilDateTest, ChinaDayOfAgreesWithTheTimeZoneConversion) {
  const absl::TimeZone utc8 = absl::FixedTimeZone(8 * 60 * 60);
  for (int64_t seconds = -3LL * 86400 * 365; seconds <= 3LL * 86400 * 365; seconds += 3607) {
    const absl::Time time = absl::FromUnixSeconds(seconds);
    ASSERT_EQ(ChinaDayOf(time), absl::ToCivilDay(time, utc8)) << seconds;
  }
  // Midnight in Wuhan is 16:00 UTC the day before.
  const absl::Time before = absl::FromCivil(absl::CivilSecond(2024, 3, 1, 15, 59, 59), absl::UTCTimeZone());
  EXPECT_EQ(ChinaDayOf(before), absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(ChinaDayOf(before + absl::Seconds(1)), absl::CivilDay(2024, 3, 2));
  EXPECT_EQ(ChinaDayOf(absl::FromUnixSeconds(-28801)), absl::CivilDay(1969, 12, 31));
  EXPECT_EQ(ChinaDayOf(absl::FromUnixSeconds(-28800)), absl::CivilDay(1970, 1, 1));
}

}  // namespace
}  // namespace jiangan
