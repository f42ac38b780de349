#include "gateway/rate_limiter.h"

#include "common/base/status.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::gateway {
namespace {

using jiangan::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RateLimiterTest, AllowsABurstThenRefillsAtTheRate) {
  const RateLimiter limiter(nullptr, /*per_second=*/2, /*burst=*/3);
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("a", start).ok()) << i;
  const absl::Status refused = limiter.Admit("a", start);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("rate limit: a")));
  // Half a second gives one token back, at 2 a second; the refusal said so.
  EXPECT_EQ(RetryDelayOf(ToGrpcStatus(refused)), absl::Milliseconds(500));
  EXPECT_TRUE(limiter.Admit("a", start + absl::Milliseconds(500)).ok());
  EXPECT_FALSE(limiter.Admit("a", start + absl::Milliseconds(500)).ok());
  // Another caller has its own bucket.
  EXPECT_TRUE(limiter.Admit("b", start).ok());
  // A long pause refills to the burst, no further.
  const absl::Time later = start + absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("a", later).ok()) << i;
  EXPECT_FALSE(limiter.Admit("a", later).ok());
}

TEST(RateLimiterTest, ZeroRateMeansNoLimit) {
  const RateLimiter limiter(nullptr, 0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Admit("a", absl::UnixEpoch()).ok());
}

}  // namespace
}  // namespace jiangan::gateway
