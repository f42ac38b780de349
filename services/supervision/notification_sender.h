// Delivers notifications: an HTTP POST to a webhook, or an e-mail through
// an SMTP server, both by libcurl. A delivery succeeds when the receiver
// took it (a 2xx answer whose robot error code, if any, is 0; the SMTP
// server's acceptance).
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SENDER_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SENDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

struct SmtpSettings {
  // The server, e.g. "smtp://mail.jiangan.gov.cn:587" (STARTTLS when the
  // server offers it) or "smtps://...:465"; empty: e-mail subscriptions
  // fail with that reason.
  std::string url;
  // The sender address, e.g. "dubang@jiangan.gov.cn".
  std::string from;
  // Credentials, when the server asks for them.
  std::string username;
  std::string password;
};

class NotificationSender {
 public:
  NotificationSender(SmtpSettings smtp, absl::Duration timeout);

  // Delivers `notification` to `subscription`'s channel; UNAVAILABLE with
  // the receiver's answer when it did not take it.
  absl::Status Deliver(const v1::Subscription& subscription,
                       const v1::Notification& notification) const;

 private:
  absl::Status Post(const v1::Webhook& webhook, const v1::Notification& notification) const;
  absl::Status Mail(const v1::EmailChannel& email, const v1::Notification& notification) const;

  const SmtpSettings smtp_;
  const absl::Duration timeout_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_SENDER_H_
