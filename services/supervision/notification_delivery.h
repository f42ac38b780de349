// The delivery worker: claims the due notifications of the outbox, sends
// each through its subscription's channel and settles it (delivered,
// retried with backoff, or dead). Runs on a schedule on every replica; the
// claims' leases keep two replicas from sending one notification at once.
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_DELIVERY_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_DELIVERY_H_

#include "absl/status/statusor.h"
#include "services/supervision/notification_sender.h"
#include "services/supervision/notification_store.h"

namespace jiangan::supervision {

class NotificationDelivery {
 public:
  // Both must outlive the worker. Claims up to `batch` at a time.
  NotificationDelivery(NotificationStore* store, const NotificationSender* sender, int batch)
      : store_(store), sender_(sender), batch_(batch) {}

  // Delivers what is due now, batch after batch until none is; returns how
  // many were settled.
  absl::StatusOr<int> DeliverDue();

 private:
  NotificationStore* const store_;
  const NotificationSender* const sender_;
  const int batch_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_DELIVERY_H_
