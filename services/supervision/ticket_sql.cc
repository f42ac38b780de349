#include "services/supervision/ticket_sql.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

// The columns derived from a ticket, in binding order. Days are day
// numbers (common/base/civil_date.h), 0 when the day has not come.
constexpr SqlColumn kDerivedColumns[] = {
    {"deleted", "INTEGER NOT NULL"},
    {"state", "INTEGER NOT NULL"},
    {"waiting", "INTEGER NOT NULL"},
    {"priority", "INTEGER NOT NULL"},
    {"issuer_department", "TEXT NOT NULL"},
    {"assignee_department", "TEXT NOT NULL"},
    {"subject", "TEXT NOT NULL"},
    {"rule", "TEXT NOT NULL"},
    {"escalated", "INTEGER NOT NULL"},
    {"create_us", "INTEGER NOT NULL"},
    {"update_us", "INTEGER NOT NULL"},
    {"issue_day", "INTEGER NOT NULL"},
    {"deadline_day", "INTEGER NOT NULL"},
    {"accept_by_day", "INTEGER NOT NULL"},
    {"accept_day", "INTEGER NOT NULL"},
    {"first_response_day", "INTEGER NOT NULL"},
    {"close_day", "INTEGER NOT NULL"}};

int64_t DayOf(const type::v1::Date& date) {
  const std::optional<absl::CivilDay> day = ToCivilDay(date);
  return day.has_value() ? DayNumber(*day) : 0;
}

int64_t DayOf(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return 0;
  return DayNumber(ChinaDayOf(absl::FromUnixSeconds(time.seconds())));
}

// Each lamp as a condition on the derived columns; `?` binds the LampDays.
std::string LampSql(v1::Lamp lamp, const LampDays& days, std::vector<SqlArg>* args) {
  const std::string issued = absl::StrCat("state = ", static_cast<int>(v1::ISSUED));
  switch (lamp) {
    case v1::RED:
      *args = {days.today, days.today};
      return absl::StrCat("(waiting = 1 AND (deadline_day < ? OR (", issued,
                          " AND accept_by_day < ?)))");
    case v1::YELLOW:
      *args = {days.today, days.today, days.yellow_through, days.today};
      return absl::StrCat("(waiting = 1 AND deadline_day >= ? AND NOT (", issued,
                          " AND accept_by_day < ?) AND (deadline_day <= ? OR (", issued,
                          " AND accept_by_day = ?)))");
    default:  // GREEN
      *args = {days.yellow_through, days.today};
      return absl::StrCat("(waiting = 1 AND deadline_day > ? AND NOT (", issued,
                          " AND accept_by_day <= ?))");
  }
}

}  // namespace

const ResourceRows& TicketRows() {
  static const auto* rows = new ResourceRows("tickets", "ticket_payloads", kDerivedColumns);
  return *rows;
}

std::vector<SqlArg> DerivedValues(const v1::Ticket& ticket) {
  return {int64_t{0},
          int64_t{ticket.state()},
          int64_t{WaitsOnAssignee(ticket.state())},
          int64_t{ticket.priority()},
          ticket.issuer_department(),
          ticket.assignee_department(),
          ticket.subject().resource(),
          ticket.rule(),
          int64_t{ticket.has_escalate_time()},
          TimeUtil::TimestampToMicroseconds(ticket.create_time()),
          TimeUtil::TimestampToMicroseconds(ticket.update_time()),
          DayOf(ticket.create_time()),
          DayOf(ticket.deadline()),
          DayOf(ticket.accept_by()),
          DayOf(ticket.accept_time()),
          DayOf(ticket.first_response_time()),
          DayOf(ticket.close_time())};
}

const ChangeLog& TicketChanges() {
  // The lamp is read, not stored; the state history and the response count
  // follow the steps the history records already.
  static const auto* changes = new ChangeLog(
      "ticket_changes", "ticket_id", v1::Ticket::descriptor(),
      {"update_time", "etag", "updater", "lamp", "working_days_left", "state_history",
       "response_count"});
  return *changes;
}

const std::string& OpenRuleTicketSql() {
  static const auto* sql = new std::string(absl::StrCat(
      "SELECT id FROM tickets WHERE rule = ? AND subject = ? AND state NOT IN (",
      static_cast<int>(v1::CLOSED), ", ", static_cast<int>(v1::CANCELLED), ") LIMIT 1"));
  return *sql;
}

