#include "services/facilities/facility_rules.h"

#include <limits>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/geo/district.h"

namespace jiangan::facilities {
namespace {

const OutputOnlyFields& FacilityOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name",          "status_history", "in_service_date", "location_outside_district",
      "capacity_unit", "capacity",       "in_use",          "utilization_percent",
      "capacity_date", "create_time",    "update_time",     "delete_time",
      "creator",       "updater",        "etag"};
  return *fields;
}

// The kinds a flag may be set on.
absl::Status CheckFlag(absl::string_view field, bool set, v1::FacilityKind kind,
                       std::initializer_list<v1::FacilityKind> allowed) {
  if (!set || std::find(allowed.begin(), allowed.end(), kind) != allowed.end()) {
    return absl::OkStatus();
  }
  std::string names;
  for (v1::FacilityKind k : allowed) {
    absl::StrAppend(&names, names.empty() ? "" : " or ", v1::FacilityKind_Name(k));
  }
  return absl::InvalidArgumentError(absl::StrCat(field, ": may be set only on a ", names,
                                                 ", not a ", v1::FacilityKind_Name(kind)));
}

}  // namespace

v1::CapacityUnit UnitOf(v1::FacilityKind kind) {
  switch (kind) {
    case v1::PRIMARY_SCHOOL:
    case v1::MIDDLE_SCHOOL:
    case v1::HIGH_SCHOOL:
    case v1::KINDERGARTEN:
      return v1::SEATS;
    case v1::HOSPITAL:
    case v1::COMMUNITY_HEALTH_CENTER:
    case v1::ELDERLY_CARE_CENTER:
      return v1::BEDS;
    case v1::EMERGENCY_STATION:
      return v1::VEHICLES;
    case v1::CHILDCARE:
      return v1::SLOTS;
    case v1::FITNESS_EQUIPMENT_SITE:
      return v1::EQUIPMENT_SETS;
    case v1::PARKING:
      return v1::PARKING_SPACES;
    case v1::EV_CHARGING_STATION:
      return v1::CHARGERS;
    case v1::TALENT_APARTMENT:
    case v1::PUBLIC_RENTAL_HOUSING:
    case v1::AFFORDABLE_RENTAL_HOUSING:
      return v1::APARTMENTS;
    case v1::CARDIO_CEREBROVASCULAR_STATION:
    case v1::COMMUNITY_ELDERLY_SERVICE_POINT:
    case v1::PARK:
    case v1::SPORTS_PARK:
    case v1::CULTURAL_VENUE:
    case v1::LIBRARY:
    case v1::OTHER_FACILITY:
      return v1::SQUARE_METERS;
    default:
      return v1::CAPACITY_UNIT_UNSPECIFIED;
  }
}

absl::Status ValidateFacility(const v1::Facility& facility, absl::CivilDay today) {
  RETURN_IF_ERROR(FirstError({
      CheckLength("facility.display_name", facility.display_name(), 1, 200),
      CheckEnum("facility.kind", facility.kind(), v1::FacilityKind_IsValid, true),
      CheckEnum("facility.status", facility.status(), v1::FacilityStatus_IsValid, true),
      CheckPastDate("facility.status_date", facility.status_date(), today),
      CheckLength("facility.owner_department", facility.owner_department(), 1, 100),
      CheckLength("facility.sub_district", facility.sub_district(), 0, 50),
      CheckLength("facility.address", facility.address(), 0, 200),
      CheckLength("facility.operator_name", facility.operator_name(), 0, 200),
      CheckEnum("facility.ownership", facility.ownership(), v1::Ownership_IsValid, false),
      CheckLength("facility.description", facility.description(), 0, 2000),
  }));
  RETURN_IF_ERROR(CheckFlag("facility.publicly_run", facility.publicly_run(), facility.kind(),
                            {v1::KINDERGARTEN}));
  RETURN_IF_ERROR(CheckFlag("facility.inclusive", facility.inclusive(), facility.kind(),
                            {v1::KINDERGARTEN, v1::CHILDCARE}));
  RETURN_IF_ERROR(
      CheckFlag("facility.pocket_park", facility.pocket_park(), facility.kind(), {v1::PARK}));
  if (facility.has_location()) {
    RETURN_IF_ERROR(CheckLatLng("facility.location", facility.location().latitude(),
                                facility.location().longitude()));
  } else if (facility.location_approximate()) {
    return absl::InvalidArgumentError(
        "facility.location_approximate: may be set only with a location");
  }
  if (!facility.renewal_project().empty()) {
    RETURN_IF_ERROR(
        ParseResourceName(facility.renewal_project(), "projects", "facility.renewal_project")
            .status());
  }
  return absl::OkStatus();
}

