// Keeps this replica's NearCache coherent with every other gateway replica:
// subscribes to the Redis channel on which each replica publishes the
// resource names its writes invalidated, drops them here, and holds the near
// cache live only while the subscription is known to work (a PING is
// answered within `timeout` of each second). When Redis is unreachable the
// near cache is emptied and stays off until the subscription is back, so a
// write made elsewhere in the meantime cannot be missed for longer than
// that detection (a few seconds) or the near cache's TTL.
#ifndef JIANGAN_GATEWAY_INVALIDATION_SUBSCRIBER_H_
#define JIANGAN_GATEWAY_INVALIDATION_SUBSCRIBER_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "common/runtime/metrics.h"
#include "gateway/near_cache.h"

namespace jiangan::gateway {

// The channel every replica publishes invalidated names on.
inline constexpr char kInvalidationChannel[] = "jiangan:v1:invalidations";

class InvalidationSubscriber {
 public:
  // Starts subscribing at once. `near` and `metrics` must outlive this.
  InvalidationSubscriber(std::string host, int port, absl::Duration timeout, NearCache* near,
                         Metrics* metrics);
  ~InvalidationSubscriber();

 private:
  void Run();

  const std::string host_;
  const int port_;
  const absl::Duration timeout_;
  NearCache* const near_;
  Metrics* const metrics_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_INVALIDATION_SUBSCRIBER_H_
