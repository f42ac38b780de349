// The gateway's read cache against a real redis-server.
#include "gateway/response_cache.h"

#include <signal.h>

#include <functional>

#include "absl/synchronization/notification.h"
#include "gateway/invalidation_subscriber.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace jiangan::gateway {
namespace {

struct Looked {
  std::optional<std::string> value;
  FillTicket generation;
};

class ResponseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.Start().ok());
    pool_ = std::make_unique<RedisPool>("127.0.0.1", redis_.port(), absl::Milliseconds(100));
    cache_ = std::make_unique<ResponseCache>(pool_.get(), &executor_, &metrics_,
                                             absl::Minutes(5));
    reader_ = std::make_unique<RedisClient>("127.0.0.1", redis_.port(), absl::Seconds(1));
  }

  Looked Lookup(const std::string& name, const std::string& view = "") {
    Looked looked;
    absl::Notification done;
    cache_->Lookup(name, view, [&](std::optional<std::string> value, FillTicket generation) {
      looked = {std::move(value), std::move(generation)};
      done.Notify();
    });
    done.WaitForNotification();
    return looked;
  }

  void Invalidate(const std::string& name) {
    absl::Notification done;
    cache_->Invalidate(name, [&] { done.Notify(); });
    done.WaitForNotification();
  }

  // What Redis itself holds for `name`, read directly.
  std::optional<std::string> Stored(const std::string& name, const std::string& view = "") {
    auto reply = reader_->Command({"HGET", ResponseCache::ValueKey(name), view});
    if (!reply.ok() || reply->type != RedisReply::Type::kString) return std::nullopt;
    return reply->str;
  }

  // Fill is asynchronous; wait until Redis shows `expected`.
  bool EventuallyStored(const std::string& name, const std::optional<std::string>& expected,
                        const std::string& view = "") {
    for (int i = 0; i < 200; ++i) {
      if (Stored(name, view) == expected) return true;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  testing::RedisServer redis_;
  Metrics metrics_;
  Executor executor_{2, 100};
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<ResponseCache> cache_;
  std::unique_ptr<RedisClient> reader_;
};

TEST_F(ResponseCacheTest, MissThenFillThenHit) {
  Looked first = Lookup("projects/a");
  EXPECT_FALSE(first.value.has_value());
  cache_->Fill("projects/a", "", first.generation, "bytes-a");
  ASSERT_TRUE(EventuallyStored("projects/a", "bytes-a"));
  EXPECT_EQ(Lookup("projects/a").value, "bytes-a");
}

TEST_F(ResponseCacheTest, InvalidateDropsTheValue) {
  cache_->Fill("projects/a", "", Lookup("projects/a").generation, "old");
  ASSERT_TRUE(EventuallyStored("projects/a", "old"));
  Invalidate("projects/a");
  EXPECT_EQ(Stored("projects/a"), std::nullopt);
  EXPECT_FALSE(Lookup("projects/a").value.has_value());
}

TEST_F(ResponseCacheTest, ViewsAreKeptApartAndDroppedTogether) {
  cache_->Fill("leads/a", "department:A", Lookup("leads/a", "department:A").generation, "full");
  ASSERT_TRUE(EventuallyStored("leads/a", "full", "department:A"));
  // Another view of the same name is a miss, never the first view's bytes.
  EXPECT_FALSE(Lookup("leads/a", "department:B").value.has_value());
  cache_->Fill("leads/a", "department:B", Lookup("leads/a", "department:B").generation,
               "redacted");
  ASSERT_TRUE(EventuallyStored("leads/a", "redacted", "department:B"));
  EXPECT_EQ(Lookup("leads/a", "department:A").value, "full");
  EXPECT_EQ(Lookup("leads/a", "department:B").value, "redacted");
  Invalidate("leads/a");
  EXPECT_FALSE(Lookup("leads/a", "department:A").value.has_value());
  EXPECT_FALSE(Lookup("leads/a", "department:B").value.has_value());
}

TEST_F(ResponseCacheTest, FillThatRacedWithAWriteDoesNotLand) {
  // A reader misses and fetches the old value; meanwhile a write lands.
  Looked reader = Lookup("projects/a");
  Invalidate("projects/a");
  cache_->Fill("projects/a", "", reader.generation, "old");
  // A fill from after the write does land, so waiting for it proves the
  // stale fill was processed (the executor runs tasks in order) and refused.
  Looked later = Lookup("projects/a");
  cache_->Fill("projects/a", "", later.generation, "new");
  ASSERT_TRUE(EventuallyStored("projects/a", "new"));
  EXPECT_EQ(Lookup("projects/a").value, "new");
}

TEST_F(ResponseCacheTest, RedisDownMeansMissesNotErrors) {
  redis_.Kill();
  Looked looked = Lookup("projects/a");
  EXPECT_FALSE(looked.value.has_value());
  cache_->Fill("projects/a", "", looked.generation, "x");  // dropped, no crash
  Invalidate("projects/a");                            // remembered, returns
}

TEST_F(ResponseCacheTest, InvalidationMissedWhileRedisHungIsReplayedBeforeAnyHit) {
  cache_->Fill("projects/a", "", Lookup("projects/a").generation, "old");
  ASSERT_TRUE(EventuallyStored("projects/a", "old"));
  redis_.process()->Signal(SIGSTOP);  // Redis hangs: commands time out
  Invalidate("projects/a");
  redis_.process()->Signal(SIGCONT);
  // The timed-out commands may still run once Redis wakes; put "old" back
  // as if the invalidation had been lost on the way.
  absl::SleepFor(absl::Milliseconds(50));
  ASSERT_TRUE(reader_->Command({"HSET", ResponseCache::ValueKey("projects/a"), "", "old"}).ok());
  // The first lookup replays the invalidation instead of serving "old".
  absl::SleepFor(absl::Milliseconds(150));  // the pool's reconnect back-off
  EXPECT_FALSE(Lookup("projects/a").value.has_value());
  EXPECT_EQ(Stored("projects/a"), std::nullopt);
}

// Two gateway replicas, each with a near cache kept coherent through Redis
// pub/sub, sharing one Redis.
class NearCacheReplicasTest : public ResponseCacheTest {
 protected:
  struct Replica {
    NearCache near{1000, absl::Minutes(5)};
    std::unique_ptr<InvalidationSubscriber> subscriber;
    std::unique_ptr<ResponseCache> cache;
  };

  void SetUp() override {
    ResponseCacheTest::SetUp();
    for (Replica* replica : {&a_, &b_}) {
      replica->subscriber = std::make_unique<InvalidationSubscriber>(
          "127.0.0.1", redis_.port(), absl::Milliseconds(200), &replica->near, &metrics_);
      replica->cache = std::make_unique<ResponseCache>(pool_.get(), &executor_, &metrics_,
                                                       absl::Minutes(5), &replica->near);
    }
    ASSERT_TRUE(Eventually([this] { return a_.near.live() && b_.near.live(); }));
  }

  static bool Eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 400; ++i) {
      if (condition()) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  Looked LookupAt(Replica& replica, const std::string& name) {
    Looked looked;
    absl::Notification done;
    replica.cache->Lookup(name, "", [&](std::optional<std::string> value, FillTicket ticket) {
      looked = {std::move(value), std::move(ticket)};
      done.Notify();
    });
    done.WaitForNotification();
    return looked;
  }

  Replica a_;
  Replica b_;
};

TEST_F(NearCacheReplicasTest, AWriteThroughOneReplicaReachesTheOthersNearCache) {
  a_.cache->Fill("projects/a", "", LookupAt(a_, "projects/a").generation, "old");
  ASSERT_TRUE(EventuallyStored("projects/a", "old"));
  // Each replica keeps what it read in process.
  ASSERT_TRUE(Eventually([this] { return a_.near.Get("projects/a", "", absl::Now()) == "old"; }));
  EXPECT_EQ(LookupAt(b_, "projects/a").value, "old");  // from Redis, kept near
  EXPECT_EQ(b_.near.Get("projects/a", "", absl::Now()), "old");

  // A write through replica A: A's own near cache drops it before the
  // write is acknowledged; B's drops it when Redis tells it.
  absl::Notification done;
  a_.cache->Invalidate("projects/a", [&] { done.Notify(); });
  done.WaitForNotification();
  EXPECT_EQ(a_.near.Get("projects/a", "", absl::Now()), std::nullopt);
  EXPECT_TRUE(Eventually(
      [this] { return !b_.near.Get("projects/a", "", absl::Now()).has_value(); }));
  EXPECT_FALSE(LookupAt(b_, "projects/a").value.has_value());
}

TEST_F(NearCacheReplicasTest, WithRedisGoneTheNearCacheServesNothing) {
  a_.cache->Fill("projects/a", "", LookupAt(a_, "projects/a").generation, "v");
  ASSERT_TRUE(Eventually([this] { return a_.near.Get("projects/a", "", absl::Now()) == "v"; }));
  // Redis hangs: no invalidation from another replica could reach us.
  redis_.process()->Signal(SIGSTOP);
  EXPECT_TRUE(Eventually([this] { return !a_.near.live(); }));
  EXPECT_FALSE(LookupAt(a_, "projects/a").value.has_value());
  redis_.process()->Signal(SIGCONT);
  // Back: live again, and empty.
  EXPECT_TRUE(Eventually([this] { return a_.near.live(); }));
  EXPECT_EQ(a_.near.Get("projects/a", "", absl::Now()), std::nullopt);
}

}  // namespace
}  // namespace jiangan::gateway
