// When a ticket is due and how its lamp reads: deadlines in working days on
// the official calendar, the lamp of a ticket waiting on its assignee, and
// when an overdue one is escalated. Pure: the day is given.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_DEADLINES_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_DEADLINES_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/work_calendar.h"

namespace jiangan::supervision {

// The service's limits, in working days (its flags).
struct DeadlinePolicy {
  // An issued ticket is to be accepted within this many (签收时限).
  int accept_working_days = 1;
  // A deadline at most this many away makes the lamp YELLOW.
  int yellow_working_days = 2;
  // A ticket overdue by this many is escalated to its `escalate_to`.
  int escalate_after_working_days = 3;
};

// Whether a ticket in `state` waits on its assignee, and so has a lamp:
// ISSUED, ACCEPTED and RETURNED.
bool WaitsOnAssignee(v1::TicketState state);

struct LampReading {
  v1::Lamp lamp = v1::LAMP_UNSPECIFIED;
  // As Ticket.working_days_left.
  int working_days_left = 0;
};

// The lamp of `ticket` (its state, deadline and accept_by) on `today`.
LampReading ReadLamp(const v1::Ticket& ticket, absl::CivilDay today, const WorkCalendar& calendar,
                     const DeadlinePolicy& policy);

// The days (day numbers) that bound the lamps on `today`, for selecting
// tickets by lamp in SQL: a waiting ticket is RED when its deadline is
// before `today` (or, ISSUED, its accept_by is), else YELLOW when its
// deadline is on or before `yellow_through` (or, ISSUED, its accept_by is
// today), else GREEN.
struct LampDays {
  int64_t today = 0;
  int64_t yellow_through = 0;
};
LampDays LampDaysOn(absl::CivilDay today, const WorkCalendar& calendar,
                    const DeadlinePolicy& policy);

// Whether `ticket` is due to be escalated on `today`: waiting on its
// assignee, not yet escalated, and overdue by at least
// `escalate_after_working_days` working days.
bool EscalationDue(const v1::Ticket& ticket, absl::CivilDay today, const WorkCalendar& calendar,
                   const DeadlinePolicy& policy);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_DEADLINES_H_
