// The values of the district's REPORTED targets, as the target values
// service (jiangan.target_values.v1) keeps them, and which one stands on a
// day. The gateway asks as the caller; it keeps no values itself.
#ifndef JIANGAN_GATEWAY_REPORTED_VALUES_H_
#define JIANGAN_GATEWAY_REPORTED_VALUES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/identity/identity.h"
#include "gateway/backends.h"
#include "jiangan/target_values/v1/target_values.pb.h"

namespace jiangan::gateway {

using TargetValue = target_values::v1::TargetValue;

// Of one target's `values` (oldest record first), the one that stands on
// `day`: the latest `as_of` not after `day`, and of several on that day the
// last recorded (a correction). Null when none does.
const TargetValue* StandingValue(absl::Span<const TargetValue> values, absl::CivilDay day);

// The target `targets/{target}` a value `targets/{target}/values/{value}`
// belongs to.
std::string TargetOfValue(const TargetValue& value);

class ReportedValues {
 public:
  // `backends` and `signer` must outlive this object.
  ReportedValues(Backends* backends, const IdentitySigner* signer)
      : backends_(backends), signer_(signer) {}

  // Every value recorded for `parent` (`targets/{target}`, or `targets/-`
  // for all), oldest record first, asked as `caller` within `deadline`.
  absl::StatusOr<std::vector<TargetValue>> Fetch(const std::string& parent,
                                                 const Identity& caller,
                                                 absl::Time deadline) const;

 private:
  Backends* const backends_;
  const IdentitySigner* const signer_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_REPORTED_VALUES_H_
