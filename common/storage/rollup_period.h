// Windows of days read from event rollups (see rollup.h). An event rollup
// keys its rows by the day of the event and, in other grouping sets, by its
// month, so that a window reads its whole months a row per month and only
// the days of the partial months at either end a row per day.
//
// Entries into a state (a project entering a phase, a lead a stage) count a
// record once per state however often it entered it: such a rollup holds,
// per record and state, its first entry of each calendar year, which is the
// first entry in any window that starts a year and ends within it.
#ifndef JIANGAN_COMMON_STORAGE_ROLLUP_PERIOD_H_
#define JIANGAN_COMMON_STORAGE_ROLLUP_PERIOD_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace jiangan {

// The day number of the first day of the month of day number `day`: how an
// event rollup keys a month.
int64_t MonthStartOf(int64_t day);

// A run of a window: days `first` to `last`, or (by_month) the months whose
// first days are `first` to `last`.
struct PeriodPart {
  bool by_month = false;
  int64_t first = 0;
  int64_t last = 0;
};

// Days `first` to `last` (day numbers) as their whole months and the days
// of the partial months at either end, in order.
std::vector<PeriodPart> PeriodParts(int64_t first, int64_t last);

// Whether days `first` to `last` start on 1 January and end in that year:
// the windows in which a record's first entry of the year into a state is
// its first entry in the window.
bool StartsAYear(int64_t first, int64_t last);

// Of a record's entries (state, day number), the first into each state in
// each calendar year, ordered by state and day.
std::vector<std::pair<int64_t, int64_t>> FirstEntriesEachYear(
    std::vector<std::pair<int64_t, int64_t>> entries);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_ROLLUP_PERIOD_H_
