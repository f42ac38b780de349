// How tickets are laid out in SQL and queried there: the columns derived
// from a Ticket (what List filters and orders on, what the scorecard
// counts), the responses and history tables, and the SQL a TicketFilter
// becomes. The store runs the statements; this file only says them.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_SQL_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_SQL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "common/storage/rollup.h"
#include "common/storage/sql_query.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/ticket_deadlines.h"

namespace jiangan::supervision {

// The tickets and their payloads; the derived columns take DerivedValues().
const ResourceRows& TicketRows();

// The values of the derived columns, in binding order.
std::vector<SqlArg> DerivedValues(const v1::Ticket& ticket);

// The tickets' history of changes.
const ChangeLog& TicketChanges();

// The tickets' tables (schema version 1): tickets, payloads, responses,
// history.
std::string TicketSchemaSql();

// Whether a ticket of rule `rule` (bind rule, subject) about `subject` is
// open (neither CLOSED nor CANCELLED): a rule opens one at a time.
const std::string& OpenRuleTicketSql();

// The responses' table: `ticket_id`, request_id, payload.
inline constexpr char kResponsesTable[] = "ticket_responses";

// The clause selecting what `filter` selects on the day `lamp_days` bounds;
// INVALID_ARGUMENT naming the filter's field when a value breaks its rules.
absl::StatusOr<SqlWhere> FilterSql(const v1::TicketFilter& filter, const LampDays& lamp_days);

// The waiting tickets overdue on day `today` (a day number) that have not
// been escalated: the candidates of an escalation sweep, as "seq, id".
inline constexpr char kOverdueUnescalatedSql[] =
    "SELECT seq, id FROM tickets WHERE waiting = 1 AND escalated = 0 AND deadline_day < ? "
    "ORDER BY seq";

// The scorecard's rollup (common/storage/rollup.h): tickets by assignee
// department and day of issue, counting those received and summing those
// accepted on time, responded to on time, closed, and their days to close.
// A CANCELLED ticket is no item.
const Rollup& ScoreRollup();
// The one grouping set of the score rollup: department and day.
inline constexpr uint32_t kScoreSet = 0b11;
// The item of `ticket` in the score rollup; nullopt when it counts in none.
std::optional<RollupItem> ScoreItem(const v1::Ticket& ticket);
// Schema version 4: the score rollup and its index by day, and the indexes
// that read a page of tickets by lamp or a department's by deadline.
std::string ScoreSchemaSql();

// The fields ListTicketsRequest.order_by may name.
absl::Span<const OrderField> TicketOrderFields();

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_SQL_H_
