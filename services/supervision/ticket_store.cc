#include "services/supervision/ticket_store.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/child_rows.h"
#include "common/storage/resource_page.h"
#include "google/protobuf/util/time_util.h"
#include "services/supervision/notification_rules.h"
#include "services/supervision/notification_sql.h"
#include "services/supervision/rule_rules.h"
#include "services/supervision/supervision_schema.h"
#include "services/supervision/ticket_sql.h"
#include "services/supervision/ticket_summary.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCollection[] = "tickets";
// Who records what the service does by itself (escalations).
constexpr char kSystemPrincipal[] = "system";

absl::StatusOr<std::string> ParseTicketName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, kCollection, field);
}

}  // namespace

TicketStore::TicketStore(SqlWriter* writer, WorkCalendar calendar, TicketStoreOptions options)
    : writer_(writer),
      db_(writer->db()),
      calendar_(std::move(calendar)),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      readers_(std::make_unique<SqlReaderPool>()) {}

TicketStore::~TicketStore() = default;

absl::StatusOr<std::unique_ptr<TicketStore>> TicketStore::Open(SqlWriter* writer,
                                                               WorkCalendar calendar,
                                                               TicketStoreOptions options) {
  SqlDb* db = writer->db();
  std::unique_ptr<TicketStore> store(
      new TicketStore(writer, std::move(calendar), std::move(options)));
  RETURN_IF_ERROR(MigrateSupervisionSchema(db));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

void TicketStore::Present(absl::CivilDay today, v1::Ticket* ticket) const {
  const LampReading reading = ReadLamp(*ticket, today, calendar_, options_.deadlines);
  ticket->set_lamp(reading.lamp);
  ticket->set_working_days_left(reading.working_days_left);
}

v1::Ticket TicketStore::Presented(absl::Time now, v1::Ticket ticket) const {
  Present(ChinaDayOf(now), &ticket);
  return ticket;
}

// ---- Reads ----------------------------------------------------------------

absl::StatusOr<v1::Ticket> TicketStore::Get(const v1::GetTicketRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id, ParseTicketName(request.name(), "name"));
  v1::Ticket ticket;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) {
    return TicketRows().FindExisting(db, kCollection, id, /*deleted=*/false, &ticket).status();
  }));
  return Presented(options_.now(), std::move(ticket));
}

absl::Status TicketStore::List(const v1::ListTicketsRequest& request,
                               v1::ListTicketsResponse* response) const {
  const absl::CivilDay today = ChinaDayOf(options_.now());
  ASSIGN_OR_RETURN(SqlWhere where,
                   FilterSql(request.filter(), LampDaysOn(today, calendar_, options_.deadlines)));
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), request.order_by(),
        {ResourceRows::kColumns, TicketRows().source(), TicketOrderFields()}, std::move(where),
        [&](const SqlStatement& row) -> absl::Status {
          v1::Ticket* ticket = response->add_tickets();
          RETURN_IF_ERROR(ResourceRows::Decode(row, ticket));
          Present(today, ticket);
          return absl::OkStatus();
        },
        response->mutable_next_page_token());
  });
}

absl::Status TicketStore::ListResponses(const v1::ListTicketResponsesRequest& request,
                                        v1::ListTicketResponsesResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseTicketName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             {kCollection, "tickets", id, false, kResponsesTable, "ticket_id"},
                             response->mutable_responses(), response->mutable_next_page_token());
  });
}

absl::Status TicketStore::ListHistory(const v1::ListTicketHistoryRequest& request,
                                      v1::ListTicketHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseTicketName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return TicketChanges().ListPage(db, page_tokens_, request, request.page_size(), request.page_token(),
                             kCollection, id, response->mutable_changes(),
                             response->mutable_next_page_token());
  });
}

absl::StatusOr<v1::WorkCalendar> TicketStore::GetWorkCalendar(
    const v1::GetWorkCalendarRequest& request) const {
  int year = 0;
  absl::string_view digits = request.name();
  if (!absl::ConsumePrefix(&digits, "workCalendars/") || !absl::SimpleAtoi(digits, &year)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: must be workCalendars/{year}, e.g. workCalendars/2025, got \"", request.name(),
        "\""));
  }
  const v1::WorkCalendar* found = calendar_.Year(year);
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        request.name(), ": this service holds no official calendar of ", year,
        "; only weekends are days off in it until its calendar file is loaded"));
  }
  return *found;
}

