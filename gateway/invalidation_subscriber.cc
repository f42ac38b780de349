#include "gateway/invalidation_subscriber.h"

#include "absl/time/clock.h"
#include "common/base/logging.h"
#include "gateway/redis_client.h"

namespace jiangan::gateway {
namespace {

constexpr absl::Duration kPingEvery = absl::Seconds(1);
constexpr absl::Duration kPoll = absl::Milliseconds(100);

}  // namespace

InvalidationSubscriber::InvalidationSubscriber(std::string host, int port,
                                               absl::Duration timeout, NearCache* near,
                                               Metrics* metrics)
    : host_(std::move(host)),
      port_(port),
      timeout_(timeout),
      near_(near),
      metrics_(metrics),
      thread_([this] { Run(); }) {}

InvalidationSubscriber::~InvalidationSubscriber() {
  stop_.store(true);
  thread_.join();
}

void InvalidationSubscriber::Run() {
  bool was_live = false;
  while (!stop_.load()) {
    RedisClient redis(host_, port_, timeout_);
    if (redis.Send({"SUBSCRIBE", kInvalidationChannel}).ok()) {
      absl::Time answered = absl::Now();
      absl::Time next_ping = answered;
      while (!stop_.load()) {
        const absl::Time now = absl::Now();
        if (now >= next_ping) {
          if (!redis.Send({"PING"}).ok()) break;
          next_ping = now + kPingEvery;
        }
        // Silent for a ping interval and a timeout: the feed may be missing
        // invalidations, so the near cache must not be trusted.
        if (now - answered > kPingEvery + timeout_) break;
        absl::StatusOr<std::optional<RedisReply>> reply = redis.Receive(kPoll);
        if (!reply.ok()) break;
        if (!reply->has_value()) continue;
        const RedisReply& pushed = **reply;
        if (pushed.type != RedisReply::Type::kArray || pushed.elements.empty()) continue;
        const std::string& kind = pushed.elements[0].str;
        if (kind == "subscribe") {
          // Emptied and trusted from here on: nothing missed can remain.
          near_->SetLive(true);
          answered = absl::Now();
          if (!was_live) Log(LogLevel::kInfo, "near_cache_live");
          was_live = true;
        } else if (kind == "pong") {
          answered = absl::Now();
        } else if (kind == "message" && pushed.elements.size() == 3) {
          near_->Invalidate(pushed.elements[2].str);
          metrics_->AddToCounter("gateway_near_cache_invalidations_total", "");
        }
      }
    }
    near_->SetLive(false);
    if (was_live) {
      Log(LogLevel::kWarning, "near_cache_off", {{"reason", "redis subscription lost"}});
      was_live = false;
    }
    for (int i = 0; i < 10 && !stop_.load(); ++i) absl::SleepFor(kPoll);
  }
}

}  // namespace jiangan::gateway
