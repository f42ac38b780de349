// What a notification looks like on each channel: the JSON each group
// robot takes (企业微信, 钉钉, 飞书) with its signature where it has one,
// the signed JSON of a generic webhook, and the e-mail message (RFC 5322,
// UTF-8 subject encoded by RFC 2047). Pure: the time is given.
#ifndef JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_FORMATS_H_
#define JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_FORMATS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// An HTTP POST to make.
struct WebhookPost {
  std::string url;
  // "Name: value" lines.
  std::vector<std::string> headers;
  std::string body;
};

// The POST that delivers `notification` to `webhook` at `now`. Every one
// carries `Idempotency-Key: {key}`; GENERIC_JSON also
// `X-Jiangan-Signature: sha256={hex HMAC-SHA256 of the body under the
// secret}`.
WebhookPost FormatWebhook(const v1::Webhook& webhook, const v1::Notification& notification,
                          absl::Time now);

// The e-mail delivering `notification` to `email`'s addresses from `from`
// at `now`; its Message-ID is made of the idempotency key, so a mail
// system can drop a repeat.
std::string FormatEmail(const v1::EmailChannel& email, const v1::Notification& notification,
                        const std::string& from, absl::Time now);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_NOTIFICATION_FORMATS_H_
