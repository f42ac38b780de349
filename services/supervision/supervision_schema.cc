#include "services/supervision/supervision_schema.h"

#include "common/base/status_macros.h"
#include "common/storage/schema_migrations.h"
#include "services/supervision/notification_sql.h"
#include "services/supervision/rule_sql.h"
#include "services/supervision/ticket_sql.h"

namespace jiangan::supervision {
namespace {

// Fills the score rollup from the stored tickets.
absl::Status FillScores(SqlDb* db) {
  RollupChanges changes;
  RETURN_IF_ERROR(TicketRows().ForEachResource(
      db, v1::Ticket::default_instance(),
      [&changes](int64_t, const google::protobuf::Message& message) -> absl::Status {
        const std::optional<RollupItem> item =
            ScoreItem(static_cast<const v1::Ticket&>(message));
        return item.has_value() ? ScoreRollup().Record(*item, +1, &changes) : absl::OkStatus();
      }));
  return changes.Write(db);
}

}  // namespace

absl::Status MigrateSupervisionSchema(SqlDb* db) {
  return MigrateSchema(db, {{SchemaStep{1, TicketSchemaSql()}, SchemaStep{2, RuleSchemaSql()},
                            SchemaStep{3, NotificationSchemaSql()},
                            SchemaStep{4, ScoreSchemaSql(), FillScores}}});
}

}  // namespace jiangan::supervision
