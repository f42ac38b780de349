// How subscriptions and the notification outbox are laid out in SQL, and
// the statements that claim due notifications for delivery. The store runs
// them; this file only says them.
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SQL_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SQL_H_

#include <string>
#include <vector>

#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// The subscriptions and their payloads (secrets included).
const ResourceRows& SubscriptionRows();
std::vector<SqlArg> DerivedValues(const v1::Subscription& subscription);
const ChangeLog& SubscriptionChanges();

// The outbox: one row per notification, its idempotency key as the row's
// request_id (so a notification is written once), its delivery state,
// when its next attempt is due and until when a delivering replica holds
// it (0 when none does).
const ResourceRows& NotificationRows();
std::vector<SqlArg> DerivedValues(const v1::Notification& notification);

// The subscriptions', outbox's and lamp notices' tables (schema version 3).
std::string NotificationSchemaSql();

// The enabled subscriptions, as ResourceRows::kColumns.
std::string EnabledSubscriptionsSql();

// The PENDING notifications due at `now` that no replica holds (bind now,
// now), oldest first, as "seq, id"; LIMIT written in.
std::string DueNotificationsSql(int limit);
// Holds notification `seq` for a delivery until `lease_until_us` (bind
// lease_until_us, seq).
inline constexpr char kLeaseNotificationSql[] =
    "UPDATE notifications SET lease_until_us = ? WHERE seq = ?";

// That a ticket's lamp was told of, once per lamp and deadline (bind
// ticket_id, lamp, deadline_day).
inline constexpr char kLampNoticedSql[] =
    "SELECT 1 FROM lamp_notices WHERE ticket_id = ? AND lamp = ? AND deadline_day = ?";
inline constexpr char kInsertLampNoticeSql[] =
    "INSERT INTO lamp_notices (ticket_id, lamp, deadline_day) VALUES (?, ?, ?)";

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SQL_H_