absl::Status TicketStore::ListWorkCalendars(const v1::ListWorkCalendarsRequest& request,
                                            v1::ListWorkCalendarsResponse* response) const {
  ASSIGN_OR_RETURN(const int page_size, ResolvePageSize(request.page_size()));
  const uint64_t fingerprint = QueryFingerprint(request);
  // The cursor is the last year given.
  ASSIGN_OR_RETURN(const int64_t after, page_tokens_.DecodeNumber(request.page_token(), fingerprint));
  for (auto it = calendar_.years().upper_bound(static_cast<int>(after));
       it != calendar_.years().end(); ++it) {
    if (response->work_calendars_size() == page_size) {
      response->set_next_page_token(page_tokens_.EncodeNumber(std::prev(it)->first, fingerprint));
      break;
    }
    *response->add_work_calendars() = it->second;
  }
  return absl::OkStatus();
}

// ---- Writes ---------------------------------------------------------------

absl::StatusOr<v1::Ticket> TicketStore::Create(const Identity& caller,
                                               const v1::CreateTicketRequest& request,
                                               const SubjectResolver& resolve) {
  ASSIGN_OR_RETURN(const std::string id,
                   ResolveNewId(request.ticket_id(), "ticket_id", request.request_id()));
  if (!request.request_id().empty()) {
    v1::Ticket earlier;
    ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                     readers_->With([&](SqlDb* db) {
                       return TicketRows().Find(db, "request_id", request.request_id(), &earlier);
                     }));
    if (found.has_value()) return Presented(options_.now(), std::move(earlier));
  }
  v1::Ticket ticket = request.ticket();
  ClearOutputOnlyFields(&ticket);
  // The form is checked before the subject's service is asked.
  if (!ticket.subject().resource().empty()) {
    RETURN_IF_ERROR(SubjectCollection(ticket.subject().resource()).status());
  }
  RETURN_IF_ERROR(resolve(ticket.mutable_subject()));
  const absl::Time now = options_.now();
  RETURN_IF_ERROR(PrepareNewTicket(caller, now, calendar_, options_.deadlines, &ticket));
  const std::string name = absl::StrCat(kCollection, "/", id);
  {
    RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
      if (!request.request_id().empty()) {
        v1::Ticket earlier;
        ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                         TicketRows().Find(db_, "request_id", request.request_id(), &earlier));
        if (found.has_value()) {
          ticket = std::move(earlier);
          return absl::OkStatus();
        }
      }
      RETURN_IF_ERROR(TicketRows().CheckIdFree(db_, id, name));
      ASSIGN_OR_RETURN(const int64_t seq, TicketRows().NextSeq(db_));
      StampCreated(name, now, caller.principal, seq, &ticket);
      RETURN_IF_ERROR(TicketRows().Insert(db_, seq, id, request.request_id(),
                                          DerivedValues(ticket), ticket));
      return RecordIssue(id, caller.principal, "CreateTicket", ticket);
    }));
  }
  return Presented(now, std::move(ticket));
}

absl::StatusOr<std::optional<v1::Ticket>> TicketStore::OpenForRule(const v1::Rule& rule,
                                                                   const v1::Subject& subject) {
  const absl::Time now = options_.now();
  v1::Ticket ticket = TicketForRule(rule, subject);
  // Issued in the rule's issuer's name, which the rule's ADMIN chose.
  const Identity system{kSystemPrincipal, rule.issuer_department(), Role::kAdmin};
  RETURN_IF_ERROR(PrepareNewTicket(system, now, calendar_, options_.deadlines, &ticket));
  bool opened = false;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement open, db_->Prepare(OpenRuleTicketSql()));
    open.BindText(1, rule.name());
    open.BindText(2, subject.resource());
    ASSIGN_OR_RETURN(const bool already, open.Step());
    if (already) return absl::OkStatus();
    const std::string id = GenerateResourceId();
    ASSIGN_OR_RETURN(const int64_t seq, TicketRows().NextSeq(db_));
    StampCreated(absl::StrCat(kCollection, "/", id), now, kSystemPrincipal, seq, &ticket);
    RETURN_IF_ERROR(TicketRows().Insert(db_, seq, id, "", DerivedValues(ticket), ticket));
    opened = true;
    return RecordIssue(id, kSystemPrincipal, "EvaluateRules", ticket);
  }));
  if (!opened) return std::nullopt;
  return Presented(now, std::move(ticket));
}

