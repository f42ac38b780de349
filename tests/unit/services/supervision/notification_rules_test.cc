// What subscriptions may say and hear, what each channel's message looks
// like and how it is signed, and how long a retry waits.
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/base/hmac.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/supervision/notification_formats.h"
#include "services/supervision/notification_rules.h"
#include "tests/support/status_matchers.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

v1::Ticket Ticket() {
  v1::Ticket ticket;
  ticket.set_name("tickets/houhu");
  ticket.set_title("关于积水点整治的督办单");
  ticket.mutable_subject()->set_display_name("后湖片区积水点整治");
  ticket.set_issuer_department("区委督查室");
  ticket.set_assignee_department("区住房和城市更新局");
  ticket.add_co_departments("区水务和湖泊局");
  ticket.mutable_deadline()->set_year(2025);
  ticket.mutable_deadline()->set_month(3);
  ticket.mutable_deadline()->set_day(10);
  ticket.set_etag("abc123");
  return ticket;
}

v1::Subscription Subscription(const std::string& department) {
  v1::Subscription subscription;
  subscription.set_name("subscriptions/s");
  subscription.set_display_name("群机器人");
  subscription.set_department(department);
  subscription.set_enabled(true);
  subscription.mutable_webhook()->set_kind(v1::GENERIC_JSON);
  subscription.mutable_webhook()->set_url("https://robot.example/hook");
  subscription.mutable_webhook()->set_secret("secret");
  return subscription;
}

TEST(NotificationRulesTest, ADepartmentHearsOfTheTicketsItHasAPartIn) {
  v1::Subscription water = Subscription("区水务和湖泊局");
  EXPECT_TRUE(Hears(water, v1::TICKET_ISSUED, Ticket()));  // as co-department
  water.add_parts(v1::ASSIGNEE);
  EXPECT_FALSE(Hears(water, v1::TICKET_ISSUED, Ticket()));
  v1::Subscription housing = Subscription("区住房和城市更新局");
  housing.add_events(v1::TICKET_RED);
  EXPECT_FALSE(Hears(housing, v1::TICKET_ISSUED, Ticket()));
  EXPECT_TRUE(Hears(housing, v1::TICKET_RED, Ticket()));
  housing.set_enabled(false);
  EXPECT_FALSE(Hears(housing, v1::TICKET_RED, Ticket()));
  EXPECT_FALSE(Hears(Subscription("区商务局"), v1::TICKET_ISSUED, Ticket()));
}

TEST(NotificationRulesTest, EachNotificationHasItsOwnKey) {
  const v1::Subscription housing = Subscription("区住房和城市更新局");
  const v1::Notification issued = ComposeTicketNotification(v1::TICKET_ISSUED, Ticket(), housing);
  EXPECT_EQ(issued.idempotency_key(), "tickets/houhu/TICKET_ISSUED/abc123/subscriptions/s");
  EXPECT_THAT(issued.title(), HasSubstr("已下发"));
  EXPECT_THAT(issued.text(), HasSubstr("办理时限：2025-03-10"));
  v1::Ticket responded_again = Ticket();
  responded_again.set_etag("def456");
  EXPECT_NE(ComposeTicketNotification(v1::TICKET_RESPONDED, Ticket(), housing).idempotency_key(),
            ComposeTicketNotification(v1::TICKET_RESPONDED, responded_again, housing)
                .idempotency_key());
}

TEST(NotificationRulesTest, RetriesBackOffToTenMinutes) {
  EXPECT_EQ(RetryDelay(1), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(2), absl::Seconds(2));
  EXPECT_EQ(RetryDelay(5), absl::Seconds(16));
  EXPECT_EQ(RetryDelay(30), absl::Minutes(10));
}

