// Caches serialized Get responses in Redis, keyed by resource name and, for
// responses that differ by caller (personal information), by caller view:
// each name's views live in one Redis hash, so one DEL drops them all.
//
// Correctness rule: a read after a successful write through the gateway
// never returns the old value. Each resource has a generation counter in
// Redis; a write bumps it and deletes the cached value before the write's
// response is returned, and a fill only lands if the generation it read
// before fetching from the service is still current. So a slow read that
// raced with a write cannot put the old value back.
//
// In front of Redis, an optional NearCache keeps responses in process (see
// near_cache.h): a hit there is answered on the caller's thread.
//
// Redis being down never fails a request: lookups miss. Invalidations that
// could not reach Redis are remembered and replayed before the cache is
// trusted again; if too many pile up, the cache is bypassed for one TTL, by
// which time every value that could be stale has expired.
#ifndef JIANGAN_GATEWAY_RESPONSE_CACHE_H_
#define JIANGAN_GATEWAY_RESPONSE_CACHE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/runtime/executor.h"
#include "common/runtime/metrics.h"
#include "gateway/near_cache.h"
#include "gateway/redis_client.h"

namespace jiangan::gateway {

// What a lookup saw, to be handed to Fill after fetching a fresh value.
struct FillTicket {
  std::string generation;  // the resource's generation in Redis
  uint64_t near = 0;       // NearCache::Ticket
};

class ResponseCache {
 public:
  // Redis I/O runs on `executor`. `near` may be null. All pointers must
  // outlive the cache.
  ResponseCache(RedisPool* redis, Executor* executor, Metrics* metrics, absl::Duration ttl,
                NearCache* near = nullptr);
  // Waits for the Redis work already handed to the executor: a fire-and-
  // forget fill still touches the cache after its caller has moved on.
  ~ResponseCache();

  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // Redis key of the hash that holds the cached responses for
  // `resource_name`, one field per caller view ("" when shared).
  static std::string ValueKey(absl::string_view resource_name);
  // Redis key of the counter each invalidation of `resource_name` bumps.
  static std::string GenerationKey(absl::string_view resource_name);

  // Calls `done(value, ticket)`: inline on a near-cache hit or when the
  // executor is saturated, else on an executor thread. `value` is the cached
  // response or nullopt, and `ticket` must be handed to Fill after fetching
  // a fresh value.
  using LookupDone =
      absl::AnyInvocable<void(std::optional<std::string> value, FillTicket ticket) &&>;
  void Lookup(std::string resource_name, std::string view, LookupDone done);

  // Stores `value` for `view` unless `resource_name` was written since
  // `ticket` was taken. Fire and forget.
  void Fill(std::string resource_name, std::string view, FillTicket ticket, std::string value);

  // Drops every cached view and bumps the generation, tells the other
  // replicas (kInvalidationChannel), drops the name from the near cache,
  // then calls `done`.
  void Invalidate(std::string resource_name, absl::AnyInvocable<void() &&> done);

 private:
  // Replays remembered invalidations; false if Redis is still unreachable.
  bool FlushPending();
  bool Trusted();
  // Records an invalidation that could not reach Redis.
  void Remember(std::string resource_name);
  // Executor::Submit, counting the task until it has run.
  bool Submit(absl::AnyInvocable<void() &&> task);

  RedisPool* const redis_;
  Executor* const executor_;
  Metrics* const metrics_;
  const absl::Duration ttl_;
  NearCache* const near_;

  absl::Mutex mu_;
  absl::flat_hash_set<std::string> pending_ ABSL_GUARDED_BY(mu_);
  absl::Time bypass_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();

  // Tasks handed to the executor and not yet run. Shared with the tasks so
  // that the last one's unlock never touches a destroyed cache.
  struct InFlight {
    absl::Mutex mu;
    int count ABSL_GUARDED_BY(mu) = 0;
  };
  const std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_RESPONSE_CACHE_H_
