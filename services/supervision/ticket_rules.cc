#include "services/supervision/ticket_rules.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan::supervision {
namespace {

constexpr int kMaxEvidence = 20;
constexpr int kMaxCoDepartments = 20;
constexpr int kMaxTimeLimitWorkingDays = 250;
constexpr const char* kSubjectCollections[] = {"targets", "projects", "leads", "facilities"};

// Set by the service, never by a caller.
const OutputOnlyFields& TicketOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name",           "subject.display_name", "subject.department", "accept_by",
      "state",          "lamp",                 "working_days_left",  "escalate_time",
      "state_history",  "response_count",       "rule",               "accept_time",
      "first_response_time", "close_time",      "creator",            "updater",
      "create_time",    "update_time",          "etag"};
  return *fields;
}

// The steps each state allows, in the order messages list them.
const std::vector<TicketStep>& AllowedSteps(v1::TicketState state) {
  static const auto* none = new std::vector<TicketStep>{};
  static const auto* issued =
      new std::vector<TicketStep>{TicketStep::kUpdate, TicketStep::kAccept, TicketStep::kCancel};
  static const auto* accepted =
      new std::vector<TicketStep>{TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kCancel};
  static const auto* responded = new std::vector<TicketStep>{
      TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kReturn, TicketStep::kClose,
      TicketStep::kCancel};
  static const auto* returned =
      new std::vector<TicketStep>{TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kCancel};
  switch (state) {
    case v1::ISSUED:
      return *issued;
    case v1::ACCEPTED:
      return *accepted;
    case v1::RESPONDED:
      return *responded;
    case v1::RETURNED:
      return *returned;
    default:
      return *none;
  }
}

bool TakenByAssignee(TicketStep step) {
  return step == TicketStep::kAccept || step == TicketStep::kRespond;
}

absl::Status CheckDepartment(const std::string& field, absl::string_view department) {
  return CheckLength(field, department, 1, 100);
}

absl::Status CheckEvidence(const std::string& field,
                           const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
  if (evidence.size() > kMaxEvidence) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxEvidence, " items, got ", evidence.size()));
  }
  for (int i = 0; i < evidence.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    const std::string& uri = evidence[i].uri();
    RETURN_IF_ERROR(CheckLength(absl::StrCat(item, ".uri"), uri, 1, 2000));
    if (!absl::StartsWith(uri, "https://") && !absl::StartsWith(uri, "http://")) {
      return absl::InvalidArgumentError(
          absl::StrCat(item, ".uri: must be an http or https URL, got \"", uri, "\""));
    }
    RETURN_IF_ERROR(CheckLength(absl::StrCat(item, ".title"), evidence[i].title(), 0, 200));
  }
  return absl::OkStatus();
}

absl::Status CheckSubject(const v1::Subject& subject) {
  const bool record = !subject.resource().empty();
  const bool matter = !subject.matter().empty();
  if (record == matter) {
    return absl::InvalidArgumentError(
        "ticket.subject: set exactly one of resource (a target, project, lead or facility) and "
        "matter (a matter in words)");
  }
  if (matter) return CheckLength("ticket.subject.matter", subject.matter(), 1, 200);
  return SubjectCollection(subject.resource()).status();
}

absl::Status CheckCoDepartments(const v1::Ticket& ticket) {
  if (ticket.co_departments_size() > kMaxCoDepartments) {
    return absl::InvalidArgumentError(absl::StrCat("ticket.co_departments: at most ",
                                                   kMaxCoDepartments, ", got ",
                                                   ticket.co_departments_size()));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < ticket.co_departments_size(); ++i) {
    const std::string field = absl::StrCat("ticket.co_departments[", i, "]");
    const std::string& department = ticket.co_departments(i);
    RETURN_IF_ERROR(CheckDepartment(field, department));
    if (department == ticket.assignee_department()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": \"", department, "\" is the assignee department already"));
    }
    if (!seen.insert(department).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": \"", department, "\" is named twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view StepName(TicketStep step) {
  switch (step) {
    case TicketStep::kUpdate:
      return "update";
    case TicketStep::kAccept:
      return "accept";
    case TicketStep::kRespond:
      return "respond";
    case TicketStep::kReturn:
      return "return";
    case TicketStep::kClose:
      return "close";
    case TicketStep::kCancel:
      return "cancel";
  }
  return "?";
}

