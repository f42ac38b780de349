// China's official working calendar: Monday to Friday are working days,
// except the days off of the public holidays the State Council announces
// each year, and some Saturdays and Sundays are worked instead (调休).
// Deadlines of supervision tickets are counted on it. Built from data (the
// calendar files, each a ListWorkCalendarsResponse in JSON).
#ifndef JIANGAN_SERVICES_SUPERVISION_WORK_CALENDAR_H_
#define JIANGAN_SERVICES_SUPERVISION_WORK_CALENDAR_H_

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

class WorkCalendar {
 public:
  // A calendar holding no year: only weekends are days off.
  WorkCalendar() = default;

  // The calendar of `years`, each checked: a name `workCalendars/{year}`
  // held once, holidays whose days lie in the year in order and do not
  // overlap, working weekends that are Saturdays or Sundays of the year and
  // not days off. INVALID_ARGUMENT naming the year and the field otherwise.
  static absl::StatusOr<WorkCalendar> FromYears(std::vector<v1::WorkCalendar> years);

  // Whether `day` is a working day. A day of a year the calendar does not
  // hold is one when it is Monday to Friday.
  bool IsWorkingDay(absl::CivilDay day) const;

  // The `n`th working day after `day` (n >= 1); `day` itself when n <= 0.
  absl::CivilDay AddWorkingDays(absl::CivilDay day, int n) const;

  // How many working days lie after `from` up to and including `to`, or,
  // when `to` is before `from`, minus how many lie after `to` up to and
  // including `from`.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // The year's calendar with its working day count; null when not held.
  const v1::WorkCalendar* Year(int year) const;
  // Every year held, by year.
  const absl::btree_map<int, v1::WorkCalendar>& years() const { return years_; }

 private:
  absl::btree_map<int, v1::WorkCalendar> years_;
  absl::flat_hash_set<absl::CivilDay> days_off_;
  absl::flat_hash_set<absl::CivilDay> weekends_worked_;
};

// The calendar of the years in the files at `paths`, checked as FromYears
// checks them; the error names the file.
absl::StatusOr<WorkCalendar> LoadWorkCalendar(const std::vector<std::string>& paths);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_WORK_CALENDAR_H_
