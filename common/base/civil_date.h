// Calendar dates of the district's APIs (jiangan.type.v1.Date) as Abseil
// civil days. The district works in China Standard Time (UTC+8), so "today"
// and the date of a timestamp are taken there.
#ifndef JIANGAN_COMMON_BASE_CIVIL_DATE_H_
#define JIANGAN_COMMON_BASE_CIVIL_DATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "jiangan/type/v1/date.pb.h"

namespace jiangan {

// UTC+8, the time zone every date of the system is in.
absl::TimeZone ChinaTimeZone();

// The day `time` falls on in China Standard Time.
absl::CivilDay ChinaDayOf(absl::Time time);

// True when year, month and day are all zero.
bool IsEmptyDate(const type::v1::Date& date);

// OK for an empty date or a real one with year 1900..2200; otherwise
// INVALID_ARGUMENT naming `field`, e.g. "project.start_date: 2024-02-30 is
// not a calendar date".
absl::Status CheckDate(absl::string_view field, const type::v1::Date& date);

// CheckDate, and not after `today`: "…: 2031-01-01 is in the future".
absl::Status CheckPastDate(absl::string_view field, const type::v1::Date& date,
                           absl::CivilDay today);

// A window of whole days, both ends included.
struct DayWindow {
  absl::CivilDay first;
  absl::CivilDay last;
};

// The window `start`..`end` of a request (fields `start_field`,
// `end_field`): nullopt when both are empty; INVALID_ARGUMENT naming the
// field when a date is not one, only one end is set, or the start is after
// the end.
absl::StatusOr<std::optional<DayWindow>> ParseDayWindow(absl::string_view start_field,
                                                        const type::v1::Date& start,
                                                        absl::string_view end_field,
                                                        const type::v1::Date& end);

// The civil day of a date that passed CheckDate; nullopt when empty.
std::optional<absl::CivilDay> ToCivilDay(const type::v1::Date& date);

type::v1::Date FromCivilDay(absl::CivilDay day);

// Days since 1970-01-01, the form dates take in storage and comparisons.
int64_t DayNumber(absl::CivilDay day);
absl::CivilDay FromDayNumber(int64_t day_number);
// The month of day `day_number` as year * 100 + month, e.g. 202403: how
// summaries and rollups key figures by month.
int64_t YearMonthOf(int64_t day_number);

// `time` as a protobuf Timestamp, to the microsecond.
google::protobuf::Timestamp TimestampOf(absl::Time time);

// "2024-03-01", or "" for an empty date.
std::string FormatDate(const type::v1::Date& date);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_CIVIL_DATE_H_
