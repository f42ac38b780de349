// The outbox on the engine under test, fed by the real ticket store: each
// step writes its notifications in its own transaction, lamps and
// escalations are told once, and delivery claims, leases, retries, dead
// letters and replays keep each notification's key.
#include "services/supervision/notification_store.h"

#include <map>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/supervision/notification_rules.h"
#include "services/supervision/ticket_store.h"
#include "tests/support/status_matchers.h"
#include "tests/unit/services/supervision/test_stores.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::IsOkAndHolds;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;
using testing::At;
using testing::kAdmin;
using testing::kHousing;
using testing::kHousingEditor;
using testing::kOffice;
using testing::kOfficeEditor;

class NotificationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(stores_.Open(/*max_attempts=*/3), IsOk()); }

  void Subscribe(const std::string& id, const std::string& department,
                 std::vector<v1::DepartmentPart> parts = {}) {
    v1::CreateSubscriptionRequest request;
    request.set_subscription_id(id);
    v1::Subscription* subscription = request.mutable_subscription();
    subscription->set_display_name(id);
    subscription->set_department(department);
    subscription->set_enabled(true);
    for (v1::DepartmentPart part : parts) subscription->add_parts(part);
    subscription->mutable_webhook()->set_kind(v1::GENERIC_JSON);
    subscription->mutable_webhook()->set_url("https://robot.example/hook");
    subscription->mutable_webhook()->set_secret("secret");
    ASSERT_THAT(stores_.outbox->CreateSubscription(kAdmin, request).status(), IsOk());
  }

  absl::StatusOr<v1::Ticket> Issue(const std::string& id, int working_days) {
    v1::CreateTicketRequest request;
    request.set_ticket_id(id);
    request.mutable_ticket()->set_title("关于积水点整治的督办单");
    request.mutable_ticket()->mutable_subject()->set_matter("后湖片区积水点整治");
    request.mutable_ticket()->set_demand("汛前完成整治。");
    request.mutable_ticket()->set_assignee_department(kHousing);
    request.mutable_ticket()->set_time_limit_working_days(working_days);
    return stores_.tickets->Create(kOfficeEditor, request, [](v1::Subject* subject) {
      subject->set_display_name(subject->matter());
      return absl::OkStatus();
    });
  }

  // The events of the outbox, by subscription.
  std::map<std::string, std::vector<v1::NotificationEvent>> Told() {
    v1::ListNotificationsRequest request;
    request.set_page_size(1000);
    v1::ListNotificationsResponse response;
    EXPECT_THAT(stores_.outbox->ListNotifications(request, &response), IsOk());
    std::map<std::string, std::vector<v1::NotificationEvent>> told;
    // Newest first: read backwards for the order they were written.
    for (int i = response.notifications_size() - 1; i >= 0; --i) {
      told[response.notifications(i).subscription()].push_back(response.notifications(i).event());
    }
    return told;
  }

  testing::TestStores stores_;
};

