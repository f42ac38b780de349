#include "services/supervision/notification_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/supervision/notification_formats.h"

namespace jiangan::supervision {
namespace {

absl::once_flag curl_once;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Curl = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, ListDeleter>;

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// Feeds an e-mail to libcurl's SMTP upload.
struct Upload {
  std::string data;
  size_t at = 0;
};
size_t Feed(char* buffer, size_t size, size_t count, void* in) {
  auto* upload = static_cast<Upload*>(in);
  const size_t n = std::min(size * count, upload->data.size() - upload->at);
  std::memcpy(buffer, upload->data.data() + upload->at, n);
  upload->at += n;
  return n;
}

Curl NewCurl(absl::Duration timeout) {
  absl::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Curl curl(curl_easy_init());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  return curl;
}

// Whether a robot's answer reports an error in its body despite HTTP 200
// (企业微信 and 钉钉 say "errcode", 飞书 "code"; 0 is success).
bool RobotRefused(absl::string_view answer) {
  const std::string compact = absl::StrReplaceAll(answer, {{" ", ""}});
  if (absl::StrContains(compact, "\"errcode\":")) return !absl::StrContains(compact, "\"errcode\":0");
  if (absl::StrContains(compact, "\"code\":")) return !absl::StrContains(compact, "\"code\":0");
  return false;
}

}  // namespace

NotificationSender::NotificationSender(SmtpSettings smtp, absl::Duration timeout)
    : smtp_(std::move(smtp)), timeout_(timeout) {}

absl::Status NotificationSender::Deliver(const v1::Subscription& subscription,
                                         const v1::Notification& notification) const {
  if (subscription.has_webhook()) return Post(subscription.webhook(), notification);
  if (subscription.has_email()) return Mail(subscription.email(), notification);
  return absl::FailedPreconditionError(
      absl::StrCat(subscription.name(), " has no channel to deliver to"));
}

absl::Status NotificationSender::Post(const v1::Webhook& webhook,
                                      const v1::Notification& notification) const {
  const WebhookPost post = FormatWebhook(webhook, notification, absl::Now());
  Curl curl = NewCurl(timeout_);
  CurlList headers;
  for (const std::string& header : post.headers) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  std::string answer;
  curl_easy_setopt(curl.get(), CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post.body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(post.body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  const CURLcode result = curl_easy_perform(curl.get());
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("webhook ", webhook.url(), ": ", curl_easy_strerror(result)));
  }
  long code = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code >= 300 || RobotRefused(answer)) {
    return absl::UnavailableError(absl::StrCat("webhook ", webhook.url(), " answered ", code,
                                               ": ", answer.substr(0, 200)));
  }
  return absl::OkStatus();
}

absl::Status NotificationSender::Mail(const v1::EmailChannel& email,
                                      const v1::Notification& notification) const {
  if (smtp_.url.empty()) {
    return absl::FailedPreconditionError(
        "e-mail: this server has no --smtp_url to send through");
  }
  Upload upload{FormatEmail(email, notification, smtp_.from, absl::Now())};
  Curl curl = NewCurl(timeout_);
  CurlList recipients;
  for (const std::string& to : email.to()) {
    recipients.reset(curl_slist_append(recipients.release(), absl::StrCat("<", to, ">").c_str()));
  }
  const std::string from = absl::StrCat("<", smtp_.from, ">");
  curl_easy_setopt(curl.get(), CURLOPT_URL, smtp_.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!smtp_.username.empty()) {
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, smtp_.username.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, smtp_.password.c_str());
  }
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, Feed);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  const CURLcode result = curl_easy_perform(curl.get());
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("e-mail via ", smtp_.url, ": ", curl_easy_strerror(result)));
  }
  return absl::OkStatus();
}

}  // namespace jiangan::supervision
