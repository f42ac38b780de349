#include "common/storage/rollup_period.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"

namespace jiangan {

int64_t MonthStartOf(int64_t day) {
  const absl::CivilDay civil = FromDayNumber(day);
  return DayNumber(absl::CivilDay(civil.year(), civil.month(), 1));
}

std::vector<PeriodPart> PeriodParts(int64_t first, int64_t last) {
  // The first day of the first whole month, and the day after the last one.
  int64_t whole_first = MonthStartOf(first);
  if (whole_first != first) {
    const absl::CivilDay day = FromDayNumber(first);
    whole_first = DayNumber(absl::CivilDay(day.year(), day.month() + 1, 1));
  }
  const absl::CivilDay after = FromDayNumber(last) + 1;
  const int64_t whole_end = after.day() == 1 ? DayNumber(after) : MonthStartOf(last);
  if (whole_first >= whole_end) return {{false, first, last}};
  std::vector<PeriodPart> parts;
  if (first < whole_first) parts.push_back({false, first, whole_first - 1});
  parts.push_back({true, whole_first, MonthStartOf(whole_end - 1)});
  if (whole_end <= last) parts.push_back({false, whole_end, last});
  return parts;
}

bool StartsAYear(int64_t first, int64_t last) {
  const absl::CivilDay start = FromDayNumber(first);
  return start.month() == 1 && start.day() == 1 && last >= first &&
         FromDayNumber(last).year() == start.year();
}

std::vector<std::pair<int64_t, int64_t>> FirstEntriesEachYear(
    std::vector<std::pair<int64_t, int64_t>> entries) {
  std::sort(entries.begin(), entries.end());
  std::vector<std::pair<int64_t, int64_t>> firsts;
  for (const auto& [state, day] : entries) {
    if (!firsts.empty() && firsts.back().first == state &&
        FromDayNumber(firsts.back().second).year() == FromDayNumber(day).year()) {
      continue;
    }
    firsts.emplace_back(state, day);
  }
  return firsts;
}

}  // namespace jiangan