absl::StatusOr<TicketStore::StoredTicket> TicketStore::LoadForStep(const Identity& caller,
                                                                   absl::string_view id,
                                                                   TicketStep step,
                                                                   absl::string_view etag) {
  StoredTicket stored;
  ASSIGN_OR_RETURN(stored.row, TicketRows().FindExisting(db_, kCollection, id,
                                                         /*deleted=*/false, &stored.ticket));
  RETURN_IF_ERROR(CheckMayTake(caller, stored.ticket, step));
  RETURN_IF_ERROR(CheckStepAllowed(stored.ticket, step));
  RETURN_IF_ERROR(CheckEtag(step == TicketStep::kUpdate ? "ticket.etag" : "etag", etag,
                            stored.ticket.etag()));
  return stored;
}

absl::Status TicketStore::Tell(v1::NotificationEvent event, const v1::Ticket& ticket) {
  if (options_.events == nullptr || event == v1::NOTIFICATION_EVENT_UNSPECIFIED) {
    return absl::OkStatus();
  }
  return options_.events->Record(db_, event, ticket);
}

absl::Status TicketStore::Rescore(const v1::Ticket* before, const v1::Ticket& after) {
  RollupChanges changes;
  for (const auto& [ticket, sign] : {std::make_pair(before, -1), std::make_pair(&after, +1)}) {
    if (ticket == nullptr) continue;
    if (const std::optional<RollupItem> item = ScoreItem(*ticket); item.has_value()) {
      RETURN_IF_ERROR(ScoreRollup().Record(*item, sign, &changes));
    }
  }
  return changes.Write(db_);
}

absl::Status TicketStore::RecordIssue(absl::string_view id, absl::string_view principal,
                                      absl::string_view method, const v1::Ticket& ticket) {
  RETURN_IF_ERROR(Rescore(nullptr, ticket));
  RETURN_IF_ERROR(TicketChanges().Record(db_, id,
                                         TimeUtil::TimestampToMicroseconds(ticket.create_time()),
                                         principal, method, v1::Ticket(), ticket));
  return Tell(v1::TICKET_ISSUED, ticket);
}

absl::Status TicketStore::Rewrite(absl::string_view principal, absl::string_view method,
                                  v1::NotificationEvent event, const StoredTicket& before,
                                  absl::Time now, v1::Ticket* ticket) {
  const int64_t version = before.row.version + 1;
  ticket->clear_lamp();
  ticket->clear_working_days_left();
  ticket->set_updater(std::string(principal));
  *ticket->mutable_update_time() = TimestampOf(now);
  ticket->set_etag(VersionEtag(before.row.seq, version));
  RETURN_IF_ERROR(
      TicketRows().Update(db_, before.row.seq, version, DerivedValues(*ticket), *ticket));
  RETURN_IF_ERROR(Rescore(&before.ticket, *ticket));
  RETURN_IF_ERROR(TicketChanges().Record(db_, before.row.id,
                                         TimeUtil::TimestampToMicroseconds(ticket->update_time()),
                                         principal, method, before.ticket, *ticket));
  return Tell(event, *ticket);
}

absl::StatusOr<v1::Ticket> TicketStore::ChangeTicket(const Identity& caller,
                                                     absl::string_view method,
                                                     absl::string_view name, TicketStep step,
                                                     absl::string_view etag,
                                                     const Change& change) {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseTicketName(name, step == TicketStep::kUpdate ? "ticket.name" : "name"));
  const absl::Time now = options_.now();
  v1::Ticket next;
  {
    RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
      ASSIGN_OR_RETURN(const StoredTicket stored, LoadForStep(caller, id, step, etag));
      next = stored.ticket;
      RETURN_IF_ERROR(change(stored, now, &next));
      return Rewrite(caller.principal, method, EventOf(step), stored, now, &next);
    }));
  }
  return Presented(now, std::move(next));
}

