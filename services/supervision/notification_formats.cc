#include "services/supervision/notification_formats.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/hmac.h"
#include "common/base/logging.h"
#include "google/protobuf/util/json_util.h"

namespace jiangan::supervision {
namespace {

// `text` inside a JSON string.
std::string Json(absl::string_view text) { return absl::StrCat("\"", JsonEscape(text), "\""); }

// `value` for a URL's query (RFC 3986 unreserved kept).
std::string UrlEncoded(absl::string_view value) {
  std::string encoded;
  for (unsigned char c : value) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&encoded, "%", absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad2))));
    }
  }
  return encoded;
}

// Base64 in lines of 76 characters, as MIME wants.
std::string Wrapped(absl::string_view base64) {
  std::string lines;
  for (size_t at = 0; at < base64.size(); at += 76) {
    absl::StrAppend(&lines, base64.substr(at, 76), "\r\n");
  }
  return lines;
}

}  // namespace

WebhookPost FormatWebhook(const v1::Webhook& webhook, const v1::Notification& notification,
                          absl::Time now) {
  WebhookPost post;
  post.url = webhook.url();
  post.headers = {"Content-Type: application/json; charset=utf-8",
                  absl::StrCat("Idempotency-Key: ", notification.idempotency_key())};
  const std::string& secret = webhook.secret();
  switch (webhook.kind()) {
    case v1::WECOM:
      post.body = absl::StrCat(R"({"msgtype":"markdown","markdown":{"content":)",
                               Json(absl::StrCat("**", notification.title(), "**\n",
                                                 notification.text())),
                               "}}");
      break;
    case v1::DINGTALK: {
      post.body = absl::StrCat(R"({"msgtype":"markdown","markdown":{"title":)",
                               Json(notification.title()), R"(,"text":)",
                               Json(absl::StrCat("### ", notification.title(), "\n\n",
                                                 absl::StrReplaceAll(notification.text(),
                                                                     {{"\n", "\n\n"}}))),
                               "}}");
      if (!secret.empty()) {
        // 加签: HMAC-SHA256 of "{ms}\n{secret}" under the secret, base64.
        const std::string timestamp = absl::StrCat(absl::ToUnixMillis(now));
        const std::string sign =
            absl::Base64Escape(HmacSha256(secret, absl::StrCat(timestamp, "\n", secret)));
        absl::StrAppend(&post.url, post.url.find('?') == std::string::npos ? "?" : "&",
                        "timestamp=", timestamp, "&sign=", UrlEncoded(sign));
      }
      break;
    }
    case v1::FEISHU: {
      std::string signature;
      if (!secret.empty()) {
        // 签名校验: HMAC-SHA256 of nothing under "{s}\n{secret}", base64.
        const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(now));
        signature = absl::StrCat(R"("timestamp":)", Json(timestamp), R"(,"sign":)",
                                 Json(absl::Base64Escape(
                                     HmacSha256(absl::StrCat(timestamp, "\n", secret), ""))),
                                 ",");
      }
      post.body = absl::StrCat("{", signature, R"("msg_type":"text","content":{"text":)",
                               Json(absl::StrCat(notification.title(), "\n", notification.text())),
                               "}}");
      break;
    }
    default: {  // GENERIC_JSON
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = false;
      (void)google::protobuf::util::MessageToJsonString(notification, &post.body, options);
      post.headers.push_back(absl::StrCat("X-Jiangan-Timestamp: ", absl::ToUnixSeconds(now)));
      post.headers.push_back(
          absl::StrCat("X-Jiangan-Signature: sha256=", HmacSha256Hex(secret, post.body)));
      break;
    }
  }
  return post;
}

std::string FormatEmail(const v1::EmailChannel& email, const v1::Notification& notification,
                        const std::string& from, absl::Time now) {
  // Body lines never start a lone "." (SMTP's end of data); libcurl dot-
  // stuffs as well.
  std::string body = absl::StrReplaceAll(notification.text(), {{"\r\n", "\n"}});
  body = absl::StrReplaceAll(body, {{"\n", "\r\n"}});
  return absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()), "\r\n",
      "From: ", from, "\r\n",
      "To: ", absl::StrJoin(email.to(), ", "), "\r\n",
      "Message-ID: <", Sha256Hex(notification.idempotency_key()), "@jiangan-portfolio>\r\n",
      "X-Idempotency-Key: ", notification.idempotency_key(), "\r\n",
      "Subject: =?UTF-8?B?", absl::Base64Escape(notification.title()), "?=\r\n",
      "MIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\n",
      "Content-Transfer-Encoding: base64\r\n",
      "\r\n", Wrapped(absl::Base64Escape(body)));
}

}  // namespace jiangan::supervision
