// The investment office's rules for what may be stored: field checks, stage
// transitions and the facts each stage needs, what follows from a write,
// funds entries, activities, and who sees personal information. Pure: no
// I/O. Field errors are INVALID_ARGUMENT; refusals that depend on the stored
// state are FAILED_PRECONDITION (AIP-193). Messages start with the field path.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_RULES_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_RULES_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::investment {

// 亿元以上: a signed investment of at least this many yuan.
inline constexpr int64_t kMajorProjectYuan = 100'000'000;

// Checks every caller-settable field of `lead`; `today` bounds dates.
absl::Status ValidateLead(const v1::Lead& lead, absl::CivilDay today);

// OK if a lead may go from `before`'s stage to `to` (see Stage), else
// FAILED_PRECONDITION naming both.
absl::Status CheckStageTransition(const v1::Lead& before, v1::Stage to);

// FAILED_PRECONDITION naming the missing fact when `lead` lacks what its
// stage requires (see Stage).
absl::Status CheckStageFacts(const v1::Lead& lead);

// INVALID_ARGUMENT unless `mask` names at least one field and only paths of
// Lead that a caller may set.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask);

// Clears every output-only field, so what a caller sent in them is ignored.
void ClearOutputOnlyFields(v1::Lead* lead);

// Sets what follows from a lead's fields as of `now`: the normalized
// company name, whether it is a major project, the stage history, the stage
// a lost lead left (and its clearing on reopening). `before` is the stored
// version, null on create.
void ApplyConsequences(const v1::Lead* before, absl::Time now, v1::Lead* lead);

// The day a lead entered the stage of `change`: the day it happened where
// the lead records it (SIGNED: `agreement_date`; REGISTERED:
// `registration_date`), else the day the change was recorded (China time).
// Windows and the district's targets count the stage on this day.
absl::CivilDay StageEnterDay(const v1::Lead& lead, const v1::StageChange& change);

// Checks a funds entry against `lead` (its stage and arrived total):
// INVALID_ARGUMENT for the entry's own fields, FAILED_PRECONDITION when the
// lead may not receive funds or a correction would take the total below
// zero, OUT_OF_RANGE past int64.
absl::Status ValidateFundsEntry(const v1::FundsEntry& entry, const v1::Lead& lead,
                                absl::CivilDay today);

// Checks an activity's own fields.
absl::Status ValidateActivity(const v1::Activity& activity, absl::CivilDay today);

// Folds a logged activity into the lead's activity count, latest activity
// date and pending follow-up date.
void ApplyActivity(const v1::Activity& activity, v1::Lead* lead);

// Whether `caller` may see the lead's personal information: ADMINs and any
// staff of its owning department.
bool MaySeePersonalInformation(const Identity& caller, const v1::Lead& lead);

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_LEAD_RULES_H_
