// Notifications end to end: the real binaries, a webhook receiver and an
// SMTP sink started by the test. Every step of a ticket reaches every
// subscribed channel, signed as each receiver checks; failures are retried
// with backoff and end as dead letters an ADMIN replays; and killing the
// service mid-delivery loses nothing and sends nothing twice but by its key.
#include <grpcpp/grpcpp.h>

#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/base/hmac.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiangan/supervision/v1/supervision.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/system_under_test.h"
#include "tests/support/test_database.h"

namespace jiangan {
namespace {

namespace v1 = supervision::v1;
using testing::kHousingDepartment;
using ::testing::HasSubstr;

constexpr char kReceivers[] = JIANGAN_SOURCE_DIR "/tests/support/receivers/";
constexpr char kGenericSecret[] = "the housing bureau's receiver secret";
constexpr char kRobotSecret[] = "SEC0123456789abcdef";

// A receiver script run by the test: where it records, and its port.
class Receiver {
 public:
  absl::Status Start(const std::string& script, std::vector<std::string> flags = {}) {
    const std::string dir = testing::MakeTempDir();
    record_ = absl::StrCat(dir, "/record.jsonl");
    std::vector<std::string> argv = {"python3", absl::StrCat(kReceivers, script),
                                     absl::StrCat("--record=", record_)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto process = testing::ChildProcess::Start(argv, absl::StrCat(dir, "/log"));
    if (!process.ok()) return process.status();
    process_ = *std::move(process);
    const bool up = process_->WaitUntil(
        [&] {
          const std::string log = process_->ReadLog();
          const size_t at = log.find("listening ");
          return at != std::string::npos &&
                 absl::SimpleAtoi(absl::StripAsciiWhitespace(log.substr(at + 10)), &port_);
        },
        absl::Seconds(10));
    return up ? absl::OkStatus()
              : absl::UnavailableError(absl::StrCat(script, ": ", process_->ReadLog()));
  }

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }

  // What it recorded so far, one Struct per request or message.
  std::vector<google::protobuf::Struct> Records() const {
    std::vector<google::protobuf::Struct> records;
    std::ifstream in(record_);
    std::string line;
    while (std::getline(in, line)) {
      google::protobuf::Struct record;
      if (google::protobuf::util::JsonStringToMessage(line, &record).ok()) {
        records.push_back(std::move(record));
      }
    }
    return records;
  }

 private:
  std::string record_;
  int port_ = 0;
  std::unique_ptr<testing::ChildProcess> process_;
};

std::string Field(const google::protobuf::Struct& record, const std::string& key) {
  const auto it = record.fields().find(key);
  return it == record.fields().end() ? "" : it->second.string_value();
}

std::string Header(const google::protobuf::Struct& record, const std::string& name) {
  const auto& headers = record.fields().at("headers").struct_value().fields();
  const auto it = headers.find(name);
  return it == headers.end() ? "" : it->second.string_value();
}

class NotificationSystemTest : public ::testing::Test {
 protected:
  // Starts the receivers, then the system delivering every 100 ms, with no
  // daily digest unless `more_flags` asks for one.
  void StartAll(std::vector<std::string> webhook_flags, std::vector<std::string> more_flags = {}) {
    ASSERT_TRUE(webhooks_.Start("webhook_receiver.py", std::move(webhook_flags)).ok());
    ASSERT_TRUE(mail_.Start("smtp_sink.py").ok());
    testing::SystemOptions options;
    options.supervision_flags = {"--delivery_interval=100ms", "--delivery_lease=2s",
                                 absl::StrCat("--smtp_url=smtp://127.0.0.1:", mail_.port()),
                                 "--smtp_from=dubang@jiangan.gov.cn", "--digest_hour=-1"};
    options.supervision_flags.insert(options.supervision_flags.end(), more_flags.begin(),
                                     more_flags.end());
    absl::Status started = system_.Start(options);
    ASSERT_TRUE(started.ok()) << started;
    stub_ = v1::SupervisionService::NewStub(system_.GatewayChannel());
  }

