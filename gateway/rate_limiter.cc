#include "gateway/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status.h"

namespace jiangan::gateway {

absl::StatusOr<Identity> RateLimiter::Identify(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  absl::StatusOr<Identity> caller = inner_->Identify(metadata);
  if (!caller.ok()) return caller;
  if (absl::Status admitted = Admit(caller->principal, absl::Now()); !admitted.ok()) {
    return admitted;
  }
  return caller;
}

absl::Status RateLimiter::Admit(const std::string& principal, absl::Time now) const {
  if (per_second_ <= 0) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(principal, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.refilled) {
    bucket.tokens = std::min(burst_, bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) *
                                                         per_second_);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const absl::Duration wait = absl::Seconds((1 - bucket.tokens) / per_second_);
  return ResourceExhaustedRetryAfter(
      absl::StrCat("rate limit: ", principal, " may make ", per_second_,
                   " calls a second (bursts of ", burst_, "); try again in ",
                   absl::FormatDuration(absl::Ceil(wait, absl::Milliseconds(1)))),
      wait);
}

}  // namespace jiangan::gateway
