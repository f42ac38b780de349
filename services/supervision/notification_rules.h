// The rules of notifications: what a subscription may say, which
// subscriptions hear of a ticket's event, what the message says, and how
// long a failed delivery waits before the next attempt. Pure: no I/O.
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_RULES_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/ticket_rules.h"

namespace jiangan::supervision {

// Checks every caller-settable field of `subscription`.
absl::Status ValidateSubscription(const v1::Subscription& subscription);

// PERMISSION_DENIED unless `caller` is an ADMIN or an EDITOR of the
// subscription's department.
absl::Status CheckMayKeepSubscription(const Identity& caller,
                                      const v1::Subscription& subscription);

// INVALID_ARGUMENT unless `mask` names at least one field UpdateSubscription
// may change.
absl::Status CheckSubscriptionUpdateMask(const google::protobuf::FieldMask& mask);

// Clears every output-only field.
void ClearSubscriptionOutputOnlyFields(v1::Subscription* subscription);

// `subscription` as a caller sees it: the secret withheld, `secret_set`
// saying whether one is kept.
v1::Subscription Shown(v1::Subscription subscription);

// The event a step tells of; NOTIFICATION_EVENT_UNSPECIFIED for an update,
// which tells nobody.
v1::NotificationEvent EventOf(TicketStep step);

// Whether `subscription` hears of `event` about `ticket`: enabled, the
// event among its events (or none named), and its department in one of its
// parts of the ticket (or any part, none named).
bool Hears(const v1::Subscription& subscription, v1::NotificationEvent event,
           const v1::Ticket& ticket);

// The notification of `event` about `ticket` for `subscription`, PENDING,
// its idempotency key made of the ticket, the event, the ticket's etag (so
// a second step of the same kind is a new notification) and the
// subscription.
v1::Notification ComposeTicketNotification(v1::NotificationEvent event, const v1::Ticket& ticket,
                                           const v1::Subscription& subscription);

// How long delivery waits after `attempts` failed attempts: 1 s doubling
// each time, at most 10 minutes.
absl::Duration RetryDelay(int attempts);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_RULES_H_
