#include "services/supervision/work_calendar.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/file_util.h"
#include "common/base/status_macros.h"

namespace jiangan::supervision {
namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// The day of `date` (field `field` of year `year`'s calendar), which must be
// a date of that year.
absl::StatusOr<absl::CivilDay> DayOfYear(const type::v1::Date& date, int year,
                                         const std::string& field) {
  RETURN_IF_ERROR(CheckDate(field, date));
  const std::optional<absl::CivilDay> day = ToCivilDay(date);
  if (!day.has_value() || day->year() != year) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be a day of ", year, ", got \"", FormatDate(date), "\""));
  }
  return *day;
}

}  // namespace

absl::StatusOr<WorkCalendar> WorkCalendar::FromYears(std::vector<v1::WorkCalendar> years) {
  WorkCalendar calendar;
  for (v1::WorkCalendar& year_calendar : years) {
    int year = 0;
    const std::string& name = year_calendar.name();
    absl::string_view digits = name;
    if (!absl::ConsumePrefix(&digits, "workCalendars/") || !absl::SimpleAtoi(digits, &year) ||
        year < 1900 || year > 2200) {
      return absl::InvalidArgumentError(absl::StrCat(
          "work_calendars.name: must be workCalendars/{year} with a year 1900 to 2200, got \"",
          name, "\""));
    }
    if (calendar.years_.contains(year)) {
      return absl::InvalidArgumentError(absl::StrCat("work_calendars: ", name, " is given twice"));
    }
    absl::CivilDay previous_last = absl::CivilDay(year, 1, 1) - 1;
    for (int i = 0; i < year_calendar.holidays_size(); ++i) {
      const v1::Holiday& holiday = year_calendar.holidays(i);
      const std::string field = absl::StrCat(name, ".holidays[", i, "]");
      if (holiday.display_name().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(field, ".display_name: is required"));
      }
      ASSIGN_OR_RETURN(const absl::CivilDay first,
                       DayOfYear(holiday.first_day(), year, absl::StrCat(field, ".first_day")));
      ASSIGN_OR_RETURN(const absl::CivilDay last,
                       DayOfYear(holiday.last_day(), year, absl::StrCat(field, ".last_day")));
      if (last < first || first <= previous_last) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": its days must run forward and follow the holiday before it, got ",
            FormatDate(holiday.first_day()), " to ", FormatDate(holiday.last_day())));
      }
      for (absl::CivilDay day = first; day <= last; ++day) calendar.days_off_.insert(day);
      previous_last = last;
    }
    for (int i = 0; i < year_calendar.working_weekends_size(); ++i) {
      const std::string field = absl::StrCat(name, ".working_weekends[", i, "]");
      ASSIGN_OR_RETURN(const absl::CivilDay day,
                       DayOfYear(year_calendar.working_weekends(i), year, field));
      if (!IsWeekend(day) || calendar.days_off_.contains(day)) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": must be a Saturday or Sunday that is not a holiday's day off, got ",
            FormatDate(year_calendar.working_weekends(i))));
      }
      calendar.weekends_worked_.insert(day);
    }
    calendar.years_.emplace(year, std::move(year_calendar));
  }
  for (auto& [year, year_calendar] : calendar.years_) {
    int working = 0;
    for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
      if (calendar.IsWorkingDay(day)) ++working;
    }
    year_calendar.set_working_day_count(working);
  }
  return calendar;
}

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (IsWeekend(day)) return weekends_worked_.contains(day);
  return !days_off_.contains(day);
}

absl::CivilDay WorkCalendar::AddWorkingDays(absl::CivilDay day, int n) const {
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

int WorkCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  const int sign = to >= from ? 1 : -1;
  if (sign < 0) std::swap(from, to);
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    if (IsWorkingDay(day)) ++count;
  }
  return sign * count;
}

const v1::WorkCalendar* WorkCalendar::Year(int year) const {
  const auto it = years_.find(year);
  return it == years_.end() ? nullptr : &it->second;
}

absl::StatusOr<WorkCalendar> LoadWorkCalendar(const std::vector<std::string>& paths) {
  std::vector<v1::WorkCalendar> years;
  for (const std::string& path : paths) {
    v1::ListWorkCalendarsResponse file;
    if (absl::Status read = ReadJsonFile(path, &file); !read.ok()) {
      return absl::Status(read.code(), absl::StrCat(path, ": ", read.message()));
    }
    for (v1::WorkCalendar& year : *file.mutable_work_calendars()) years.push_back(std::move(year));
  }
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::FromYears(std::move(years));
  if (!calendar.ok()) {
    return absl::Status(calendar.status().code(),
                        absl::StrCat(absl::StrJoin(paths, ", "), ": ", calendar.status().message()));
  }
  return calendar;
}

}  // namespace jiangan::supervision
