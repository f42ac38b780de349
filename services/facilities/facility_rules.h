// The district's rules for a facility record: field checks, the status life
// cycle and its dates, what follows from a write, capacity readings and the
// capacity a history of readings adds. Pure: no I/O. Field errors are
// INVALID_ARGUMENT; refusals that depend on the stored state are
// FAILED_PRECONDITION (AIP-193). Messages start with the field path.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITY_RULES_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITY_RULES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::facilities {

// The unit a kind's capacity is counted in (see FacilityKind).
v1::CapacityUnit UnitOf(v1::FacilityKind kind);

// Checks every caller-settable field of `facility`; `today` bounds dates.
absl::Status ValidateFacility(const v1::Facility& facility, absl::CivilDay today);

// OK if a facility may move from `from` to `to` (see FacilityStatus), else
// FAILED_PRECONDITION naming both and the allowed moves.
absl::Status CheckStatusTransition(v1::FacilityStatus from, v1::FacilityStatus to);

// FAILED_PRECONDITION when `after` changes what the stored `before` fixes:
// its kind once capacity has been read (the readings are in its unit).
absl::Status CheckChangeAllowed(const v1::Facility& before, const v1::Facility& after);

// INVALID_ARGUMENT unless `mask` names at least one field and only paths of
// Facility that a caller may set.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask);

// Clears every output-only field, so what a caller sent in them is ignored.
void ClearOutputOnlyFields(v1::Facility* facility);

// Sets what follows from a facility's fields: the status history (a status
// entered on `status_date` when `status_date_given`, else on today's date in
// China; a facility created past PLANNED without a day has no day), the
// current status's day as `status_date`, the first day in service, the
// capacity unit and the outside-the-district flag. `before` is the stored
// version, null on create. FAILED_PRECONDITION when the day precedes the
// previous status's day.
absl::Status ApplyConsequences(const v1::Facility* before, bool status_date_given,
                               absl::Time now, absl::string_view recorder,
                               v1::Facility* facility);

// Checks a capacity reading's own fields.
absl::Status ValidateCapacityReading(const v1::CapacityReading& reading, absl::CivilDay today);

// One stored reading of a facility, for ordering and for the changes it
// makes.
struct ReadingPoint {
  int64_t day = 0;  // DayNumber of reading_date
  int64_t seq = 0;  // recording order; breaks ties within a day
  int64_t capacity = 0;
};

// Whether a facility is of the public sector (公办): owned by the government,
// a public institution or a state-owned enterprise, or a kindergarten run
// publicly.
bool PubliclyOwned(const v1::Facility& facility);

// The first day (DayNumber) a facility served: its `in_service_date`; the
// earliest day there is when it served from a day not recorded (created in
// service without one, e.g. a hospital serving for decades); nullopt when
// it has never served.
std::optional<int64_t> FirstServiceDay(const v1::Facility& facility);

// The days (DayNumber) a facility came back into service after being
// rebuilt (改建): each IN_SERVICE entered from UNDER_CONSTRUCTION after it had
// served, in history order; entries without a day are left out.
std::vector<int64_t> RebuiltDays(const v1::Facility& facility);

// The change each reading makes to capacity, given the facility's readings
// in any order: readings are ordered by (day, seq) and each changes the
// capacity from the one before it. The first rises from 0, unless the
// facility served before the first day of that reading's year
// (`first_service_day`): then it is the level the facility had when it was
// first recorded, and changes nothing (today's 500 spaces of a 2019 car
// park are not 500 new ones). Returned in the order of `readings`.
std::vector<int64_t> CapacityChanges(const std::vector<ReadingPoint>& readings,
                                     std::optional<int64_t> first_service_day);

// Sets the facility's capacity, in-use count, utilisation and capacity date
// from `latest`, its latest reading; clears them when there is none.
void ApplyLatestReading(const v1::CapacityReading* latest, v1::Facility* facility);

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITY_RULES_H_
