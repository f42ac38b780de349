// Per-principal rate limits at the gateway: a token bucket for each caller
// (refilled at `per_second`, holding at most `burst`), in front of the
// authority that says who the caller is. A caller over its limit gets
// RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying when a token will
// be there (HTTP: 429 with Retry-After). Limits are per gateway replica.
#ifndef JIANGAN_GATEWAY_RATE_LIMITER_H_
#define JIANGAN_GATEWAY_RATE_LIMITER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"

namespace jiangan::gateway {

class RateLimiter final : public CallerAuthority {
 public:
  // `inner` must outlive the limiter. `per_second` <= 0 turns limits off.
  RateLimiter(const CallerAuthority* inner, double per_second, double burst)
      : inner_(inner), per_second_(per_second), burst_(burst) {}

  // The inner authority's verdict, then one token from the caller's bucket.
  absl::StatusOr<Identity> Identify(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const override;

  // Takes a token from `principal`'s bucket at `now`.
  absl::Status Admit(const std::string& principal, absl::Time now) const;

 private:
  struct Bucket {
    double tokens;
    absl::Time refilled;
  };

  const CallerAuthority* const inner_;
  const double per_second_;
  const double burst_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_RATE_LIMITER_H_
