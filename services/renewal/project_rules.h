// The renewal office's rules for what may be stored: field checks, phase
// transitions, which fields a caller may set, and where the district is.
// Every violation is INVALID_ARGUMENT (or FAILED_PRECONDITION where it
// depends on the stored state: a phase transition, a falling percent) whose message starts with the field path and states the rule.
#ifndef JIANGAN_SERVICES_RENEWAL_PROJECT_RULES_H_
#define JIANGAN_SERVICES_RENEWAL_PROJECT_RULES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "jiangan/type/v1/lat_lng.pb.h"

namespace jiangan::renewal {

// Checks every caller-settable field of `project`; `today` bounds actual
// dates (nothing is reached in the future).
absl::Status ValidateProject(const v1::Project& project, absl::CivilDay today);

// OK if a project may go from `from` to `to` (see ProjectPhase), else
// FAILED_PRECONDITION naming both.
absl::Status CheckPhaseTransition(v1::ProjectPhase from, v1::ProjectPhase to);

// INVALID_ARGUMENT unless `mask` names at least one field and only field
// paths of Project that a caller may set.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask);

// Clears every output-only field, so what a caller sent in them is ignored.
void ClearOutputOnlyFields(v1::Project* project);

// Checks a report against the project's current percent and achieved
// totals: period `YYYY-MM` not after `today`'s month, percent 0..100 and not
// below `current.percent_complete()` unless a correction; quantities not
// negative, except that a correction may subtract as long as no achieved
// total goes below zero.
absl::Status ValidateProgressReport(const v1::ProgressReport& report,
                                    const v1::Project& current, absl::CivilDay today);

// Adds `delta` to `total` field by field. OUT_OF_RANGE on int64 overflow.
absl::Status AddQuantities(const v1::Quantities& delta, v1::Quantities* total);

// The day a project entered a phase: the day given with the change, or, for
// changes recorded before days were given, the day of `enter_time`.
absl::CivilDay EnterDayOf(const v1::PhaseChange& change);

// Settles `project->phase_date`, the day the project entered its current
// phase. On create or a change of phase it is `sent` (the day the caller
// gave with it, null when none): not after `today` and not before the day
// the project entered its previous phase (`before`, null on create), or
// left empty for ApplyConsequences to date the change today. Otherwise the
// stored day stands, and a different day sent is INVALID_ARGUMENT: the day
// is given with a change of phase.
absl::Status SettlePhaseDate(const v1::Project* before, const type::v1::Date* sent,
                             absl::CivilDay today, v1::Project* project);

// Sets what follows from a project's fields as of `now`: the day it entered
// a new phase (its `phase_date`, else today), the baseline when it first reaches APPROVED or later, the
// completion date when it completes, the outside-the-district flag.
// `before` is the stored version, null on create.
void ApplyConsequences(const v1::Project* before, absl::Time now, v1::Project* project);


}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_PROJECT_RULES_H_