absl::StatusOr<v1::Ticket> TicketStore::Update(const Identity& caller,
                                               const v1::UpdateTicketRequest& request) {
  RETURN_IF_ERROR(CheckTicketUpdateMask(request.update_mask()));
  return ChangeTicket(
      caller, "UpdateTicket", request.ticket().name(), TicketStep::kUpdate,
      request.ticket().etag(),
      [&](const StoredTicket&, absl::Time now, v1::Ticket* next) -> absl::Status {
        MergeMasked(request.ticket(), request.update_mask(), next);
        if (next->priority() == v1::PRIORITY_UNSPECIFIED) next->set_priority(v1::NORMAL);
        RETURN_IF_ERROR(ValidateTicket(*next));
        if (MaskNames(request.update_mask(), "deadline")) {
          RETURN_IF_ERROR(CheckNewDeadline(*next, ChinaDayOf(now)));
          // A new deadline is a new chance: an escalation of the old one
          // no longer stands.
          next->clear_escalate_time();
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Ticket> TicketStore::TakeStep(const Identity& caller, absl::string_view method,
                                                 absl::string_view name, TicketStep step,
                                                 absl::string_view etag, absl::string_view note) {
  return ChangeTicket(caller, method, name, step, etag,
                      [&](const StoredTicket&, absl::Time now, v1::Ticket* next) {
                        ApplyStep(step, caller.principal, now, note, next);
                        return absl::OkStatus();
                      });
}

absl::StatusOr<v1::Ticket> TicketStore::Accept(const Identity& caller,
                                               const v1::AcceptTicketRequest& request) {
  return TakeStep(caller, "AcceptTicket", request.name(), TicketStep::kAccept, request.etag(), "");
}

absl::StatusOr<v1::Ticket> TicketStore::Return(const Identity& caller,
                                               const v1::ReturnTicketRequest& request) {
  RETURN_IF_ERROR(CheckStepNote("reason", request.reason(), /*required=*/true));
  return TakeStep(caller, "ReturnTicket", request.name(), TicketStep::kReturn, request.etag(),
                  request.reason());
}

absl::StatusOr<v1::Ticket> TicketStore::Close(const Identity& caller,
                                              const v1::CloseTicketRequest& request) {
  RETURN_IF_ERROR(CheckStepNote("note", request.note(), /*required=*/false));
  return TakeStep(caller, "CloseTicket", request.name(), TicketStep::kClose, request.etag(),
                  request.note());
}

absl::StatusOr<v1::Ticket> TicketStore::Cancel(const Identity& caller,
                                               const v1::CancelTicketRequest& request) {
  RETURN_IF_ERROR(CheckStepNote("reason", request.reason(), /*required=*/true));
  return TakeStep(caller, "CancelTicket", request.name(), TicketStep::kCancel, request.etag(),
                  request.reason());
}

absl::StatusOr<v1::TicketResponse> TicketStore::Respond(const Identity& caller,
                                                        const v1::RespondTicketRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseTicketName(request.name(), "name"));
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(ValidateResponse(request.response()));
  const absl::Time now = options_.now();
  v1::TicketResponse response;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const bool earlier,
                     FindChildByRequestId(db_, kResponsesTable, "ticket_id", id,
                                          request.request_id(), &response));
    if (earlier) return absl::OkStatus();
    ASSIGN_OR_RETURN(const StoredTicket stored,
                     LoadForStep(caller, id, TicketStep::kRespond, request.etag()));
    response = request.response();
    response.set_name(absl::StrCat(stored.ticket.name(), "/responses/", GenerateResourceId()));
    response.set_responder(caller.principal);
    *response.mutable_create_time() = TimestampOf(now);
    response.set_on_time(ChinaDayOf(now) <= *ToCivilDay(stored.ticket.deadline()));
    RETURN_IF_ERROR(
        InsertChildRow(db_, kResponsesTable, "ticket_id", id, request.request_id(), response));
    v1::Ticket next = stored.ticket;
    ApplyStep(TicketStep::kRespond, caller.principal, now, "", &next);
    return Rewrite(caller.principal, "RespondTicket", v1::TICKET_RESPONDED, stored, now, &next);
  }));
  return response;
}

absl::StatusOr<int> TicketStore::EscalateOverdue() {
  const absl::Time now = options_.now();
  const absl::CivilDay today = ChinaDayOf(now);
  std::vector<std::string> candidates;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement overdue, db->Prepare(kOverdueUnescalatedSql));
    overdue.BindInt64(1, DayNumber(today));
    while (true) {
      ASSIGN_OR_RETURN(const bool row, overdue.Step());
      if (!row) break;
      candidates.push_back(overdue.ColumnText(1));
    }
    return absl::OkStatus();
  }));
  int escalated = 0;
  for (const std::string& id : candidates) {
    RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
      StoredTicket stored;
      ASSIGN_OR_RETURN(stored.row, TicketRows().FindExisting(db_, kCollection, id,
                                                             /*deleted=*/false, &stored.ticket));
      // Read again in the transaction: another replica may have been first.
      if (!EscalationDue(stored.ticket, today, calendar_, options_.deadlines)) {
        return absl::OkStatus();
      }
      v1::Ticket next = stored.ticket;
      *next.mutable_escalate_time() = TimestampOf(now);
      ++escalated;
      return Rewrite(kSystemPrincipal, "EscalateTicket", v1::TICKET_ESCALATED, stored, now, &next);
    }));
  }
  return escalated;
}