absl::Status CheckStepAllowed(const v1::Ticket& ticket, TicketStep step) {
  const std::vector<TicketStep>& allowed = AllowedSteps(ticket.state());
  if (std::find(allowed.begin(), allowed.end(), step) != allowed.end()) return absl::OkStatus();
  std::vector<absl::string_view> names;
  for (TicketStep other : allowed) names.push_back(StepName(other));
  return absl::FailedPreconditionError(absl::StrCat(
      ticket.name(), " is ", v1::TicketState_Name(ticket.state()), ": it cannot ",
      StepName(step), "; ",
      names.empty() ? "it is final and allows no step"
                    : absl::StrCat("it allows ", absl::StrJoin(names, ", "))));
}

absl::Status CheckMayTake(const Identity& caller, const v1::Ticket& ticket, TicketStep step) {
  if (caller.role == Role::kAdmin) return absl::OkStatus();
  const bool assignee = TakenByAssignee(step);
  const std::string& department =
      assignee ? ticket.assignee_department() : ticket.issuer_department();
  if (caller.role == Role::kEditor && !caller.department.empty() &&
      caller.department == department) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.principal, " (", RoleName(caller.role), " of \"", caller.department,
      "\") may not ", StepName(step), " ", ticket.name(), ": only an EDITOR of the ",
      assignee ? "assignee" : "issuing", " department \"", department, "\" or an ADMIN may"));
}

absl::StatusOr<std::string> SubjectCollection(absl::string_view resource) {
  for (const char* collection : kSubjectCollections) {
    if (absl::StartsWith(resource, absl::StrCat(collection, "/"))) {
      RETURN_IF_ERROR(ParseResourceName(resource, collection, "ticket.subject.resource").status());
      return std::string(collection);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "ticket.subject.resource: must name a target, project, lead or facility "
      "(targets/{id}, projects/{id}, leads/{id}, facilities/{id}), got \"",
      resource, "\""));
}

absl::Status ValidateTicket(const v1::Ticket& ticket) {
  RETURN_IF_ERROR(CheckLength("ticket.title", ticket.title(), 1, 200));
  RETURN_IF_ERROR(CheckSubject(ticket.subject()));
  RETURN_IF_ERROR(CheckLength("ticket.demand", ticket.demand(), 1, 4000));
  RETURN_IF_ERROR(CheckDepartment("ticket.issuer_department", ticket.issuer_department()));
  RETURN_IF_ERROR(CheckLength("ticket.issuing_leader", ticket.issuing_leader(), 0, 50));
  if (ticket.assignee_department().empty()) {
    return absl::InvalidArgumentError(
        "ticket.assignee_department: is required when the subject has no department");
  }
  RETURN_IF_ERROR(CheckDepartment("ticket.assignee_department", ticket.assignee_department()));
  RETURN_IF_ERROR(CheckCoDepartments(ticket));
  RETURN_IF_ERROR(
      CheckEnum("ticket.priority", ticket.priority(), v1::Priority_IsValid, /*required=*/true));
  RETURN_IF_ERROR(CheckDate("ticket.deadline", ticket.deadline()));
  RETURN_IF_ERROR(CheckLength("ticket.escalate_to", ticket.escalate_to(), 0, 100));
  return CheckEvidence("ticket.evidence", ticket.evidence());
}

absl::Status PrepareNewTicket(const Identity& caller, absl::Time now,
                              const WorkCalendar& calendar, const DeadlinePolicy& policy,
                              v1::Ticket* ticket) {
  if (ticket->issuer_department().empty()) ticket->set_issuer_department(caller.department);
  if (caller.role != Role::kAdmin && ticket->issuer_department() != caller.department) {
    return absl::PermissionDeniedError(absl::StrCat(
        "ticket.issuer_department: ", caller.principal, " (", RoleName(caller.role), " of \"",
        caller.department, "\") may issue tickets in its own department's name only, not \"",
        ticket->issuer_department(), "\""));
  }
  if (ticket->assignee_department().empty()) {
    ticket->set_assignee_department(ticket->subject().department());
  }
  if (ticket->priority() == v1::PRIORITY_UNSPECIFIED) ticket->set_priority(v1::NORMAL);
  RETURN_IF_ERROR(ValidateTicket(*ticket));
  const absl::CivilDay today = ChinaDayOf(now);
  const int limit = ticket->time_limit_working_days();
  if (limit != 0) {
    if (limit < 1 || limit > kMaxTimeLimitWorkingDays) {
      return absl::InvalidArgumentError(
          absl::StrCat("ticket.time_limit_working_days: must be 1 to ", kMaxTimeLimitWorkingDays,
                       ", got ", limit));
    }
    if (!IsEmptyDate(ticket->deadline())) {
      return absl::InvalidArgumentError(
          "ticket.deadline: give the deadline or time_limit_working_days, not both");
    }
    *ticket->mutable_deadline() = FromCivilDay(calendar.AddWorkingDays(today, limit));
  } else if (IsEmptyDate(ticket->deadline())) {
    return absl::InvalidArgumentError(
        "ticket.deadline: is required (or give time_limit_working_days)");
  }
  RETURN_IF_ERROR(CheckNewDeadline(*ticket, today));
  const absl::CivilDay deadline = *ToCivilDay(ticket->deadline());
  *ticket->mutable_accept_by() = FromCivilDay(
      std::min(deadline, calendar.AddWorkingDays(today, std::max(0, policy.accept_working_days))));
  ticket->set_state(v1::ISSUED);
  v1::StateChange* issued = ticket->add_state_history();
  issued->set_state(v1::ISSUED);
  *issued->mutable_enter_time() = TimestampOf(now);
  issued->set_principal(caller.principal);
  return absl::OkStatus();
}