absl::Status CheckStatusTransition(v1::FacilityStatus from, v1::FacilityStatus to) {
  if (from == to) return absl::OkStatus();
  const char* allowed = "";
  bool ok = false;
  switch (from) {
    case v1::PLANNED:
      ok = to == v1::UNDER_CONSTRUCTION;
      allowed = "UNDER_CONSTRUCTION";
      break;
    case v1::UNDER_CONSTRUCTION:
      ok = to == v1::IN_SERVICE;
      allowed = "IN_SERVICE";
      break;
    // A facility that served may be rebuilt (改建): UNDER_CONSTRUCTION.
    case v1::IN_SERVICE:
      ok = to == v1::SUSPENDED || to == v1::UNDER_CONSTRUCTION || to == v1::CLOSED;
      allowed = "SUSPENDED, UNDER_CONSTRUCTION or CLOSED";
      break;
    case v1::SUSPENDED:
      ok = to == v1::IN_SERVICE || to == v1::UNDER_CONSTRUCTION || to == v1::CLOSED;
      allowed = "IN_SERVICE, UNDER_CONSTRUCTION or CLOSED";
      break;
    case v1::CLOSED:
      allowed = "nothing: a closed facility stays closed";
      break;
    default:
      break;
  }
  if (ok) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "facility.status: a facility cannot move from ", v1::FacilityStatus_Name(from), " to ",
      v1::FacilityStatus_Name(to), "; from ", v1::FacilityStatus_Name(from), " it may move to ",
      allowed));
}

absl::Status CheckChangeAllowed(const v1::Facility& before, const v1::Facility& after) {
  if (after.kind() != before.kind() && before.has_capacity_date()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "facility.kind: cannot change from ", v1::FacilityKind_Name(before.kind()), " to ",
        v1::FacilityKind_Name(after.kind()),
        " once capacity has been recorded in its unit; create a new facility instead"));
  }
  return absl::OkStatus();
}

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask) {
  return jiangan::CheckUpdateMask(mask, v1::Facility::descriptor(), FacilityOutputOnly());
}

void ClearOutputOnlyFields(v1::Facility* facility) {
  ClearOutputOnly(FacilityOutputOnly(), facility);
}

absl::Status ApplyConsequences(const v1::Facility* before, bool status_date_given,
                               absl::Time now, absl::string_view recorder,
                               v1::Facility* facility) {
  status_date_given = status_date_given && !IsEmptyDate(facility->status_date());
  // A facility recorded when it is already past planning, without a day,
  // has been in that status since a day not known: no day is made up.
  const bool day_unknown =
      before == nullptr && !status_date_given && facility->status() != v1::PLANNED;
  const type::v1::Date day = status_date_given ? facility->status_date()
                             : day_unknown     ? type::v1::Date()
                                               : FromCivilDay(ChinaDayOf(now));
  const bool entered = before == nullptr || before->status() != facility->status();
  auto& history = *facility->mutable_status_history();
  if (entered || status_date_given) {
    // The day may not precede the day of the status before it (when known).
    const int previous = entered ? history.size() - 1 : history.size() - 2;
    if (previous >= 0 && !IsEmptyDate(history[previous].date()) && !IsEmptyDate(day) &&
        *ToCivilDay(day) < *ToCivilDay(history[previous].date())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "facility.status_date: ", FormatDate(day), " is before ",
          FormatDate(history[previous].date()), ", when the facility became ",
          v1::FacilityStatus_Name(history[previous].status())));
    }
  }
  if (entered) {
    v1::StatusChange* change = facility->add_status_history();
    change->set_status(facility->status());
    if (!IsEmptyDate(day)) *change->mutable_date() = day;
    change->set_recorder(std::string(recorder));
    *change->mutable_record_time() = TimestampOf(now);
  } else if (status_date_given && !history.empty()) {
    // A correction of the day the current status took effect.
    *history.rbegin()->mutable_date() = day;
  }
  facility->clear_status_date();
  if (!history.empty() && !IsEmptyDate(history.rbegin()->date())) {
    *facility->mutable_status_date() = history.rbegin()->date();
  }
  facility->clear_in_service_date();
  for (const v1::StatusChange& change : history) {
    if (change.status() == v1::IN_SERVICE) {
      if (!IsEmptyDate(change.date())) *facility->mutable_in_service_date() = change.date();
      break;
    }
  }
  facility->set_capacity_unit(UnitOf(facility->kind()));
  facility->set_location_outside_district(
      facility->has_location() &&
      geo::FarOutsideDistrict(facility->location().latitude(), facility->location().longitude()));
  return absl::OkStatus();
}

