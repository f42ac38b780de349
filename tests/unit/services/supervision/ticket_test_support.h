// What the supervision tests share: the official calendar file, callers of
// an issuing office and of an assignee department, and times of day.
#ifndef JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TICKET_TEST_SUPPORT_H_
#define JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TICKET_TEST_SUPPORT_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/civil_date.h"
#include "common/identity/identity.h"

namespace jiangan::supervision::testing {

inline constexpr char kCalendarPath[] = JIANGAN_SOURCE_DIR "/seed/calendar/official.json";
inline constexpr char kOffice[] = "区委督查室";
inline constexpr char kHousing[] = "区住房和城市更新局";
inline const Identity kAdmin{"admin@district", "区人民政府办公室", Role::kAdmin};
inline const Identity kOfficeEditor{"du@office", kOffice, Role::kEditor};
inline const Identity kHousingEditor{"li@housing", kHousing, Role::kEditor};
inline const Identity kHousingViewer{"wang@housing", kHousing, Role::kViewer};

// 10:00 (or `hour`) on `day`, China time.
inline absl::Time At(absl::CivilDay day, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour, 0, 0),
                         ChinaTimeZone());
}

}  // namespace jiangan::supervision::testing

#endif  // JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TICKET_TEST_SUPPORT_H_
