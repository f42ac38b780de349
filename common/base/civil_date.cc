#include "common/base/civil_date.h"

#include "common/base/status_macros.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan {
namespace {

constexpr absl::CivilDay kEpoch(1970, 1, 1);

}  // namespace

constexpr int64_t kChinaOffsetSeconds = 8 * 60 * 60;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

absl::TimeZone ChinaTimeZone() {
  // Built once: making a fixed zone looks it up by name every time.
  static const absl::TimeZone zone = absl::FixedTimeZone(kChinaOffsetSeconds);
  return zone;
}

absl::CivilDay ChinaDayOf(absl::Time time) {
  // UTC+8 has no daylight saving, so the day is arithmetic: this runs for
  // every date of every project or lead a List presents.
  const int64_t local = absl::ToUnixSeconds(time) + kChinaOffsetSeconds;
  const int64_t days = local / kSecondsPerDay - (local % kSecondsPerDay < 0 ? 1 : 0);
  return kEpoch + days;
}

bool IsEmptyDate(const type::v1::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

absl::Status CheckDate(absl::string_view field, const type::v1::Date& date) {
  if (IsEmptyDate(date)) return absl::OkStatus();
  const std::string text =
      absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
  if (date.year() < 1900 || date.year() > 2200) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": year must be 1900 to 2200, got ", text));
  }
  // CivilDay normalizes out-of-range fields (Feb 30 -> Mar 1); a real date
  // survives the round trip unchanged.
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.month() < 1 || date.month() > 12 || day.month() != date.month() ||
      day.day() != date.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", text, " is not a calendar date"));
  }
  return absl::OkStatus();
}

absl::Status CheckPastDate(absl::string_view field, const type::v1::Date& date,
                           absl::CivilDay today) {
  RETURN_IF_ERROR(CheckDate(field, date));
  auto day = ToCivilDay(date);
  if (day.has_value() && *day > today) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(date), " is in the future"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<DayWindow>> ParseDayWindow(absl::string_view start_field,
                                                        const type::v1::Date& start,
                                                        absl::string_view end_field,
                                                        const type::v1::Date& end) {
  RETURN_IF_ERROR(CheckDate(start_field, start));
  RETURN_IF_ERROR(CheckDate(end_field, end));
  if (IsEmptyDate(start) != IsEmptyDate(end)) {
    return absl::InvalidArgumentError(
        absl::StrCat(start_field, ": set both ", start_field, " and ", end_field, ", or neither"));
  }
  if (IsEmptyDate(start)) return std::nullopt;
  const DayWindow window{*ToCivilDay(start), *ToCivilDay(end)};
  if (window.first > window.last) {
    return absl::InvalidArgumentError(absl::StrCat(start_field, ": ", FormatDate(start),
                                                   " is after ", end_field, " ", FormatDate(end)));
  }
  return window;
}

std::optional<absl::CivilDay> ToCivilDay(const type::v1::Date& date) {
  if (IsEmptyDate(date)) return std::nullopt;
  return absl::CivilDay(date.year(), date.month(), date.day());
}

type::v1::Date FromCivilDay(absl::CivilDay day) {
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

int64_t DayNumber(absl::CivilDay day) { return day - kEpoch; }

absl::CivilDay FromDayNumber(int64_t day_number) { return kEpoch + day_number; }

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

int64_t YearMonthOf(int64_t day_number) {
  const absl::CivilDay day = FromDayNumber(day_number);
  return day.year() * 100 + day.month();
}

std::string FormatDate(const type::v1::Date& date) {
  if (IsEmptyDate(date)) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

}  // namespace jiangan
