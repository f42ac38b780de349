// The rules of a supervision ticket: its fields, the steps of its life and
// who may take each, its responses, and what a step changes. Pure: no I/O.
// Field errors are INVALID_ARGUMENT, refusals that depend on the stored
// state FAILED_PRECONDITION, refusals of the caller PERMISSION_DENIED; each
// message starts with the field path or names the ticket.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_RULES_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/ticket_deadlines.h"
#include "services/supervision/work_calendar.h"

namespace jiangan::supervision {

// The steps of a ticket's life after issue (see TicketState).
enum class TicketStep { kUpdate, kAccept, kRespond, kReturn, kClose, kCancel };

// The step's name as the API's methods say it: "update", "accept", ...
absl::string_view StepName(TicketStep step);

// OK when `ticket`'s state allows `step`; FAILED_PRECONDITION naming the
// ticket, its state and the steps that state allows otherwise.
absl::Status CheckStepAllowed(const v1::Ticket& ticket, TicketStep step);

// PERMISSION_DENIED unless `caller` may take `step` on `ticket`: accept and
// respond belong to the assignee department, the others to the issuing
// department; an ADMIN may take any.
absl::Status CheckMayTake(const Identity& caller, const v1::Ticket& ticket, TicketStep step);

// Checks every caller-settable field of a ticket about to be issued or
// changed: title, subject (form only), demand, departments, leader,
// priority, deadline form, escalation contact, evidence.
absl::Status ValidateTicket(const v1::Ticket& ticket);

// Readies a ticket issued by `caller` at `now`: fills the defaults (the
// issuing department, NORMAL priority, the subject's department as
// assignee), checks it whole, sets its deadline from its time limit and its
// accept_by from `policy`. The subject's display name and department must
// already be filled (by its service) for a record. PERMISSION_DENIED when
// an EDITOR names another issuing department.
absl::Status PrepareNewTicket(const Identity& caller, absl::Time now,
                              const WorkCalendar& calendar, const DeadlinePolicy& policy,
                              v1::Ticket* ticket);

// INVALID_ARGUMENT unless `mask` names at least one field, all of them
// fields UpdateTicket may change.
absl::Status CheckTicketUpdateMask(const google::protobuf::FieldMask& mask);

// A changed deadline may not be before `today`.
absl::Status CheckNewDeadline(const v1::Ticket& ticket, absl::CivilDay today);

// Clears every output-only field, so what a caller sent in them is ignored.
void ClearOutputOnlyFields(v1::Ticket* ticket);

// Checks a response's own fields.
absl::Status ValidateResponse(const v1::TicketResponse& response);

// Checks the text given with a step in `field`: 1 to 2000 characters when
// `required`, at most 2000 otherwise.
absl::Status CheckStepNote(absl::string_view field, absl::string_view note, bool required);

// Applies `step` by `principal` at `now` to `ticket`: its new state, the
// state history (with `note`), and the times a step sets (accept, first
// response, close). Update leaves the state alone.
void ApplyStep(TicketStep step, absl::string_view principal, absl::Time now,
               absl::string_view note, v1::Ticket* ticket);

// The collection of a subject resource name ("projects" of
// "projects/x"), which must be one of targets, projects, leads, facilities.
absl::StatusOr<std::string> SubjectCollection(absl::string_view resource);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_RULES_H_
