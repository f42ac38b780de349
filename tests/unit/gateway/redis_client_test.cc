#include "gateway/redis_client.h"

#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace jiangan {
namespace {

TEST(RedisClientTest, TalksToARealRedis) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start().ok());
  RedisClient client("127.0.0.1", redis.port(), absl::Milliseconds(500));
  auto replies = client.Pipeline({{"SET", "k", std::string("v\0w", 3)}, {"GET", "k"},
                                  {"INCR", "n"}, {"GET", "missing"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  EXPECT_EQ((*replies)[0].type, RedisReply::Type::kStatus);
  EXPECT_EQ((*replies)[1].str, std::string("v\0w", 3));  // binary safe
  EXPECT_EQ((*replies)[2].integer, 1);
  EXPECT_EQ((*replies)[3].type, RedisReply::Type::kNil);

  auto error = client.Command({"INCR", "k"});
  EXPECT_EQ(error.status().code(), absl::StatusCode::kInternal);
}

TEST(RedisClientTest, UnavailableWhenRedisIsGoneAndRecoversWhenBack) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start().ok());
  const int port = redis.port();
  RedisPool pool("127.0.0.1", port, absl::Milliseconds(100));
  ASSERT_TRUE(pool.Pipeline({{"PING"}}).ok());
  redis.Kill();
  EXPECT_EQ(pool.Pipeline({{"PING"}}).status().code(), absl::StatusCode::kUnavailable);
  testing::RedisServer again;
  ASSERT_TRUE(again.Start(port).ok());
  // The client waits out its back-off before reconnecting.
  absl::StatusOr<std::vector<RedisReply>> reply;
  for (int i = 0; i < 50 && !reply.ok(); ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    reply = pool.Pipeline({{"PING"}});
  }
  EXPECT_TRUE(reply.ok()) << reply.status();
}

}  // namespace
}  // namespace jiangan