TEST(NotificationRulesTest, RefusesSubscriptionsThatCannotBeDelivered) {
  EXPECT_THAT(ValidateSubscription(Subscription("区住房和城市更新局")), IsOk());
  v1::Subscription subscription = Subscription("区住房和城市更新局");
  subscription.mutable_webhook()->set_url("ftp://robot.example");
  EXPECT_THAT(ValidateSubscription(subscription),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("subscription.webhook.url: must be an http or https URL")));
  subscription.clear_webhook();
  EXPECT_THAT(ValidateSubscription(subscription),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("set a channel")));
  subscription.mutable_email()->add_to("not an address");
  EXPECT_THAT(ValidateSubscription(subscription),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subscription.email.to[0]")));
  subscription.mutable_email()->set_to(0, "li@housing.jiangan.gov.cn\r\nBcc: x@evil.example");
  EXPECT_THAT(ValidateSubscription(subscription),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subscription.email.to[0]")));
}

TEST(NotificationFormatsTest, SignsAsEachRobotChecks) {
  v1::Notification notification = ComposeTicketNotification(
      v1::TICKET_ISSUED, Ticket(), Subscription("区住房和城市更新局"));
  const absl::Time now = absl::FromUnixMillis(1735689600123);
  v1::Webhook webhook;
  webhook.set_kind(v1::DINGTALK);
  webhook.set_url("https://oapi.dingtalk.com/robot/send?access_token=t");
  webhook.set_secret("SECxyz");
  WebhookPost post = FormatWebhook(webhook, notification, now);
  const std::string sign = absl::Base64Escape(HmacSha256("SECxyz", "1735689600123\nSECxyz"));
  EXPECT_THAT(post.url, HasSubstr("access_token=t&timestamp=1735689600123&sign="));
  EXPECT_THAT(post.url, ::testing::EndsWith(absl::StrCat(
                           "&sign=", absl::StrReplaceAll(
                                         sign, {{"+", "%2B"}, {"/", "%2F"}, {"=", "%3D"}}))));
  EXPECT_THAT(post.body, HasSubstr(R"("msgtype":"markdown")"));
  EXPECT_THAT(post.headers, ::testing::Contains(absl::StrCat("Idempotency-Key: ",
                                                             notification.idempotency_key())));
  webhook.set_kind(v1::FEISHU);
  post = FormatWebhook(webhook, notification, now);
  EXPECT_THAT(post.body, HasSubstr(absl::StrCat(
                             R"("timestamp":"1735689600","sign":")",
                             absl::Base64Escape(HmacSha256("1735689600\nSECxyz", "")), "\"")));
  webhook.set_kind(v1::WECOM);
  post = FormatWebhook(webhook, notification, now);
  EXPECT_EQ(post.url, webhook.url());
  EXPECT_THAT(post.body, HasSubstr(R"({"msgtype":"markdown","markdown":{"content":"**【督办】)"));
  webhook.set_kind(v1::GENERIC_JSON);
  post = FormatWebhook(webhook, notification, now);
  EXPECT_THAT(post.headers, ::testing::Contains(absl::StrCat(
                                "X-Jiangan-Signature: sha256=", HmacSha256Hex("SECxyz", post.body))));
  EXPECT_THAT(post.body, HasSubstr(R"("event":"TICKET_ISSUED")"));
}

TEST(NotificationFormatsTest, WritesAnEmailAMailSystemCanDeduplicate) {
  v1::Notification notification = ComposeTicketNotification(
      v1::TICKET_RED, Ticket(), Subscription("区住房和城市更新局"));
  v1::EmailChannel email;
  email.add_to("li@housing.jiangan.gov.cn");
  email.add_to("wang@housing.jiangan.gov.cn");
  const std::string mail =
      FormatEmail(email, notification, "dubang@jiangan.gov.cn", absl::FromUnixSeconds(0));
  EXPECT_THAT(mail, HasSubstr("To: li@housing.jiangan.gov.cn, wang@housing.jiangan.gov.cn\r\n"));
  EXPECT_THAT(mail, HasSubstr(absl::StrCat("Message-ID: <", Sha256Hex(notification.idempotency_key()),
                                           "@jiangan-portfolio>\r\n")));
  EXPECT_THAT(mail, HasSubstr(absl::StrCat("Subject: =?UTF-8?B?",
                                           absl::Base64Escape(notification.title()), "?=")));
  // Body lines of base64 at most 76 characters.
  const std::string body = mail.substr(mail.find("\r\n\r\n") + 4);
  for (absl::string_view line : absl::StrSplit(body, "\r\n")) EXPECT_LE(line.size(), 76u);
}

}  // namespace
}  // namespace jiangan::supervision