  void Subscribe(const std::string& id, v1::WebhookKind kind, const std::string& url,
                 const std::string& secret, const std::vector<v1::NotificationEvent>& events = {}) {
    v1::CreateSubscriptionRequest request;
    request.set_subscription_id(id);
    v1::Subscription* subscription = request.mutable_subscription();
    subscription->set_display_name(absl::StrCat("住建局 ", id));
    subscription->set_department(kHousingDepartment);
    subscription->set_enabled(true);
    for (v1::NotificationEvent event : events) subscription->add_events(event);
    subscription->mutable_webhook()->set_kind(kind);
    subscription->mutable_webhook()->set_url(url);
    subscription->mutable_webhook()->set_secret(secret);
    v1::Subscription made;
    const grpc::Status status =
        stub_->CreateSubscription(system_.CallAs("housing-editor").get(), request, &made);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(made.webhook().secret(), "");  // never shown
    EXPECT_EQ(made.webhook().secret_set(), !secret.empty());
  }

  void SubscribeByMail(const std::string& id) {
    v1::CreateSubscriptionRequest request;
    request.set_subscription_id(id);
    v1::Subscription* subscription = request.mutable_subscription();
    subscription->set_display_name("住建局督办邮箱");
    subscription->set_department(kHousingDepartment);
    subscription->set_enabled(true);
    subscription->add_parts(v1::ASSIGNEE);
    subscription->mutable_email()->add_to("dubang@housing.jiangan.gov.cn");
    v1::Subscription made;
    const grpc::Status status =
        stub_->CreateSubscription(system_.CallAs("housing-editor").get(), request, &made);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Issues, as the transport bureau, a ticket to the housing bureau.
  void Issue(const std::string& id) {
    v1::CreateTicketRequest request;
    request.set_ticket_id(id);
    v1::Ticket* ticket = request.mutable_ticket();
    ticket->set_title(absl::StrCat("关于", id, "积水点整治的督办单"));
    ticket->mutable_subject()->set_matter("后湖片区积水点整治");
    ticket->set_demand("汛前完成整治。");
    ticket->set_assignee_department(kHousingDepartment);
    ticket->set_time_limit_working_days(10);
    v1::Ticket issued;
    const grpc::Status status =
        stub_->CreateTicket(system_.CallAs("transport-editor").get(), request, &issued);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Waits until `ready` holds, up to `seconds`.
  static bool Eventually(const std::function<bool()>& ready, int seconds = 20) {
    const absl::Time end = absl::Now() + absl::Seconds(seconds);
    while (absl::Now() < end) {
      if (ready()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return ready();
  }

  std::vector<v1::Notification> Notifications(v1::DeliveryState state) {
    v1::ListNotificationsRequest request;
    request.set_page_size(1000);
    if (state != v1::DELIVERY_STATE_UNSPECIFIED) request.mutable_filter()->add_states(state);
    v1::ListNotificationsResponse response;
    const grpc::Status status =
        stub_->ListNotifications(system_.CallAs("admin").get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.notifications().begin(), response.notifications().end()};
  }

  Receiver webhooks_;
  Receiver mail_;
  testing::SystemUnderTest system_;
  std::unique_ptr<v1::SupervisionService::Stub> stub_;
};

TEST_F(NotificationSystemTest, EveryChannelHearsEachStepSignedAsItsReceiverChecks) {
  ASSERT_NO_FATAL_FAILURE(StartAll({}));
  Subscribe("generic", v1::GENERIC_JSON, webhooks_.url("/generic"), kGenericSecret);
  Subscribe("dingtalk", v1::DINGTALK, webhooks_.url("/robot/send?access_token=abc"), kRobotSecret,
            {v1::TICKET_ISSUED});
  Subscribe("feishu", v1::FEISHU, webhooks_.url("/open-apis/bot/v2/hook/x"), kRobotSecret,
            {v1::TICKET_ISSUED});
  Subscribe("wecom", v1::WECOM, webhooks_.url("/cgi-bin/webhook/send?key=k"), "",
            {v1::TICKET_ISSUED});
  SubscribeByMail("mail");
  ASSERT_NO_FATAL_FAILURE(Issue("houhu"));
  ASSERT_TRUE(Eventually([&] { return webhooks_.Records().size() >= 4 && !mail_.Records().empty(); }))
      << webhooks_.Records().size() << " posts, " << mail_.Records().size() << " mails";

  std::map<std::string, google::protobuf::Struct> by_path;
  for (const auto& record : webhooks_.Records()) by_path[Field(record, "path")] = record;
  // The generic receiver: the Notification, signed over the body.
  const auto& generic = by_path.at("/generic");
  const std::string body = Field(generic, "body");
  EXPECT_EQ(Header(generic, "x-jiangan-signature"),
            absl::StrCat("sha256=", HmacSha256Hex(kGenericSecret, body)));
  v1::Notification told;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &told).ok()) << body;
  EXPECT_EQ(told.event(), v1::TICKET_ISSUED);
  EXPECT_EQ(told.ticket(), "tickets/houhu");
  EXPECT_EQ(Header(generic, "idempotency-key"), told.idempotency_key());
  EXPECT_THAT(told.text(), HasSubstr("承办单位：区住房和城市更新局"));
  // 钉钉: markdown, 加签 in the query from the timestamp and the secret.
  const auto& dingtalk = by_path.at("/robot/send");
  const std::string query = Field(dingtalk, "query");
  EXPECT_THAT(query, HasSubstr("access_token=abc&timestamp="));
  std::string timestamp, sign;
  for (absl::string_view part : absl::StrSplit(query, '&')) {
    if (absl::ConsumePrefix(&part, "timestamp=")) timestamp = std::string(part);
    if (absl::ConsumePrefix(&part, "sign=")) sign = std::string(part);
  }
  const std::string expected_sign =
      absl::Base64Escape(HmacSha256(kRobotSecret, absl::StrCat(timestamp, "\n", kRobotSecret)));
  EXPECT_EQ(absl::StrReplaceAll(sign, {{"%2B", "+"}, {"%2F", "/"}, {"%3D", "="}}), expected_sign);
  EXPECT_EQ(sign.find_first_of("+/="), std::string::npos) << "sign is URL-encoded";
  EXPECT_THAT(Field(dingtalk, "body"), HasSubstr("\"msgtype\":\"markdown\""));
  // 飞书: text with timestamp and sign in the body.
  google::protobuf::Struct feishu;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  Field(by_path.at("/open-apis/bot/v2/hook/x"), "body"), &feishu)
                  .ok());
  const std::string feishu_time = Field(feishu, "timestamp");
  EXPECT_EQ(Field(feishu, "sign"),
            absl::Base64Escape(HmacSha256(absl::StrCat(feishu_time, "\n", kRobotSecret), "")));
  EXPECT_EQ(Field(feishu, "msg_type"), "text");
  // 企业微信: markdown.
  EXPECT_THAT(Field(by_path.at("/cgi-bin/webhook/send"), "body"),
              HasSubstr("\"msgtype\":\"markdown\""));
  // E-mail: a Message-ID from the key, the subject and text in UTF-8.
  const google::protobuf::Struct mail = mail_.Records().front();
  const std::string data = Field(mail, "data");
  EXPECT_THAT(data, HasSubstr("Message-ID: <"));
  EXPECT_THAT(data, HasSubstr("Subject: =?UTF-8?B?"));
  EXPECT_THAT(Field(mail, "from"), HasSubstr("dubang@jiangan.gov.cn"));

