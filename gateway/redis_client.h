// A blocking Redis connection (hiredis) with connect and command timeouts.
// Not thread-safe: use one per thread, e.g. through RedisPool.
#ifndef JIANGAN_GATEWAY_REDIS_CLIENT_H_
#define JIANGAN_GATEWAY_REDIS_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;

namespace jiangan {

struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus };
  Type type = Type::kNil;
  std::string str;  // kString and kStatus
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray
};

class RedisClient {
 public:
  RedisClient(std::string host, int port, absl::Duration timeout);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends the commands in one round trip and returns their replies in order.
  // A Redis error reply is INTERNAL; a broken or refused connection is
  // UNAVAILABLE, after which no connection is attempted for one timeout
  // (at least 100 ms) so that a dead Redis does not slow every call.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);

  // For a subscribed connection (pub/sub pushes replies unasked): sends a
  // command without waiting for its reply, and takes the next reply that
  // arrives within `wait` (nullopt if none did). Errors as Pipeline's.
  absl::Status Send(const std::vector<std::string>& argv);
  absl::StatusOr<std::optional<RedisReply>> Receive(absl::Duration wait);

 private:
  absl::Status EnsureConnected();
  void Disconnect();
  // Drops the connection after an I/O error, saying so.
  absl::Status Broken();

  const std::string host_;
  const int port_;
  const absl::Duration timeout_;
  redisContext* context_ = nullptr;
  absl::Time next_attempt_ = absl::InfinitePast();
};

// A set of RedisClients shared by threads: each call borrows one.
class RedisPool {
 public:
  RedisPool(std::string host, int port, absl::Duration timeout)
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

 private:
  const std::string host_;
  const int port_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisClient>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan

#endif  // JIANGAN_GATEWAY_REDIS_CLIENT_H_
