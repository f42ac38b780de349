#include "gateway/near_cache.h"

#include "gtest/gtest.h"

namespace jiangan::gateway {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

TEST(NearCacheTest, KeepsAndServesViewsWhileLive) {
  NearCache near(1000, absl::Seconds(30));
  near.Put("projects/a", "", "old", near.Ticket("projects/a"), kNow);
  EXPECT_EQ(near.Get("projects/a", "", kNow), std::nullopt) << "not live: kept nothing";
  near.SetLive(true);
  near.Put("projects/a", "", "bytes", near.Ticket("projects/a"), kNow);
  near.Put("projects/a", "department:B", "redacted", near.Ticket("projects/a"), kNow);
  EXPECT_EQ(near.Get("projects/a", "", kNow), "bytes");
  EXPECT_EQ(near.Get("projects/a", "department:B", kNow), "redacted");
  EXPECT_EQ(near.Get("projects/a", "department:C", kNow), std::nullopt);
  EXPECT_EQ(near.Get("projects/a", "", kNow + absl::Seconds(30)), std::nullopt) << "expired";
  near.SetLive(false);
  EXPECT_EQ(near.Get("projects/a", "department:B", kNow), std::nullopt);
  near.SetLive(true);
  EXPECT_EQ(near.Get("projects/a", "department:B", kNow), std::nullopt) << "emptied on the way";
}

TEST(NearCacheTest, AnInvalidationDropsEveryViewAndVoidsFillsBegunBeforeIt) {
  NearCache near(1000, absl::Seconds(30));
  near.SetLive(true);
  near.Put("projects/a", "x", "1", near.Ticket("projects/a"), kNow);
  near.Put("projects/a", "y", "2", near.Ticket("projects/a"), kNow);
  const uint64_t before_write = near.Ticket("projects/a");
  near.Invalidate("projects/a");
  EXPECT_EQ(near.Get("projects/a", "x", kNow), std::nullopt);
  EXPECT_EQ(near.Get("projects/a", "y", kNow), std::nullopt);
  // A reader that looked before the write must not put its old value back.
  near.Put("projects/a", "x", "old", before_write, kNow);
  EXPECT_EQ(near.Get("projects/a", "x", kNow), std::nullopt);
  near.Put("projects/a", "x", "new", near.Ticket("projects/a"), kNow);
  EXPECT_EQ(near.Get("projects/a", "x", kNow), "new");
}

TEST(NearCacheTest, StaysWithinItsSize) {
  NearCache near(64 * 4, absl::Seconds(30));
  near.SetLive(true);
  for (int i = 0; i < 10000; ++i) {
    const std::string name = "projects/p" + std::to_string(i);
    near.Put(name, "", "v", near.Ticket(name), kNow);
  }
  int kept = 0;
  for (int i = 0; i < 10000; ++i) {
    kept += near.Get("projects/p" + std::to_string(i), "", kNow).has_value();
  }
  EXPECT_GT(kept, 0);
  EXPECT_LE(kept, 64 * 4);
}

}  // namespace
}  // namespace jiangan::gateway
