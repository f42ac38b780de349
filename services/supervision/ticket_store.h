// Where the supervision service keeps its tickets, their responses and
// their change history: one database (SQLite or PostgreSQL). Each ticket is
// stored whole (a serialized Ticket) beside the columns List filters and
// orders on, so that those, lamps included, run as indexed SQL.
//
// Every method checks its input and the caller's rights and returns a
// google.rpc code; a refused call changes nothing. Writes run in one
// transaction each on the one writer connection; reads on a pool of reader
// connections. Tickets are presented with their lamp for the day of the
// read.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_STORE_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/resource_rows.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_reader_pool.h"
#include "common/storage/sql_writer.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/ticket_deadlines.h"
#include "services/supervision/ticket_events.h"
#include "services/supervision/ticket_rules.h"
#include "services/supervision/work_calendar.h"

namespace jiangan::supervision {

struct TicketStoreOptions {
  DeadlinePolicy deadlines;
  // Signs page tokens; shared by every replica so tokens survive a restart.
  std::string page_token_key;
  // Connections for reads besides the writer's.
  int reader_connections = 2;
  // The clock; tests set it to read lamps on a chosen day.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Told of every issue, step, lamp and escalation inside its transaction
  // (the notification outbox); null tells nobody. Must outlive the store.
  const TicketEvents* events = nullptr;
};

// Fills a subject's display name and department from the service holding
// its record (SubjectRecords::Resolve for the calling user).
using SubjectResolver = std::function<absl::Status(v1::Subject* subject)>;

class TicketStore {
 public:
  // Creates the tables in the writer's database if missing and opens the
  // readers on it. `writer` (shared with the service's other stores) must
  // outlive the store.
  static absl::StatusOr<std::unique_ptr<TicketStore>> Open(SqlWriter* writer,
                                                           WorkCalendar calendar,
                                                           TicketStoreOptions options);
  ~TicketStore();

  const WorkCalendar& calendar() const { return calendar_; }

  absl::StatusOr<v1::Ticket> Get(const v1::GetTicketRequest& request) const;
  absl::Status List(const v1::ListTicketsRequest& request,
                    v1::ListTicketsResponse* response) const;
  // Issues a ticket; `resolve` fills its subject (not called when the
  // request_id finds the ticket issued before).
  absl::StatusOr<v1::Ticket> Create(const Identity& caller, const v1::CreateTicketRequest& request,
                                    const SubjectResolver& resolve);
  absl::StatusOr<v1::Ticket> Update(const Identity& caller,
                                    const v1::UpdateTicketRequest& request);
  absl::StatusOr<v1::Ticket> Accept(const Identity& caller,
                                    const v1::AcceptTicketRequest& request);
  absl::StatusOr<v1::TicketResponse> Respond(const Identity& caller,
                                             const v1::RespondTicketRequest& request);
  absl::StatusOr<v1::Ticket> Return(const Identity& caller,
                                    const v1::ReturnTicketRequest& request);
  absl::StatusOr<v1::Ticket> Close(const Identity& caller, const v1::CloseTicketRequest& request);
  absl::StatusOr<v1::Ticket> Cancel(const Identity& caller,
                                    const v1::CancelTicketRequest& request);
  absl::Status ListResponses(const v1::ListTicketResponsesRequest& request,
                             v1::ListTicketResponsesResponse* response) const;
  absl::Status ListHistory(const v1::ListTicketHistoryRequest& request,
                           v1::ListTicketHistoryResponse* response) const;

  // Opens the ticket `rule` opens about `subject` (a record in its
  // condition, display name and department filled), recorded by "system";
  // nullopt when a ticket of the rule about it is open already.
  absl::StatusOr<std::optional<v1::Ticket>> OpenForRule(const v1::Rule& rule,
                                                        const v1::Subject& subject);

