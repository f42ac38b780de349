#include "gateway/response_cache.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"
#include "gateway/invalidation_subscriber.h"

namespace jiangan::gateway {
namespace {

// Remembered invalidations beyond this make the cache bypass itself instead.
constexpr size_t kMaxPending = 100000;
// Generations outlive any value cached under them.
constexpr absl::Duration kGenerationLifetime = absl::Hours(24);
// Passed to Fill when no generation could be read: such a fill is dropped.
constexpr char kNoGeneration[] = "-";

// Store the view's value only if the generation is still the one read
// before the fetch ('' when there was none).
constexpr char kFillScript[] =
    "local g = redis.call('GET', KEYS[2]) or '' "
    "if g == ARGV[1] then redis.call('HSET', KEYS[1], ARGV[4], ARGV[2]) "
    "redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1 end return 0";

std::vector<std::vector<std::string>> InvalidationCommands(const std::string& name) {
  const std::string generation_key = ResponseCache::GenerationKey(name);
  return {{"INCR", generation_key},
          {"PEXPIRE", generation_key,
           absl::StrCat(absl::ToInt64Milliseconds(kGenerationLifetime))},
          {"DEL", ResponseCache::ValueKey(name)},
          // Last: a replica told of it finds Redis already without the value.
          {"PUBLISH", kInvalidationChannel, name}};
}

}  // namespace

ResponseCache::ResponseCache(RedisPool* redis, Executor* executor, Metrics* metrics,
                             absl::Duration ttl, NearCache* near)
    : redis_(redis), executor_(executor), metrics_(metrics), ttl_(ttl), near_(near) {}

ResponseCache::~ResponseCache() {
  absl::MutexLock lock(&in_flight_->mu);
  in_flight_->mu.Await(absl::Condition(
      +[](int* count) { return *count == 0; }, &in_flight_->count));
}

bool ResponseCache::Submit(absl::AnyInvocable<void() &&> task) {
  {
    absl::MutexLock lock(&in_flight_->mu);
    ++in_flight_->count;
  }
  const bool queued =
      executor_->Submit([in_flight = in_flight_, task = std::move(task)]() mutable {
        std::move(task)();
        absl::MutexLock lock(&in_flight->mu);
        --in_flight->count;
      });
  if (!queued) {
    absl::MutexLock lock(&in_flight_->mu);
    --in_flight_->count;
  }
  return queued;
}

std::string ResponseCache::ValueKey(absl::string_view resource_name) {
  return absl::StrCat("jiangan:v2:cache:", resource_name);
}

std::string ResponseCache::GenerationKey(absl::string_view resource_name) {
  return absl::StrCat("jiangan:v1:generation:", resource_name);
}

bool ResponseCache::FlushPending() {
  std::vector<std::string> names;
  {
    absl::MutexLock lock(&mu_);
    if (pending_.empty()) return true;
    names.assign(pending_.begin(), pending_.end());
  }
  std::vector<std::vector<std::string>> commands;
  for (const std::string& name : names) {
    for (auto& command : InvalidationCommands(name)) {
      commands.push_back(std::move(command));
    }
  }
  if (!redis_->Pipeline(commands).ok()) return false;
  absl::MutexLock lock(&mu_);
  for (const std::string& name : names) pending_.erase(name);
  Log(LogLevel::kInfo, "cache_invalidations_replayed",
      {{"count", absl::StrCat(names.size())}});
  return pending_.empty();
}

bool ResponseCache::Trusted() {
  {
    absl::MutexLock lock(&mu_);
    if (absl::Now() < bypass_until_) return false;
  }
  return FlushPending();
}

void ResponseCache::Lookup(std::string resource_name, std::string view, LookupDone done) {
  FillTicket ticket;
  if (near_ != nullptr) {
    if (std::optional<std::string> near = near_->Get(resource_name, view, absl::Now())) {
      metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"near_hit\"");
      std::move(done)(std::move(near), std::move(ticket));
      return;
    }
    // Taken before Redis is read: an invalidation after it voids the fill.
    ticket.near = near_->Ticket(resource_name);
  }
  // Shared so that, if the executor refuses the task, `done` can still be
  // called here: a miss costs one service call, never an error.
  auto pending_done = std::make_shared<LookupDone>(std::move(done));
  const bool queued = Submit([this, name = std::move(resource_name),
                                         view = std::move(view), ticket, pending_done]() mutable {
    LookupDone done_now = std::move(*pending_done);
    if (!Trusted()) {
      metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"bypass\"");
      std::move(done_now)(std::nullopt, FillTicket{kNoGeneration});
      return;
    }
    auto replies = redis_->Pipeline({{"GET", GenerationKey(name)}, {"HGET", ValueKey(name), view}});
    if (!replies.ok()) {
      metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"error\"");
      std::move(done_now)(std::nullopt, FillTicket{kNoGeneration});
      return;
    }
    ticket.generation = std::move((*replies)[0].str);
    RedisReply& value = (*replies)[1];
    if (value.type == RedisReply::Type::kString) {
      metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"hit\"");
      if (near_ != nullptr) near_->Put(name, view, value.str, ticket.near, absl::Now());
      std::move(done_now)(std::move(value.str), std::move(ticket));
      return;
    }
    metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"miss\"");
    std::move(done_now)(std::nullopt, std::move(ticket));
  });
  if (!queued) {
    metrics_->AddToCounter("gateway_cache_lookups_total", "result=\"saturated\"");
    std::move(*pending_done)(std::nullopt, FillTicket{kNoGeneration});
  }
}