  // A step: the generic receiver, which hears of every event, hears of it.
  v1::AcceptTicketRequest accept;
  accept.set_name("tickets/houhu");
  v1::Ticket accepted;
  ASSERT_TRUE(stub_->AcceptTicket(system_.CallAs("housing-editor").get(), accept, &accepted).ok());
  ASSERT_TRUE(Eventually([&] {
    int accepted_posts = 0;
    for (const auto& record : webhooks_.Records()) {
      if (absl::StrContains(Field(record, "body"), "TICKET_ACCEPTED")) ++accepted_posts;
    }
    return accepted_posts == 1;
  }));
  // Nothing more for the robots subscribed to issues only.
  absl::SleepFor(absl::Milliseconds(500));
  int robot_posts = 0;
  for (const auto& record : webhooks_.Records()) {
    if (Field(record, "path") != "/generic") ++robot_posts;
  }
  EXPECT_EQ(robot_posts, 3);
  EXPECT_EQ(Notifications(v1::PENDING).size(), 0u);
}

TEST_F(NotificationSystemTest, FailuresAreRetriedThenDeadLettersAreReplayed) {
  ASSERT_NO_FATAL_FAILURE(StartAll({"--fail_first=2"}, {"--delivery_attempts=3"}));
  Subscribe("generic", v1::GENERIC_JSON, webhooks_.url("/generic"), kGenericSecret);
  // Nothing listens on a port just freed: every attempt fails.
  Subscribe("gone", v1::GENERIC_JSON,
            absl::StrCat("http://127.0.0.1:", testing::PickFreePort(), "/gone"), kGenericSecret);
  ASSERT_NO_FATAL_FAILURE(Issue("retry"));
  ASSERT_TRUE(Eventually([&] { return Notifications(v1::DEAD).size() == 1; }));
  ASSERT_TRUE(Eventually([&] { return Notifications(v1::DELIVERED).size() == 1; }));
  const v1::Notification delivered = Notifications(v1::DELIVERED).front();
  EXPECT_EQ(delivered.subscription(), "subscriptions/generic");
  EXPECT_EQ(delivered.attempts(), 3);  // two refusals, then taken
  EXPECT_EQ(webhooks_.Records().size(), 1u);
  const v1::Notification dead = Notifications(v1::DEAD).front();
  EXPECT_EQ(dead.subscription(), "subscriptions/gone");
  EXPECT_EQ(dead.attempts(), 3);
  EXPECT_FALSE(dead.last_error().empty());

  // Only an ADMIN sees the outbox; replaying a dead letter after its
  // receiver is fixed delivers it, with its key kept.
  v1::ListNotificationsResponse refused;
  EXPECT_EQ(stub_->ListNotifications(system_.CallAs("housing-editor").get(),
                                     v1::ListNotificationsRequest(), &refused)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateSubscriptionRequest fix;
  fix.mutable_subscription()->set_name("subscriptions/gone");
  fix.mutable_subscription()->mutable_webhook()->set_kind(v1::GENERIC_JSON);
  fix.mutable_subscription()->mutable_webhook()->set_url(webhooks_.url("/fixed"));
  fix.mutable_update_mask()->add_paths("webhook");
  v1::Subscription fixed;
  grpc::Status status =
      stub_->UpdateSubscription(system_.CallAs("housing-editor").get(), fix, &fixed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(fixed.webhook().secret_set());  // the secret kept
  v1::ReplayNotificationRequest replay;
  replay.set_name(dead.name());
  v1::Notification replayed;
  status = stub_->ReplayNotification(system_.CallAs("admin").get(), replay, &replayed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(replayed.state(), v1::PENDING);
  status = stub_->ReplayNotification(system_.CallAs("admin").get(), replay, &replayed);
  EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Eventually([&] { return Notifications(v1::DELIVERED).size() == 2; }));
  bool fixed_got_it = false;
  for (const auto& record : webhooks_.Records()) {
    if (Field(record, "path") == "/fixed") {
      fixed_got_it = Header(record, "idempotency-key") == dead.idempotency_key();
    }
  }
  EXPECT_TRUE(fixed_got_it);
}

TEST_F(NotificationSystemTest, KillingTheServiceMidDeliveryLosesNothing) {
  // A slow receiver, so that the kill lands while posts are in flight.
  ASSERT_NO_FATAL_FAILURE(StartAll({"--delay_ms=40"}));
  Subscribe("generic", v1::GENERIC_JSON, webhooks_.url("/generic"), kGenericSecret,
            {v1::TICKET_ISSUED});
  constexpr int kTickets = 60;
  for (int i = 0; i < kTickets; ++i) ASSERT_NO_FATAL_FAILURE(Issue(absl::StrCat("t", i)));
  ASSERT_TRUE(Eventually([&] { return webhooks_.Records().size() >= 10; }));
  testing::Endpoint& supervision = system_.service("supervision");
  ASSERT_TRUE(supervision.process->SignalAndWait(SIGKILL, absl::Seconds(5)).ok());
  const size_t before_restart = webhooks_.Records().size();
  ASSERT_TRUE(system_.Restart(&supervision).ok());
  auto db = system_.database("supervision").Connect();
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Eventually(
      [&] {
        return testing::QueryInt64(db->get(), "SELECT COUNT(*) FROM notifications WHERE state = 2") ==
               kTickets;
      },
      40));
  // Every notification arrived (by key), each ticket's under one key.
  std::map<std::string, int> times_by_key;
  std::map<std::string, std::set<std::string>> keys_by_ticket;
  for (const auto& record : webhooks_.Records()) {
    const std::string key = Header(record, "idempotency-key");
    ++times_by_key[key];
    v1::Notification told;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(Field(record, "body"), &told).ok());
    keys_by_ticket[told.ticket()].insert(key);
  }
  int repeated = 0;
  for (const auto& [key, times] : times_by_key) repeated += times - 1;
  EXPECT_EQ(times_by_key.size(), static_cast<size_t>(kTickets)) << "lost notifications";
  for (const auto& [ticket, keys] : keys_by_ticket) EXPECT_EQ(keys.size(), 1u) << ticket;
  EXPECT_EQ(testing::QueryInt64(db->get(), "SELECT COUNT(*) FROM notifications"), kTickets);
  // The figures of the crash, for the record.
  std::cout << "kill -9 mid-delivery: " << kTickets << " notifications, " << before_restart
            << " posts before the kill, " << times_by_key.size() << " keys received (lost "
            << kTickets - static_cast<int>(times_by_key.size()) << "), duplicated by key 0, "
            << repeated << " repeat posts of a key the receiver drops\n";
}

TEST_F(NotificationSystemTest, EachDepartmentGetsOneDigestADay) {
  // Digests from midnight on: due at once, whatever the hour.
  ASSERT_NO_FATAL_FAILURE(StartAll({}, {"--digest_hour=0"}));
  Subscribe("digest", v1::GENERIC_JSON, webhooks_.url("/digest"), kGenericSecret,
            {v1::DAILY_DIGEST});
  ASSERT_NO_FATAL_FAILURE(Issue("digest-1"));
  // The service checks every minute; restarting it runs the check at once.
  testing::Endpoint& supervision = system_.service("supervision");
  ASSERT_TRUE(supervision.process->SignalAndWait(SIGTERM, absl::Seconds(30)).ok());
  ASSERT_TRUE(system_.Restart(&supervision).ok());
  ASSERT_TRUE(Eventually([&] { return !webhooks_.Records().empty(); }));
  v1::Notification digest;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  Field(webhooks_.Records().front(), "body"), &digest)
                  .ok());
  EXPECT_EQ(digest.event(), v1::DAILY_DIGEST);
  EXPECT_THAT(digest.title(), HasSubstr("【督办日报】区住房和城市更新局"));
  EXPECT_THAT(digest.text(), HasSubstr("绿灯 1 件"));
  // Restarted again the same day: no second digest.
  ASSERT_TRUE(supervision.process->SignalAndWait(SIGTERM, absl::Seconds(30)).ok());
  ASSERT_TRUE(system_.Restart(&supervision).ok());
  absl::SleepFor(absl::Seconds(3));
  EXPECT_EQ(webhooks_.Records().size(), 1u);
}

}  // namespace
}  // namespace jiangan
