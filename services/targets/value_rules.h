// The rules of a reported target value, without I/O: which targets take
// values, who may record them, what a value must be, and which one stands.
#ifndef JIANGAN_SERVICES_TARGETS_VALUE_RULES_H_
#define JIANGAN_SERVICES_TARGETS_VALUE_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "common/identity/identity.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
#include "jiangan/target_values/v1/target_values.pb.h"

namespace jiangan::targets {

using TargetValue = target_values::v1::TargetValue;

// FAILED_PRECONDITION naming its rule unless `target` is REPORTED or a
// COMPUTED target that takes adjustments (`adjustment_text`): otherwise a
// COMPUTED target's value comes from the records, never by hand.
absl::Status CheckReported(const portfolio::v1::Target& target);

// PERMISSION_DENIED unless `caller` is an ADMIN, or an EDITOR of the
// department the report names responsible for `target`.
absl::Status CheckMayRecord(const Identity& caller, const portfolio::v1::Target& target);

// INVALID_ARGUMENT naming the field and the rule unless `value` has a
// decimal value (a whole number for an adjustment of a COMPUTED target), an as-of day in `target`'s year and not after `today`, and
// evidence of at most 1000 characters.
// Of one target's `values` (oldest record first), the one that stands on
// `day`: the latest `as_of` not after `day`, and of several on that day the
// last recorded (a correction). Null when none does.
const target_values::v1::TargetValue* StandingValue(
    absl::Span<const target_values::v1::TargetValue> values, absl::CivilDay day);

// The target `targets/{target}` a child such as a value
// (`targets/{target}/values/{value}`) or an assignment belongs to: the
// first two segments of its name; "" for a name without them.
std::string TargetOf(absl::string_view child_name);

absl::Status ValidateTargetValue(const target_values::v1::TargetValue& value,
                                 const portfolio::v1::Target& target, absl::CivilDay today);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_VALUE_RULES_H_
