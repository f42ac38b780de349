#include "services/supervision/supervision_schema.h"

#include "common/storage/schema_migrations.h"
#include "services/supervision/notification_sql.h"
#include "services/supervision/rule_sql.h"
#include "services/supervision/ticket_sql.h"

namespace jiangan::supervision {

absl::Status MigrateSupervisionSchema(SqlDb* db) {
  return MigrateSchema(db, {{SchemaStep{1, TicketSchemaSql()}, SchemaStep{2, RuleSchemaSql()},
                            SchemaStep{3, NotificationSchemaSql()}}});
}

}  // namespace jiangan::supervision
