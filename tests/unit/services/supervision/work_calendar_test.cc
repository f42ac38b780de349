// The official working calendar as the seed file holds it: the State
// Council's holidays and 调休 weekends of 2024 to 2026, counted as the
// district counts working days.
#include "services/supervision/work_calendar.h"

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/supervision/ticket_test_support.h"
#include "tests/support/status_matchers.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

using testing::kCalendarPath;

class WorkCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadWorkCalendar({kCalendarPath});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    calendar_ = *std::move(loaded);
  }

  WorkCalendar calendar_;
};

TEST_F(WorkCalendarTest, CountsTheWorkingDaysOfEachYearAsPublished) {
  // 2024: 262 weekdays, 19 of them off, 8 weekends worked.
  ASSERT_NE(calendar_.Year(2024), nullptr);
  EXPECT_EQ(calendar_.Year(2024)->working_day_count(), 251);
  EXPECT_EQ(calendar_.Year(2025)->working_day_count(), 248);
  EXPECT_EQ(calendar_.Year(2026)->working_day_count(), 248);
  EXPECT_EQ(calendar_.Year(2023), nullptr);
  EXPECT_EQ(calendar_.years().size(), 3u);
}

TEST_F(WorkCalendarTest, KnowsHolidaysAndTheWeekendsWorkedForThem) {
  EXPECT_FALSE(calendar_.IsWorkingDay(absl::CivilDay(2025, 1, 28)));  // 除夕
  EXPECT_FALSE(calendar_.IsWorkingDay(absl::CivilDay(2025, 2, 4)));   // 初七
  EXPECT_TRUE(calendar_.IsWorkingDay(absl::CivilDay(2025, 1, 26)));   // a Sunday worked
  EXPECT_TRUE(calendar_.IsWorkingDay(absl::CivilDay(2025, 2, 8)));    // a Saturday worked
  EXPECT_FALSE(calendar_.IsWorkingDay(absl::CivilDay(2025, 2, 9)));   // a plain Sunday
  EXPECT_TRUE(calendar_.IsWorkingDay(absl::CivilDay(2025, 2, 5)));    // back at work
  EXPECT_FALSE(calendar_.IsWorkingDay(absl::CivilDay(2026, 10, 7)));  // 国庆
  EXPECT_TRUE(calendar_.IsWorkingDay(absl::CivilDay(2026, 10, 10)));  // a Saturday worked
  // A year the calendar does not hold: weekends only.
  EXPECT_TRUE(calendar_.IsWorkingDay(absl::CivilDay(2027, 1, 1)));
  EXPECT_FALSE(calendar_.IsWorkingDay(absl::CivilDay(2027, 1, 2)));
}

TEST_F(WorkCalendarTest, CountsDeadlinesAcrossTheSpringFestival) {
  // Issued on Friday 24 January 2025 with 5 working days: Sunday the 26th
  // is worked, then Monday the 27th, the holiday to 4 February, then the
  // 5th, 6th and 7th.
  const absl::CivilDay issued(2025, 1, 24);
  EXPECT_EQ(calendar_.AddWorkingDays(issued, 1), absl::CivilDay(2025, 1, 26));
  EXPECT_EQ(calendar_.AddWorkingDays(issued, 2), absl::CivilDay(2025, 1, 27));
  EXPECT_EQ(calendar_.AddWorkingDays(issued, 3), absl::CivilDay(2025, 2, 5));
  EXPECT_EQ(calendar_.AddWorkingDays(issued, 5), absl::CivilDay(2025, 2, 7));
  EXPECT_EQ(calendar_.AddWorkingDays(issued, 0), issued);
  EXPECT_EQ(calendar_.WorkingDaysBetween(issued, absl::CivilDay(2025, 2, 7)), 5);
  EXPECT_EQ(calendar_.WorkingDaysBetween(absl::CivilDay(2025, 2, 7), issued), -5);
  EXPECT_EQ(calendar_.WorkingDaysBetween(issued, issued), 0);
  // National Day: 10 working days from 26 September 2025 end on 16 October
  // (Sunday the 28th and Saturday 11 October worked, 1 to 8 October off).
  EXPECT_EQ(calendar_.AddWorkingDays(absl::CivilDay(2025, 9, 26), 10),
            absl::CivilDay(2025, 10, 16));
}

v1::WorkCalendar Year(const std::string& name) {
  v1::WorkCalendar year;
  year.set_name(name);
  return year;
}

void AddHoliday(v1::WorkCalendar* year, const std::string& name, absl::CivilDay first,
                absl::CivilDay last) {
  v1::Holiday* holiday = year->add_holidays();
  holiday->set_display_name(name);
  holiday->mutable_first_day()->set_year(static_cast<int>(first.year()));
  holiday->mutable_first_day()->set_month(first.month());
  holiday->mutable_first_day()->set_day(first.day());
  holiday->mutable_last_day()->set_year(static_cast<int>(last.year()));
  holiday->mutable_last_day()->set_month(last.month());
  holiday->mutable_last_day()->set_day(last.day());
}

TEST(WorkCalendarDataTest, RefusesDataThatCannotBeRight) {
  EXPECT_THAT(WorkCalendar::FromYears({Year("2027")}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("workCalendars/{year}")));
  EXPECT_THAT(WorkCalendar::FromYears({Year("workCalendars/2027"), Year("workCalendars/2027")})
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
  v1::WorkCalendar spills = Year("workCalendars/2027");
  AddHoliday(&spills, "元旦", absl::CivilDay(2026, 12, 31), absl::CivilDay(2027, 1, 1));
  EXPECT_THAT(WorkCalendar::FromYears({spills}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("workCalendars/2027.holidays[0].first_day: must be a day of 2027")));
  v1::WorkCalendar backwards = Year("workCalendars/2027");
  AddHoliday(&backwards, "国庆节", absl::CivilDay(2027, 10, 7), absl::CivilDay(2027, 10, 1));
  EXPECT_THAT(WorkCalendar::FromYears({backwards}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("run forward")));
  v1::WorkCalendar weekday_worked = Year("workCalendars/2027");
  weekday_worked.add_working_weekends()->set_year(2027);
  weekday_worked.mutable_working_weekends(0)->set_month(1);
  weekday_worked.mutable_working_weekends(0)->set_day(4);  // a Monday
  EXPECT_THAT(WorkCalendar::FromYears({weekday_worked}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("working_weekends[0]: must be a Saturday or Sunday")));
  EXPECT_THAT(LoadWorkCalendar({"/no/such/calendar.json"}).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/no/such/calendar.json")));
}

}  // namespace
}  // namespace jiangan::supervision
