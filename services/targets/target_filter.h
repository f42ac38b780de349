// ListTargets' filter (jiangan.portfolio.v1.TargetFilter): its checks and
// whether a target matches it. Pure: no I/O.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_FILTER_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_FILTER_H_

#include "absl/status/status.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

// INVALID_ARGUMENT naming the `filter.*` field and its rule for an unknown
// measuring service or an enum value out of range.
absl::Status CheckTargetFilter(const portfolio::v1::TargetFilter& filter);

// Whether `target` matches every field `filter` sets, except health.
bool MatchesCatalogFields(const portfolio::v1::TargetFilter& filter,
                          const portfolio::v1::Target& target);

// Whether `target`'s health, as presented, matches `filter.healths`.
bool MatchesHealth(const portfolio::v1::TargetFilter& filter, const portfolio::v1::Target& target);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_FILTER_H_