absl::Status ValidateCapacityReading(const v1::CapacityReading& reading, absl::CivilDay today) {
  RETURN_IF_ERROR(CheckPastDate("capacity_reading.reading_date", reading.reading_date(), today));
  if (IsEmptyDate(reading.reading_date())) {
    return absl::InvalidArgumentError("capacity_reading.reading_date: is required");
  }
  return FirstError({
      CheckNotNegative("capacity_reading.capacity", reading.capacity()),
      reading.has_in_use() ? CheckNotNegative("capacity_reading.in_use", reading.in_use())
                           : absl::OkStatus(),
      CheckLength("capacity_reading.note", reading.note(), 0, 500),
  });
}

bool PubliclyOwned(const v1::Facility& facility) {
  return facility.ownership() == v1::GOVERNMENT || facility.ownership() == v1::STATE_OWNED ||
         (facility.kind() == v1::KINDERGARTEN && facility.publicly_run());
}

std::optional<int64_t> FirstServiceDay(const v1::Facility& facility) {
  if (std::optional<absl::CivilDay> day = ToCivilDay(facility.in_service_date()); day.has_value()) {
    return DayNumber(*day);
  }
  for (const v1::StatusChange& change : facility.status_history()) {
    // Suspended or closed, it served before; in service without a day, it
    // has served since before the records.
    if (change.status() == v1::IN_SERVICE || change.status() == v1::SUSPENDED ||
        (change.status() == v1::CLOSED && facility.status_history_size() == 1)) {
      return std::numeric_limits<int64_t>::min();
    }
  }
  return std::nullopt;
}

std::vector<int64_t> RebuiltDays(const v1::Facility& facility) {
  std::vector<int64_t> days;
  bool served = false;
  v1::FacilityStatus previous = v1::FACILITY_STATUS_UNSPECIFIED;
  for (const v1::StatusChange& change : facility.status_history()) {
    if (change.status() == v1::IN_SERVICE) {
      const std::optional<absl::CivilDay> day = ToCivilDay(change.date());
      if (served && previous == v1::UNDER_CONSTRUCTION && day.has_value()) {
        days.push_back(DayNumber(*day));
      }
      served = true;
    }
    // Suspended first, it served before the records.
    if (change.status() == v1::SUSPENDED) served = true;
    previous = change.status();
  }
  return days;
}

std::vector<int64_t> CapacityChanges(const std::vector<ReadingPoint>& readings,
                                     std::optional<int64_t> first_service_day) {
  std::vector<size_t> order(readings.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::make_pair(readings[a].day, readings[a].seq) <
           std::make_pair(readings[b].day, readings[b].seq);
  });
  std::vector<int64_t> changes(readings.size());
  int64_t previous = 0;
  if (!order.empty() && first_service_day.has_value()) {
    const int64_t first_day = readings[order.front()].day;
    const absl::CivilDay year_start(FromDayNumber(first_day).year(), 1, 1);
    if (*first_service_day < DayNumber(year_start)) previous = readings[order.front()].capacity;
  }
  for (size_t index : order) {
    // Both are non-negative int64s: the difference cannot overflow.
    changes[index] = readings[index].capacity - previous;
    previous = readings[index].capacity;
  }
  return changes;
}

void ApplyLatestReading(const v1::CapacityReading* latest, v1::Facility* facility) {
  if (latest == nullptr) {
    facility->clear_capacity();
    facility->clear_in_use();
    facility->clear_utilization_percent();
    facility->clear_capacity_date();
    return;
  }
  facility->set_capacity(latest->capacity());
  facility->set_in_use(latest->has_in_use() ? latest->in_use() : 0);
  facility->set_utilization_percent(
      latest->has_in_use() && latest->capacity() > 0
          ? std::round(1000.0 * static_cast<double>(latest->in_use()) /
                       static_cast<double>(latest->capacity())) /
                10.0
          : 0.0);
  *facility->mutable_capacity_date() = latest->reading_date();
}

}  // namespace jiangan::facilities
