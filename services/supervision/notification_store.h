// Where the supervision service keeps the departments' subscriptions and
// the outbox of notifications: notifications are written in the
// transaction of the change they tell of (TicketEvents), then claimed by a
// delivering replica for a lease, and settled: delivered, retried later
// with backoff, or dead after the last attempt, for an ADMIN to replay.
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_STORE_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/sql_reader_pool.h"
#include "common/storage/sql_writer.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/ticket_events.h"

namespace jiangan::supervision {

struct NotificationStoreOptions {
  // Signs page tokens; shared by every replica.
  std::string page_token_key;
  int reader_connections = 1;
  // Attempts before a notification is dead.
  int max_attempts = 8;
  // How long a delivering replica holds what it claimed; a replica that dies
  // mid-delivery lets go when it ends, and another sends again (with the
  // same idempotency key).
  absl::Duration lease = absl::Seconds(30);
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// A notification claimed for delivery, with where it goes.
struct ClaimedNotification {
  int64_t seq = 0;
  // The row's id, the last segment of the notification's name.
  std::string id;
  v1::Notification notification;
  // The subscription as stored (its secret included); absent when it was
  // disabled since.
  std::optional<v1::Subscription> subscription;
};

class NotificationStore final : public TicketEvents {
 public:
  // Brings the database to the current schema and opens the readers.
  // `writer` must outlive the store.
  static absl::StatusOr<std::unique_ptr<NotificationStore>> Open(
      SqlWriter* writer, NotificationStoreOptions options);
  ~NotificationStore() override;

  absl::StatusOr<v1::Subscription> GetSubscription(
      const v1::GetSubscriptionRequest& request) const;
  absl::Status ListSubscriptions(const v1::ListSubscriptionsRequest& request,
                                 v1::ListSubscriptionsResponse* response) const;
  absl::StatusOr<v1::Subscription> CreateSubscription(
      const Identity& caller, const v1::CreateSubscriptionRequest& request);
  absl::StatusOr<v1::Subscription> UpdateSubscription(
      const Identity& caller, const v1::UpdateSubscriptionRequest& request);

  // Writes a notification of `event` about `ticket` for every subscription
  // that hears of it.
  absl::Status Record(SqlDb* db, v1::NotificationEvent event,
                      const v1::Ticket& ticket) const override;

  // Writes today's digest for every subscription that hears of digests,
  // its text `summarize(department)` (a day's digest is written once).
  absl::Status RecordDigests(
      absl::CivilDay day,
      const std::function<absl::StatusOr<std::string>(const std::string& department)>& summarize);

  absl::Status ListNotifications(const v1::ListNotificationsRequest& request,
                                 v1::ListNotificationsResponse* response) const;
  absl::StatusOr<v1::Notification> Replay(const v1::ReplayNotificationRequest& request);

  // Claims up to `limit` due notifications for a lease.
  absl::StatusOr<std::vector<ClaimedNotification>> ClaimDue(int limit);
  // Settles a claimed notification by how its delivery went.
  absl::Status Settle(const ClaimedNotification& claimed, const absl::Status& delivery);

 private:
  NotificationStore(SqlWriter* writer, NotificationStoreOptions options);

  // Writes `notification` to the outbox unless its key is there already.
  absl::Status Enqueue(SqlDb* db, v1::Notification notification) const;

  SqlWriter* const writer_;
  SqlDb* const db_;
  const NotificationStoreOptions options_;
  const SignedPageTokens page_tokens_;
  std::unique_ptr<SqlReaderPool> readers_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_STORE_H_