TEST_F(NotificationStoreTest, EachDepartmentHearsOfItsPartsOnce) {
  Subscribe("housing", kHousing);
  Subscribe("office-as-issuer", kOffice, {v1::ISSUER});
  Subscribe("office-as-assignee", kOffice, {v1::ASSIGNEE});
  ASSERT_THAT(Issue("t1", 3).status(), IsOk());
  v1::AcceptTicketRequest accept;
  accept.set_name("tickets/t1");
  ASSERT_THAT(stores_.tickets->Accept(kHousingEditor, accept).status(), IsOk());
  // A refused step tells nobody: its transaction did not commit.
  EXPECT_THAT(stores_.tickets->Accept(kHousingEditor, accept).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // An update tells nobody either.
  v1::UpdateTicketRequest update;
  update.mutable_ticket()->set_name("tickets/t1");
  update.mutable_ticket()->set_demand("汛前完成整治并报送照片。");
  update.mutable_update_mask()->add_paths("demand");
  ASSERT_THAT(stores_.tickets->Update(kOfficeEditor, update).status(), IsOk());
  auto told = Told();
  EXPECT_THAT(told["subscriptions/housing"],
              ::testing::ElementsAre(v1::TICKET_ISSUED, v1::TICKET_ACCEPTED));
  EXPECT_THAT(told["subscriptions/office-as-issuer"],
              ::testing::ElementsAre(v1::TICKET_ISSUED, v1::TICKET_ACCEPTED));
  EXPECT_TRUE(told["subscriptions/office-as-assignee"].empty());

  // Due Thursday 6 March: YELLOW from the 4th, RED on the 7th, escalated on
  // the 11th (3 working days over). Each lamp is told once however often
  // the sweep runs.
  stores_.now = At(absl::CivilDay(2025, 3, 4));
  EXPECT_THAT(stores_.tickets->NoticeLamps(), IsOkAndHolds(1));  // one ticket told of
  EXPECT_THAT(stores_.tickets->NoticeLamps(), IsOkAndHolds(0));
  stores_.now = At(absl::CivilDay(2025, 3, 7));
  EXPECT_THAT(stores_.tickets->NoticeLamps(), IsOkAndHolds(1));
  stores_.now = At(absl::CivilDay(2025, 3, 11));
  EXPECT_THAT(stores_.tickets->EscalateOverdue(), IsOkAndHolds(1));
  EXPECT_THAT(stores_.tickets->NoticeLamps(), IsOkAndHolds(0));
  told = Told();
  EXPECT_THAT(told["subscriptions/housing"],
              ::testing::ElementsAre(v1::TICKET_ISSUED, v1::TICKET_ACCEPTED, v1::TICKET_YELLOW,
                                     v1::TICKET_RED, v1::TICKET_ESCALATED));
}

TEST_F(NotificationStoreTest, DeliveryClaimsRetriesDiesAndReplaysUnderOneKey) {
  Subscribe("housing", kHousing);
  ASSERT_THAT(Issue("t1", 3).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(std::vector<ClaimedNotification> claimed, stores_.outbox->ClaimDue(10));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(claimed[0].subscription.has_value());
  EXPECT_EQ(claimed[0].subscription->webhook().secret(), "secret");  // kept to sign with
  const std::string key = claimed[0].notification.idempotency_key();
  // Held by the lease: a second claim gets nothing until it runs out.
  EXPECT_THAT(stores_.outbox->ClaimDue(10), IsOkAndHolds(::testing::IsEmpty()));
  ASSERT_THAT(stores_.outbox->Settle(claimed[0], absl::UnavailableError("robot busy")), IsOk());
  // Due again a second later, then two seconds after the next failure.
  EXPECT_THAT(stores_.outbox->ClaimDue(10), IsOkAndHolds(::testing::IsEmpty()));
  stores_.now += absl::Seconds(1);
  ASSERT_OK_AND_ASSIGN(claimed, stores_.outbox->ClaimDue(10));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_THAT(stores_.outbox->Settle(claimed[0], absl::UnavailableError("robot busy")), IsOk());
  stores_.now += absl::Seconds(2);
  ASSERT_OK_AND_ASSIGN(claimed, stores_.outbox->ClaimDue(10));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_THAT(stores_.outbox->Settle(claimed[0], absl::UnavailableError("robot busy")), IsOk());
  // The third failure was the last attempt.
  v1::ListNotificationsRequest dead;
  dead.mutable_filter()->add_states(v1::DEAD);
  v1::ListNotificationsResponse letters;
  ASSERT_THAT(stores_.outbox->ListNotifications(dead, &letters), IsOk());
  ASSERT_EQ(letters.notifications_size(), 1);
  EXPECT_EQ(letters.notifications(0).attempts(), 3);
  EXPECT_EQ(letters.notifications(0).last_error(), "robot busy");
  stores_.now += absl::Hours(1);
  EXPECT_THAT(stores_.outbox->ClaimDue(10), IsOkAndHolds(::testing::IsEmpty()));
  // Replayed: due at once, under the same key; delivered, it stays so.
  v1::ReplayNotificationRequest replay;
  replay.set_name(letters.notifications(0).name());
  ASSERT_THAT(stores_.outbox->Replay(replay).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(claimed, stores_.outbox->ClaimDue(10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].notification.idempotency_key(), key);
  ASSERT_THAT(stores_.outbox->Settle(claimed[0], absl::OkStatus()), IsOk());
  EXPECT_THAT(stores_.outbox->Replay(replay).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is DELIVERED")));
  // A lease that ran out lets another replica claim: a late settle of the
  // first claim changes nothing once delivered.
  ASSERT_THAT(stores_.outbox->Settle(claimed[0], absl::UnavailableError("late")), IsOk());
  v1::ListNotificationsRequest all;
  v1::ListNotificationsResponse everything;
  ASSERT_THAT(stores_.outbox->ListNotifications(all, &everything), IsOk());
  EXPECT_EQ(everything.notifications(0).state(), v1::DELIVERED);
}

TEST_F(NotificationStoreTest, SubscriptionsAreKeptByTheirDepartment) {
  v1::CreateSubscriptionRequest request;
  request.mutable_subscription()->set_display_name("督办群");
  request.mutable_subscription()->set_department(kHousing);
  request.mutable_subscription()->mutable_webhook()->set_kind(v1::GENERIC_JSON);
  request.mutable_subscription()->mutable_webhook()->set_url("https://robot.example/hook");
  EXPECT_THAT(stores_.outbox->CreateSubscription(kHousingEditor, request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("subscription.webhook.secret: is required for GENERIC_JSON")));
  request.mutable_subscription()->mutable_webhook()->set_secret("s");
  EXPECT_THAT(stores_.outbox->CreateSubscription(kOfficeEditor, request).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Subscription made, stores_.outbox->CreateSubscription(kHousingEditor, request));
  EXPECT_EQ(made.webhook().secret(), "");
  EXPECT_TRUE(made.webhook().secret_set());
  v1::UpdateSubscriptionRequest move;
  move.mutable_subscription()->set_name(made.name());
  move.mutable_subscription()->set_department(kOffice);
  move.mutable_update_mask()->add_paths("department");
  EXPECT_THAT(stores_.outbox->UpdateSubscription(kAdmin, move).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("department")));
  v1::UpdateSubscriptionRequest to_mail;
  to_mail.mutable_subscription()->set_name(made.name());
  to_mail.mutable_subscription()->mutable_email()->add_to("li@housing.jiangan.gov.cn");
  to_mail.mutable_update_mask()->add_paths("email");
  ASSERT_OK_AND_ASSIGN(v1::Subscription mailed, stores_.outbox->UpdateSubscription(kHousingEditor, to_mail));
  EXPECT_TRUE(mailed.has_email());
  EXPECT_FALSE(mailed.has_webhook());
}

}  // namespace
}  // namespace jiangan::supervision