void ResponseCache::Fill(std::string resource_name, std::string view, FillTicket ticket,
                         std::string value) {
  if (ticket.generation == kNoGeneration) return;
  Submit([this, name = std::move(resource_name), view = std::move(view),
                     ticket = std::move(ticket), value = std::move(value)]() mutable {
    auto reply = redis_->Pipeline(
        {{"EVAL", kFillScript, "2", ValueKey(name), GenerationKey(name), ticket.generation,
          value, absl::StrCat(absl::ToInt64Milliseconds(ttl_)), view}});
    if (!reply.ok()) {
      metrics_->AddToCounter("gateway_cache_fills_total", "result=\"error\"");
      return;
    }
    const bool stored = (*reply)[0].integer == 1;
    metrics_->AddToCounter("gateway_cache_fills_total",
                           stored ? "result=\"stored\"" : "result=\"superseded\"");
    // Only what Redis took: its generation check has ruled out a write
    // that landed before this fill.
    if (stored && near_ != nullptr) {
      near_->Put(name, view, std::move(value), ticket.near, absl::Now());
    }
  });
}

void ResponseCache::Remember(std::string resource_name) {
  absl::MutexLock lock(&mu_);
  if (pending_.size() >= kMaxPending) {
    pending_.clear();
    bypass_until_ = absl::Now() + ttl_;
    Log(LogLevel::kWarning, "cache_bypassed",
        {{"reason", "too many invalidations could not reach redis"}});
  } else {
    pending_.insert(std::move(resource_name));
  }
}

void ResponseCache::Invalidate(std::string resource_name,
                               absl::AnyInvocable<void() &&> done) {
  auto pending_done = std::make_shared<absl::AnyInvocable<void() &&>>(std::move(done));
  const bool queued = Submit([this, name = resource_name, pending_done] {
    if (!redis_->Pipeline(InvalidationCommands(name)).ok()) Remember(name);
    // After Redis: a lookup that misses here from now on cannot read the
    // old value there.
    if (near_ != nullptr) near_->Invalidate(name);
    std::move(*pending_done)();
  });
  if (!queued) {
    // Remembered invalidations keep the cache untrusted until replayed, so
    // skipping Redis here cannot serve a stale value.
    if (near_ != nullptr) near_->Invalidate(resource_name);
    Remember(std::move(resource_name));
    std::move(*pending_done)();
  }
}

}  // namespace jiangan::gateway
