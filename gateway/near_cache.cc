#include "gateway/near_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace jiangan::gateway {

NearCache::NearCache(size_t max_entries, absl::Duration ttl)
    : max_entries_per_shard_(std::max<size_t>(1, max_entries / kShards)), ttl_(ttl) {}

NearCache::Shard& NearCache::ShardOf(absl::string_view name) const {
  return shards_[absl::HashOf(name) % kShards];
}

uint64_t NearCache::Ticket(absl::string_view name) const {
  Shard& shard = ShardOf(name);
  absl::MutexLock lock(&shard.mu);
  return shard.invalidations;
}

bool NearCache::live() const { return live_.load(std::memory_order_acquire); }

std::optional<std::string> NearCache::Get(absl::string_view name, absl::string_view view,
                                          absl::Time now) const {
  if (!live()) return std::nullopt;
  Shard& shard = ShardOf(name);
  absl::MutexLock lock(&shard.mu);
  auto by_name = shard.names.find(name);
  if (by_name == shard.names.end()) return std::nullopt;
  auto by_view = by_name->second.find(view);
  if (by_view == by_name->second.end() || by_view->second.expires <= now) return std::nullopt;
  return by_view->second.value;
}

void NearCache::Put(absl::string_view name, absl::string_view view, std::string value,
                    uint64_t ticket, absl::Time now) {
  if (!live()) return;
  Shard& shard = ShardOf(name);
  absl::MutexLock lock(&shard.mu);
  if (shard.invalidations != ticket) return;
  if (shard.entries >= max_entries_per_shard_) {
    // Crude but bounded: a full shard starts again.
    shard.names.clear();
    shard.entries = 0;
  }
  auto [entry, inserted] =
      shard.names[name].insert_or_assign(std::string(view), Entry{std::move(value), now + ttl_});
  if (inserted) ++shard.entries;
}

void NearCache::Invalidate(absl::string_view name) {
  Shard& shard = ShardOf(name);
  absl::MutexLock lock(&shard.mu);
  ++shard.invalidations;
  auto it = shard.names.find(name);
  if (it == shard.names.end()) return;
  shard.entries -= it->second.size();
  shard.names.erase(it);
}

void NearCache::SetLive(bool live) {
  // Emptied first: whatever was kept before a gap in the feed may be stale.
  live_.store(false, std::memory_order_release);
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    ++shard.invalidations;
    shard.names.clear();
    shard.entries = 0;
  }
  live_.store(live, std::memory_order_release);
}

}  // namespace jiangan::gateway