absl::Status CheckTicketUpdateMask(const google::protobuf::FieldMask& mask) {
  static const auto* updatable = new absl::flat_hash_set<std::string>{
      "title", "demand", "issuing_leader", "co_departments", "priority",
      "deadline", "escalate_to", "evidence"};
  RETURN_IF_ERROR(
      CheckUpdateMask(mask, v1::Ticket::descriptor(), TicketOutputOnly()));
  for (const std::string& path : mask.paths()) {
    if (!updatable->contains(path)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: \"", path,
          "\" cannot be changed by UpdateTicket; it may name title, demand, issuing_leader, "
          "co_departments, priority, deadline, escalate_to, evidence"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNewDeadline(const v1::Ticket& ticket, absl::CivilDay today) {
  RETURN_IF_ERROR(CheckDate("ticket.deadline", ticket.deadline()));
  const std::optional<absl::CivilDay> deadline = ToCivilDay(ticket.deadline());
  if (!deadline.has_value()) return absl::InvalidArgumentError("ticket.deadline: is required");
  if (*deadline < today) {
    return absl::InvalidArgumentError(absl::StrCat("ticket.deadline: ",
                                                   FormatDate(ticket.deadline()),
                                                   " has passed; it may not be before today"));
  }
  return absl::OkStatus();
}

void ClearOutputOnlyFields(v1::Ticket* ticket) { ClearOutputOnly(TicketOutputOnly(), ticket); }

absl::Status ValidateResponse(const v1::TicketResponse& response) {
  RETURN_IF_ERROR(CheckLength("response.progress", response.progress(), 1, 4000));
  RETURN_IF_ERROR(CheckLength("response.measures", response.measures(), 0, 4000));
  return CheckEvidence("response.evidence", response.evidence());
}

absl::Status CheckStepNote(absl::string_view field, absl::string_view note, bool required) {
  return CheckLength(field, note, required ? 1 : 0, 2000);
}

void ApplyStep(TicketStep step, absl::string_view principal, absl::Time now,
               absl::string_view note, v1::Ticket* ticket) {
  v1::TicketState next = ticket->state();
  switch (step) {
    case TicketStep::kUpdate:
      return;
    case TicketStep::kAccept:
      next = v1::ACCEPTED;
      *ticket->mutable_accept_time() = TimestampOf(now);
      break;
    case TicketStep::kRespond:
      next = v1::RESPONDED;
      if (!ticket->has_first_response_time()) {
        *ticket->mutable_first_response_time() = TimestampOf(now);
      }
      ticket->set_response_count(ticket->response_count() + 1);
      break;
    case TicketStep::kReturn:
      next = v1::RETURNED;
      break;
    case TicketStep::kClose:
      next = v1::CLOSED;
      *ticket->mutable_close_time() = TimestampOf(now);
      break;
    case TicketStep::kCancel:
      next = v1::CANCELLED;
      *ticket->mutable_close_time() = TimestampOf(now);
      break;
  }
  ticket->set_state(next);
  v1::StateChange* change = ticket->add_state_history();
  change->set_state(next);
  *change->mutable_enter_time() = TimestampOf(now);
  change->set_principal(std::string(principal));
  change->set_note(std::string(note));
}

}  // namespace jiangan::supervision
