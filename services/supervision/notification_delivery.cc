#include "services/supervision/notification_delivery.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/base/status_macros.h"

namespace jiangan::supervision {

absl::StatusOr<int> NotificationDelivery::DeliverDue() {
  int settled = 0;
  while (true) {
    ASSIGN_OR_RETURN(const std::vector<ClaimedNotification> due, store_->ClaimDue(batch_));
    if (due.empty()) return settled;
    for (const ClaimedNotification& claimed : due) {
      const absl::Status delivery =
          claimed.subscription.has_value()
              ? sender_->Deliver(*claimed.subscription, claimed.notification)
              : absl::FailedPreconditionError(absl::StrCat(
                    claimed.notification.subscription(), " is disabled or gone"));
      if (!delivery.ok()) {
        Log(LogLevel::kWarning, "notification_not_delivered",
            {{"notification", claimed.notification.name()},
             {"key", claimed.notification.idempotency_key()},
             {"attempt", absl::StrCat(claimed.notification.attempts() + 1)},
             {"error", std::string(delivery.message())}});
      }
      RETURN_IF_ERROR(store_->Settle(claimed, delivery));
      ++settled;
    }
  }
}

}  // namespace jiangan::supervision
