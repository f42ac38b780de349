// The steps every store's writes share: ids and batches of creates
// (AIP-133, AIP-233), AIP-154 etags guarding against lost updates, and
// AIP-164 soft delete.
#ifndef JIANGAN_COMMON_BASE_RESOURCE_VERSIONS_H_
#define JIANGAN_COMMON_BASE_RESOURCE_VERSIONS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/civil_date.h"
#include "common/base/fingerprint.h"

namespace jiangan {

// The id a create uses: `requested`, or a generated one when it is empty.
// INVALID_ARGUMENT naming `field` for a malformed id, or naming request_id
// for a malformed idempotency key.
absl::StatusOr<std::string> ResolveNewId(absl::string_view requested, absl::string_view field,
                                         absl::string_view request_id);

// AIP-233 batch creates hold at most this many requests.
inline constexpr int kMaxBatchCreate = 1000;

// INVALID_ARGUMENT unless a batch holds 1 to kMaxBatchCreate requests;
// `items` says what they create, e.g. "projects".
absl::Status CheckBatchSize(int size, absl::string_view items);

// `status` as about request `index` of a batch: its message names the
// field as requests[index].<field>.
absl::Status AboutBatchRequest(int index, const absl::Status& status);

// Stamps version 1 of a resource stored in row `seq`: its name, create and
// update time, creator and updater, and etag.
template <typename Resource>
void StampCreated(const std::string& name, absl::Time now, const std::string& principal,
                  int64_t seq, Resource* resource) {
  resource->set_name(name);
  *resource->mutable_create_time() = TimestampOf(now);
  *resource->mutable_update_time() = resource->create_time();
  resource->set_creator(principal);
  resource->set_updater(principal);
  resource->set_etag(VersionEtag(seq, 1));
}

// OK when `sent` is empty (the caller does not guard) or is `current`;
// ABORTED naming `field` otherwise, as the resource changed since it was
// read.
absl::Status CheckEtag(absl::string_view field, absl::string_view sent,
                       absl::string_view current);

// `stored` soft-deleted at `now`: its next version with delete_time set.
template <typename Resource>
Resource SoftDeleted(const Resource& stored, absl::Time now) {
  Resource next = stored;
  *next.mutable_delete_time() = TimestampOf(now);
  return next;
}

// `stored` restored: its next version without delete_time.
template <typename Resource>
Resource Restored(const Resource& stored) {
  Resource next = stored;
  next.clear_delete_time();
  return next;
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_RESOURCE_VERSIONS_H_
