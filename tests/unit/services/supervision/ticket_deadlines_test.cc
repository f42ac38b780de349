// Lamps and escalation of tickets on the official calendar.
#include "services/supervision/ticket_deadlines.h"

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gtest/gtest.h"
#include "tests/unit/services/supervision/ticket_test_support.h"

namespace jiangan::supervision {
namespace {

using testing::kCalendarPath;

class TicketDeadlinesTest : public ::testing::Test {
 protected:
  void SetUp() override { calendar_ = *LoadWorkCalendar({kCalendarPath}); }

  // A ticket in `state` due on `deadline`, to be accepted by `accept_by`.
  static v1::Ticket Ticket(v1::TicketState state, absl::CivilDay deadline,
                           absl::CivilDay accept_by) {
    v1::Ticket ticket;
    ticket.set_state(state);
    *ticket.mutable_deadline() = FromCivilDay(deadline);
    *ticket.mutable_accept_by() = FromCivilDay(accept_by);
    return ticket;
  }

  WorkCalendar calendar_;
  DeadlinePolicy policy_;  // accept in 1, yellow at 2, escalate after 3
};

TEST_F(TicketDeadlinesTest, LightsGreenYellowAndRedByWorkingDaysLeft) {
  // Due Friday 7 February 2025, after the Spring Festival.
  const absl::CivilDay deadline(2025, 2, 7);
  const v1::Ticket accepted = Ticket(v1::ACCEPTED, deadline, absl::CivilDay(2025, 1, 26));
  // On 27 January the holiday lies between: 3 working days left (5, 6, 7).
  LampReading reading = ReadLamp(accepted, absl::CivilDay(2025, 1, 27), calendar_, policy_);
  EXPECT_EQ(reading.lamp, v1::GREEN);
  EXPECT_EQ(reading.working_days_left, 3);
  // On the first day of the holiday still 3 left; on the 5th, 2: YELLOW.
  EXPECT_EQ(ReadLamp(accepted, absl::CivilDay(2025, 2, 1), calendar_, policy_).lamp, v1::GREEN);
  reading = ReadLamp(accepted, absl::CivilDay(2025, 2, 5), calendar_, policy_);
  EXPECT_EQ(reading.lamp, v1::YELLOW);
  EXPECT_EQ(reading.working_days_left, 2);
  reading = ReadLamp(accepted, deadline, calendar_, policy_);
  EXPECT_EQ(reading.lamp, v1::YELLOW);
  EXPECT_EQ(reading.working_days_left, 0);
  // Saturday 8 February is worked: one working day overdue.
  reading = ReadLamp(accepted, absl::CivilDay(2025, 2, 8), calendar_, policy_);
  EXPECT_EQ(reading.lamp, v1::RED);
  EXPECT_EQ(reading.working_days_left, -1);
  // Sunday the 9th is not, but a day past the deadline is overdue still.
  reading = ReadLamp(accepted, absl::CivilDay(2025, 2, 9), calendar_, policy_);
  EXPECT_EQ(reading.lamp, v1::RED);
  EXPECT_EQ(reading.working_days_left, -1);
}

TEST_F(TicketDeadlinesTest, AnIssuedTicketIsRedOnceItsAcceptanceDayHasPassed) {
  const v1::Ticket issued =
      Ticket(v1::ISSUED, absl::CivilDay(2025, 3, 31), absl::CivilDay(2025, 3, 4));
  EXPECT_EQ(ReadLamp(issued, absl::CivilDay(2025, 3, 3), calendar_, policy_).lamp, v1::GREEN);
  EXPECT_EQ(ReadLamp(issued, absl::CivilDay(2025, 3, 4), calendar_, policy_).lamp, v1::YELLOW);
  EXPECT_EQ(ReadLamp(issued, absl::CivilDay(2025, 3, 5), calendar_, policy_).lamp, v1::RED);
  // Accepted, only the deadline counts.
  v1::Ticket accepted = issued;
  accepted.set_state(v1::ACCEPTED);
  EXPECT_EQ(ReadLamp(accepted, absl::CivilDay(2025, 3, 5), calendar_, policy_).lamp, v1::GREEN);
}

TEST_F(TicketDeadlinesTest, OnlyTicketsWaitingOnTheAssigneeHaveALamp) {
  for (v1::TicketState state : {v1::RESPONDED, v1::CLOSED, v1::CANCELLED}) {
    const v1::Ticket ticket =
        Ticket(state, absl::CivilDay(2025, 3, 3), absl::CivilDay(2025, 3, 1));
    const LampReading reading = ReadLamp(ticket, absl::CivilDay(2025, 6, 1), calendar_, policy_);
    EXPECT_EQ(reading.lamp, v1::LAMP_UNSPECIFIED) << v1::TicketState_Name(state);
    EXPECT_EQ(reading.working_days_left, 0);
  }
  EXPECT_EQ(ReadLamp(Ticket(v1::RETURNED, absl::CivilDay(2025, 3, 3), absl::CivilDay(2025, 3, 1)),
                     absl::CivilDay(2025, 3, 4), calendar_, policy_)
                .lamp,
            v1::RED);
}

TEST_F(TicketDeadlinesTest, LampDaysAgreeWithTheLampOfEveryDeadline) {
  // For each day of 2025 as today, every deadline in the next 40 days reads
  // the lamp LampDaysOn's bounds select.
  for (absl::CivilDay today(2025, 1, 1); today.year() == 2025; today += 7) {
    const LampDays days = LampDaysOn(today, calendar_, policy_);
    for (absl::CivilDay deadline = today - 5; deadline < today + 40; ++deadline) {
      const v1::Ticket ticket = Ticket(v1::ACCEPTED, deadline, deadline);
      const v1::Lamp lamp = ReadLamp(ticket, today, calendar_, policy_).lamp;
      const int64_t day = DayNumber(deadline);
      const v1::Lamp by_days = day < days.today            ? v1::RED
                               : day <= days.yellow_through ? v1::YELLOW
                                                            : v1::GREEN;
      ASSERT_EQ(lamp, by_days) << today << " deadline " << deadline;
    }
  }
}

TEST_F(TicketDeadlinesTest, EscalatesOnceOverdueByTheLimit) {
  // Due Monday 3 March 2025; three working days overdue on Thursday the 6th.
  v1::Ticket ticket = Ticket(v1::ACCEPTED, absl::CivilDay(2025, 3, 3), absl::CivilDay(2025, 3, 1));
  EXPECT_FALSE(EscalationDue(ticket, absl::CivilDay(2025, 3, 5), calendar_, policy_));
  EXPECT_TRUE(EscalationDue(ticket, absl::CivilDay(2025, 3, 6), calendar_, policy_));
  ticket.mutable_escalate_time()->set_seconds(1);
  EXPECT_FALSE(EscalationDue(ticket, absl::CivilDay(2025, 3, 6), calendar_, policy_));
  ticket.clear_escalate_time();
  ticket.set_state(v1::RESPONDED);
  EXPECT_FALSE(EscalationDue(ticket, absl::CivilDay(2025, 3, 20), calendar_, policy_));
}

}  // namespace
}  // namespace jiangan::supervision