std::string TicketSchemaSql() {
  return absl::StrCat(
      TicketRows().SchemaSql(), TicketRows().FilterIndexesSql({"assignee_department", "state"}),
      "CREATE INDEX IF NOT EXISTS tickets_issuer_department ON tickets(issuer_department);"
      "CREATE INDEX IF NOT EXISTS tickets_subject ON tickets(subject);"
      "CREATE INDEX IF NOT EXISTS tickets_rule ON tickets(rule);"
      "CREATE INDEX IF NOT EXISTS tickets_deadline ON tickets(deadline_day);"
      "CREATE INDEX IF NOT EXISTS tickets_update_us ON tickets(update_us);"
      // An escalation sweep reads the waiting tickets past their deadline.
      "CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets(waiting, escalated, deadline_day);"
      "CREATE INDEX IF NOT EXISTS tickets_issue_day ON tickets(issue_day);"
      "CREATE TABLE IF NOT EXISTS ", kResponsesTable,
      " (seq INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id TEXT NOT NULL, request_id TEXT, "
      "payload BLOB NOT NULL, UNIQUE (ticket_id, request_id));"
      "CREATE INDEX IF NOT EXISTS ticket_responses_ticket ON ",
      kResponsesTable, "(ticket_id, seq);", TicketChanges().SchemaSql());
}

absl::StatusOr<SqlWhere> FilterSql(const v1::TicketFilter& filter, const LampDays& lamp_days) {
  SqlWhere where;
  where.And("deleted = 0");
  if (filter.states_size() > 0) {
    ASSIGN_OR_RETURN(const std::string list,
                     EnumList("filter.states", filter.states(), v1::TicketState_IsValid));
    where.And(absl::StrCat("state IN ", list));
  }
  if (filter.priorities_size() > 0) {
    ASSIGN_OR_RETURN(const std::string list,
                     EnumList("filter.priorities", filter.priorities(), v1::Priority_IsValid));
    where.And(absl::StrCat("priority IN ", list));
  }
  if (filter.lamps_size() > 0) {
    RETURN_IF_ERROR(EnumList("filter.lamps", filter.lamps(), v1::Lamp_IsValid).status());
    // Said once outside the lamps too, for the indexes that lead with it.
    where.And("waiting = 1");
    std::vector<std::string> any;
    std::vector<SqlArg> args;
    for (int lamp : filter.lamps()) {
      std::vector<SqlArg> more;
      any.push_back(LampSql(static_cast<v1::Lamp>(lamp), lamp_days, &more));
      args.insert(args.end(), more.begin(), more.end());
    }
    where.And(absl::StrCat("(", absl::StrJoin(any, " OR "), ")"), std::move(args));
  }
  if (!filter.assignee_department().empty()) {
    where.And("assignee_department = ?", {filter.assignee_department()});
  }
  if (!filter.issuer_department().empty()) {
    where.And("issuer_department = ?", {filter.issuer_department()});
  }
  if (!filter.subject().empty()) where.And("subject = ?", {filter.subject()});
  if (!filter.rule().empty()) where.And("rule = ?", {filter.rule()});
  if (filter.escalated_only()) where.And("escalated = 1");
  return where;
}

const Rollup& ScoreRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      "ticket_scores",
      {{"assignee_department", "TEXT NOT NULL"}, {"issue_day", "INTEGER NOT NULL"}},
      {kScoreSet},
      "received",
      "sums",
      {"accepted_on_time", "responded_on_time", "closed", "close_days"}});
  return *rollup;
}

std::optional<RollupItem> ScoreItem(const v1::Ticket& ticket) {
  if (ticket.state() == v1::CANCELLED) return std::nullopt;
  const int64_t issue_day = DayOf(ticket.create_time());
  const int64_t accept_day = DayOf(ticket.accept_time());
  const int64_t response_day = DayOf(ticket.first_response_time());
  const bool closed = ticket.state() == v1::CLOSED;
  return RollupItem{
      {ticket.assignee_department(), issue_day},
      {int64_t{accept_day > 0 && accept_day <= DayOf(ticket.accept_by())},
       int64_t{response_day > 0 && response_day <= DayOf(ticket.deadline())}, int64_t{closed},
       closed ? DayOf(ticket.close_time()) - issue_day : 0}};
}

std::string ScoreSchemaSql() {
  return absl::StrCat(
      ScoreRollup().SchemaSql(), ScoreRollup().PeriodIndexSql("issue_day"),
      // A scorecard's overdue tickets are counted from this index alone.
      "CREATE INDEX IF NOT EXISTS tickets_overdue ON tickets(waiting, deadline_day, issue_day, "
      "assignee_department);"
      // A page of tickets by lamp in creation order, and a department's
      // waiting tickets by deadline, are read in index order, their lamps
      // checked in the index: the page stops after its rows, however many
      // tickets wait.
      "CREATE INDEX IF NOT EXISTS tickets_lamps ON tickets(waiting, seq, deadline_day, state, "
      "accept_by_day, deleted);"
      "CREATE INDEX IF NOT EXISTS tickets_department_due ON tickets(assignee_department, waiting, "
      "deadline_day, seq, state, accept_by_day, deleted);");
}

absl::Span<const OrderField> TicketOrderFields() {
  static constexpr OrderField kFields[] = {
      {"create_time", "seq"},
      {"deadline", "deadline_day"},
      {"update_time", "update_us"},
  };
  return kFields;
}

}  // namespace jiangan::supervision
