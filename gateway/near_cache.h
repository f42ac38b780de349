// An in-process copy of cached responses in front of Redis, so that a
// cached read costs no network round trip and no thread hop.
//
// Coherence. Every invalidation is applied here (by the write's own replica,
// once Redis has dropped the value, and by every replica through
// InvalidationSubscriber), and each shard counts its invalidations: a fill
// carries the count it saw before it looked in Redis or asked the service,
// and is dropped if the shard has seen an invalidation since. The cache is
// trusted only while its subscriber says the invalidation feed is live; it
// is emptied when the feed breaks and when it comes back. Entries also
// expire after `ttl`, which bounds staleness should a feed fail silently.
#ifndef JIANGAN_GATEWAY_NEAR_CACHE_H_
#define JIANGAN_GATEWAY_NEAR_CACHE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jiangan::gateway {

class NearCache {
 public:
  // Holds at most about `max_entries` responses (a full shard is emptied).
  NearCache(size_t max_entries, absl::Duration ttl);

  // What a later Put must present: the invalidation count of `name`'s shard.
  uint64_t Ticket(absl::string_view name) const;

  // The response cached for `view` of `name`, unless expired or not live.
  std::optional<std::string> Get(absl::string_view name, absl::string_view view,
                                 absl::Time now) const;

  // Keeps `value` unless `name`'s shard saw an invalidation since `ticket`,
  // or the cache is not live.
  void Put(absl::string_view name, absl::string_view view, std::string value, uint64_t ticket,
           absl::Time now);

  // Drops every view of `name`.
  void Invalidate(absl::string_view name);

  // Empties the cache and sets whether it may serve and keep responses.
  void SetLive(bool live);
  bool live() const;

 private:
  static constexpr size_t kShards = 64;
  struct Entry {
    std::string value;
    absl::Time expires;
  };
  struct Shard {
    mutable absl::Mutex mu;
    uint64_t invalidations ABSL_GUARDED_BY(mu) = 0;
    // name -> view -> entry
    absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, Entry>> names
        ABSL_GUARDED_BY(mu);
    size_t entries ABSL_GUARDED_BY(mu) = 0;
  };

  Shard& ShardOf(absl::string_view name) const;

  const size_t max_entries_per_shard_;
  const absl::Duration ttl_;
  mutable std::array<Shard, kShards> shards_;
  std::atomic<bool> live_{false};
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_NEAR_CACHE_H_