absl::StatusOr<int> TicketStore::NoticeLamps() {
  const absl::CivilDay today = ChinaDayOf(options_.now());
  int told = 0;
  for (const v1::Lamp lamp : {v1::YELLOW, v1::RED}) {
    v1::TicketFilter filter;
    filter.add_lamps(lamp);
    ASSIGN_OR_RETURN(SqlWhere where,
                     FilterSql(filter, LampDaysOn(today, calendar_, options_.deadlines)));
    std::vector<std::string> lit;
    RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
      ASSIGN_OR_RETURN(SqlStatement select,
                       db->Prepare(absl::StrCat("SELECT id FROM tickets WHERE ", where.sql)));
      Bind(&select, 1, where.args);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, select.Step());
        if (!row) break;
        lit.push_back(select.ColumnText(0));
      }
      return absl::OkStatus();
    }));
    for (const std::string& id : lit) {
      RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
        v1::Ticket ticket;
        RETURN_IF_ERROR(TicketRows().FindExisting(db_, kCollection, id, false, &ticket).status());
        // Read again: the ticket may have moved since.
        if (ReadLamp(ticket, today, calendar_, options_.deadlines).lamp != lamp) {
          return absl::OkStatus();
        }
        const int64_t deadline = DayNumber(*ToCivilDay(ticket.deadline()));
        ASSIGN_OR_RETURN(SqlStatement noticed, db_->Prepare(kLampNoticedSql));
        noticed.BindText(1, id);
        noticed.BindInt64(2, lamp);
        noticed.BindInt64(3, deadline);
        ASSIGN_OR_RETURN(const bool already, noticed.Step());
        if (already) return absl::OkStatus();
        ASSIGN_OR_RETURN(SqlStatement notice, db_->Prepare(kInsertLampNoticeSql));
        notice.BindText(1, id);
        notice.BindInt64(2, lamp);
        notice.BindInt64(3, deadline);
        RETURN_IF_ERROR(notice.Run());
        ++told;
        return Tell(lamp == v1::RED ? v1::TICKET_RED : v1::TICKET_YELLOW,
                    Presented(options_.now(), ticket));
      }));
    }
  }
  return told;
}

absl::Status TicketStore::SummarizeDepartments(const v1::SummarizeDepartmentsRequest& request,
                                               v1::SummarizeDepartmentsResponse* response) const {
  return supervision::SummarizeDepartments(*readers_, request, ChinaDayOf(options_.now()),
                                           response);
}

absl::StatusOr<std::string> TicketStore::DigestOf(const std::string& department) const {
  v1::ListTicketsRequest request;
  request.mutable_filter()->set_assignee_department(department);
  request.mutable_filter()->add_states(v1::ISSUED);
  request.mutable_filter()->add_states(v1::ACCEPTED);
  request.mutable_filter()->add_states(v1::RETURNED);
  request.mutable_filter()->add_states(v1::RESPONDED);
  request.set_page_size(1000);
  request.set_order_by("deadline");
  int by_lamp[4] = {0, 0, 0, 0};
  std::vector<std::string> overdue;
  while (true) {
    v1::ListTicketsResponse page;
    RETURN_IF_ERROR(List(request, &page));
    for (const v1::Ticket& ticket : page.tickets()) {
      ++by_lamp[ticket.lamp()];
      if (ticket.lamp() == v1::RED && overdue.size() < 20) {
        overdue.push_back(absl::StrCat("- ", ticket.title(), "（超期", -ticket.working_days_left(),
                                       "个工作日，", ticket.name(), "）"));
      }
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  std::string text = absl::StrCat("承办中的督办单：红灯 ", by_lamp[v1::RED], " 件，黄灯 ",
                                  by_lamp[v1::YELLOW], " 件，绿灯 ", by_lamp[v1::GREEN],
                                  " 件；已反馈待审核 ", by_lamp[v1::LAMP_UNSPECIFIED], " 件。");
  if (!overdue.empty()) absl::StrAppend(&text, "\n超期督办单：\n", absl::StrJoin(overdue, "\n"));
  return text;
}

}  // namespace jiangan::supervision
