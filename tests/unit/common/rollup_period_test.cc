// Windows over event rollups: whole months and the days at either end, the
// windows an entry rollup answers, and a record's first entries of a year.
#include "common/storage/rollup_period.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jiangan {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

int64_t Day(int y, int m, int d) { return DayNumber(absl::CivilDay(y, m, d)); }

std::string Describe(const std::vector<PeriodPart>& parts) {
  std::string out;
  for (const PeriodPart& part : parts) {
    absl::StrAppend(&out, part.by_month ? "months " : "days ",
                    absl::FormatCivilTime(FromDayNumber(part.first)), "..",
                    absl::FormatCivilTime(FromDayNumber(part.last)), ";");
  }
  return out;
}

TEST(PeriodPartsTest, WholeMonthsAndTheDaysAtEitherEnd) {
  EXPECT_EQ(Describe(PeriodParts(Day(2024, 1, 1), Day(2024, 12, 31))),
            "months 2024-01-01..2024-12-01;");
  EXPECT_EQ(Describe(PeriodParts(Day(2024, 1, 15), Day(2024, 3, 31))),
            "days 2024-01-15..2024-01-31;months 2024-02-01..2024-03-01;");
  EXPECT_EQ(Describe(PeriodParts(Day(2023, 12, 30), Day(2024, 2, 2))),
            "days 2023-12-30..2023-12-31;months 2024-01-01..2024-01-01;days 2024-02-01..2024-02-02;");
  EXPECT_EQ(Describe(PeriodParts(Day(2024, 1, 15), Day(2024, 2, 10))),
            "days 2024-01-15..2024-02-10;");
  EXPECT_EQ(Describe(PeriodParts(Day(2024, 2, 1), Day(2024, 2, 29))),
            "months 2024-02-01..2024-02-01;");
  EXPECT_EQ(Describe(PeriodParts(Day(2024, 2, 3), Day(2024, 2, 3))), "days 2024-02-03..2024-02-03;");
  EXPECT_EQ(MonthStartOf(Day(2024, 2, 29)), Day(2024, 2, 1));
}

TEST(StartsAYearTest, FromTheFirstOfJanuaryToADayOfThatYear) {
  EXPECT_TRUE(StartsAYear(Day(2024, 1, 1), Day(2024, 1, 1)));
  EXPECT_TRUE(StartsAYear(Day(2024, 1, 1), Day(2024, 6, 30)));
  EXPECT_TRUE(StartsAYear(Day(2024, 1, 1), Day(2024, 12, 31)));
  EXPECT_FALSE(StartsAYear(Day(2024, 1, 2), Day(2024, 6, 30)));
  EXPECT_FALSE(StartsAYear(Day(2024, 1, 1), Day(2025, 1, 1)));
  EXPECT_FALSE(StartsAYear(Day(2023, 12, 31), Day(2024, 6, 30)));
}

TEST(FirstEntriesEachYearTest, OnePerStateAndYearAtItsEarliestDay) {
  // Entered state 3 twice in 2024 (the later listed first), once in 2025;
  // state 1 once.
  EXPECT_THAT(FirstEntriesEachYear({{3, Day(2024, 9, 1)},
                                    {1, Day(2024, 2, 1)},
                                    {3, Day(2024, 3, 1)},
                                    {3, Day(2025, 1, 5)}}),
              ElementsAre(Pair(1, Day(2024, 2, 1)), Pair(3, Day(2024, 3, 1)),
                          Pair(3, Day(2025, 1, 5))));
  EXPECT_TRUE(FirstEntriesEachYear({}).empty());
}

}  // namespace
}  // namespace jiangan