  // The working calendar's years, as the store counts deadlines on them.
  absl::StatusOr<v1::WorkCalendar> GetWorkCalendar(const v1::GetWorkCalendarRequest& request) const;
  absl::Status ListWorkCalendars(const v1::ListWorkCalendarsRequest& request,
                                 v1::ListWorkCalendarsResponse* response) const;

  // Tells once of each waiting ticket whose lamp is YELLOW or RED today
  // (once per lamp and deadline: a new deadline may be told of again);
  // returns how many were told.
  absl::StatusOr<int> NoticeLamps();

  // The assignee departments' scorecard over a period (ticket_summary.h).
  absl::Status SummarizeDepartments(const v1::SummarizeDepartmentsRequest& request,
                                    v1::SummarizeDepartmentsResponse* response) const;

  // A department's digest of the day: its open tickets as assignee by lamp,
  // those waiting for the issuer's check, and the overdue ones by name.
  absl::StatusOr<std::string> DigestOf(const std::string& department) const;

  // Escalates every ticket due (EscalationDue) today, each in its own
  // transaction, recorded in its history by "system"; returns how many. Safe
  // to run on every replica at once: a ticket is escalated once.
  absl::StatusOr<int> EscalateOverdue();

 private:
  struct StoredTicket {
    StoredRow row;
    v1::Ticket ticket;
  };
  // What a step's change makes of the stored ticket, or why it refuses.
  using Change =
      std::function<absl::Status(const StoredTicket& stored, absl::Time now, v1::Ticket* next)>;

  TicketStore(SqlWriter* writer, WorkCalendar calendar, TicketStoreOptions options);

  // Fills the lamp and working days left as of `today`.
  void Present(absl::CivilDay today, v1::Ticket* ticket) const;
  v1::Ticket Presented(absl::Time now, v1::Ticket ticket) const;

  // Loads ticket `id` for `step` by `caller`: the step must be allowed in
  // its state and to the caller, and `etag` (when set) current.
  absl::StatusOr<StoredTicket> LoadForStep(const Identity& caller, absl::string_view id,
                                           TicketStep step, absl::string_view etag);
  // Writes `ticket` back with version + 1, stamped by `principal` at `now`,
  // recording `method`'s change from `before` in the history and telling
  // of `event`.
  absl::Status Rewrite(absl::string_view principal, absl::string_view method,
                       v1::NotificationEvent event, const StoredTicket& before, absl::Time now,
                       v1::Ticket* ticket);
  // Records the issue of `ticket` (row `id`) by `principal` through
  // `method` in the history, and tells of it.
  absl::Status RecordIssue(absl::string_view id, absl::string_view principal,
                           absl::string_view method, const v1::Ticket& ticket);
  // Moves the ticket's item in the score rollup from `before` (null on
  // issue) to `after`.
  absl::Status Rescore(const v1::Ticket* before, const v1::Ticket& after);
  // Tells the events of `event` about `ticket` (none for UNSPECIFIED).
  absl::Status Tell(v1::NotificationEvent event, const v1::Ticket& ticket);
  // The shared path of the steps: in one transaction, loads the ticket named
  // `name` for `step`, lets `change` make its next version, writes it and
  // records the change as `method`.
  absl::StatusOr<v1::Ticket> ChangeTicket(const Identity& caller, absl::string_view method,
                                          absl::string_view name, TicketStep step,
                                          absl::string_view etag, const Change& change);
  // ChangeTicket for a step that only moves the state (accept, return,
  // close, cancel), with the note given with it.
  absl::StatusOr<v1::Ticket> TakeStep(const Identity& caller, absl::string_view method,
                                      absl::string_view name, TicketStep step,
                                      absl::string_view etag, absl::string_view note);

  SqlWriter* const writer_;
  // The writer's connection, for the statements of its transactions.
  SqlDb* const db_;
  const WorkCalendar calendar_;
  const TicketStoreOptions options_;
  const SignedPageTokens page_tokens_;
  std::unique_ptr<SqlReaderPool> readers_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_STORE_H_
