#include "services/supervision/ticket_deadlines.h"

#include <algorithm>
#include <optional>

#include "common/base/civil_date.h"

namespace jiangan::supervision {

bool WaitsOnAssignee(v1::TicketState state) {
  return state == v1::ISSUED || state == v1::ACCEPTED || state == v1::RETURNED;
}

LampReading ReadLamp(const v1::Ticket& ticket, absl::CivilDay today, const WorkCalendar& calendar,
                     const DeadlinePolicy& policy) {
  LampReading reading;
  const std::optional<absl::CivilDay> deadline = ToCivilDay(ticket.deadline());
  if (!WaitsOnAssignee(ticket.state()) || !deadline.has_value()) return reading;
  reading.working_days_left = calendar.WorkingDaysBetween(today, *deadline);
  // Overdue on a day off after the deadline is still overdue.
  if (today > *deadline) reading.working_days_left = std::min(reading.working_days_left, -1);
  const std::optional<absl::CivilDay> accept_by = ToCivilDay(ticket.accept_by());
  const bool awaiting_accept = ticket.state() == v1::ISSUED && accept_by.has_value();
  if (today > *deadline || (awaiting_accept && today > *accept_by)) {
    reading.lamp = v1::RED;
  } else if (reading.working_days_left <= policy.yellow_working_days ||
             (awaiting_accept && today == *accept_by)) {
    reading.lamp = v1::YELLOW;
  } else {
    reading.lamp = v1::GREEN;
  }
  return reading;
}

LampDays LampDaysOn(absl::CivilDay today, const WorkCalendar& calendar,
                    const DeadlinePolicy& policy) {
  // The last day whose working days from today are at most the yellow
  // limit is the day before the next working day past it.
  const absl::CivilDay first_green =
      calendar.AddWorkingDays(today, std::max(0, policy.yellow_working_days) + 1);
  return {DayNumber(today), DayNumber(first_green - 1)};
}

bool EscalationDue(const v1::Ticket& ticket, absl::CivilDay today, const WorkCalendar& calendar,
                   const DeadlinePolicy& policy) {
  if (!WaitsOnAssignee(ticket.state()) || ticket.has_escalate_time()) return false;
  const std::optional<absl::CivilDay> deadline = ToCivilDay(ticket.deadline());
  if (!deadline.has_value() || today <= *deadline) return false;
  return calendar.WorkingDaysBetween(*deadline, today) >=
         std::max(1, policy.escalate_after_working_days);
}

}  // namespace jiangan::supervision
