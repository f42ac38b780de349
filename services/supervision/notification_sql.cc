#include "services/supervision/notification_sql.h"

#include "absl/strings/str_cat.h"
#include "common/storage/sql_query.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

constexpr SqlColumn kSubscriptionColumns[] = {{"deleted", "INTEGER NOT NULL"},
                                              {"enabled", "INTEGER NOT NULL"},
                                              {"department", "TEXT NOT NULL"}};

constexpr SqlColumn kNotificationColumns[] = {
    {"deleted", "INTEGER NOT NULL"},        {"state", "INTEGER NOT NULL"},
    {"subscription", "TEXT NOT NULL"},      {"ticket", "TEXT NOT NULL"},
    {"next_attempt_us", "INTEGER NOT NULL"}, {"lease_until_us", "INTEGER NOT NULL"},
    {"create_us", "INTEGER NOT NULL"}};

}  // namespace

const ResourceRows& SubscriptionRows() {
  static const auto* rows =
      new ResourceRows("subscriptions", "subscription_payloads", kSubscriptionColumns);
  return *rows;
}

std::vector<SqlArg> DerivedValues(const v1::Subscription& subscription) {
  return {int64_t{0}, int64_t{subscription.enabled()}, subscription.department()};
}

const ChangeLog& SubscriptionChanges() {
  // The secret never goes into the history.
  static const auto* changes =
      new ChangeLog("subscription_changes", "subscription_id", v1::Subscription::descriptor(),
                    {"update_time", "etag", "updater", "webhook.secret"});
  return *changes;
}

const ResourceRows& NotificationRows() {
  static const auto* rows =
      new ResourceRows("notifications", "notification_payloads", kNotificationColumns);
  return *rows;
}

std::vector<SqlArg> DerivedValues(const v1::Notification& notification) {
  return {int64_t{0},
          int64_t{notification.state()},
          notification.subscription(),
          notification.ticket(),
          notification.has_next_attempt_time()
              ? TimeUtil::TimestampToMicroseconds(notification.next_attempt_time())
              : int64_t{0},
          // Every write of the row lets go of its lease.
          int64_t{0},
          TimeUtil::TimestampToMicroseconds(notification.create_time())};
}

std::string NotificationSchemaSql() {
  return absl::StrCat(
      SubscriptionRows().SchemaSql(), SubscriptionChanges().SchemaSql(),
      NotificationRows().SchemaSql(),
      "CREATE INDEX IF NOT EXISTS notifications_due ON notifications(state, next_attempt_us);"
      "CREATE INDEX IF NOT EXISTS notifications_subscription ON notifications(subscription);"
      "CREATE INDEX IF NOT EXISTS notifications_ticket ON notifications(ticket);"
      "CREATE TABLE IF NOT EXISTS lamp_notices (ticket_id TEXT NOT NULL, lamp INTEGER NOT NULL, "
      "deadline_day INTEGER NOT NULL, PRIMARY KEY (ticket_id, lamp, deadline_day));");
}

std::string EnabledSubscriptionsSql() {
  return absl::StrCat("SELECT ", ResourceRows::kColumns, " FROM ", SubscriptionRows().source(),
                      " WHERE deleted = 0 AND enabled = 1 ORDER BY seq");
}

std::string DueNotificationsSql(int limit) {
  return absl::StrCat("SELECT seq, id FROM notifications WHERE state = ",
                      static_cast<int>(v1::PENDING),
                      " AND next_attempt_us <= ? AND lease_until_us <= ? ORDER BY seq LIMIT ",
                      limit);
}

}  // namespace jiangan::supervision
