// The rules' store on the engine under test: rules and their history, the
// days records were first seen in a condition, claims of scheduled slots,
// and the one open ticket a rule keeps per record.
#include "services/supervision/rule_store.h"

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/supervision/rule_rules.h"
#include "services/supervision/scheduled_runs.h"
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

class RuleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(stores_.Open(), IsOk()); }

  static v1::Rule Rule() {
    v1::Rule rule;
    rule.set_display_name("项目红灯自动督办");
    rule.set_condition(v1::PROJECT_RED);
    rule.set_in_condition_working_days(10);
    rule.set_time_limit_working_days(5);
    rule.set_demand("报送整改措施");
    rule.set_issuer_department("区委督查室");
    rule.set_enabled(true);
    return rule;
  }

  testing::TestStores stores_;
};

TEST_F(RuleStoreTest, KeepsRulesWithTheirHistory) {
  v1::CreateRuleRequest create;
  *create.mutable_rule() = Rule();
  create.mutable_rule()->set_time_limit_working_days(0);
  create.set_rule_id("red-projects");
  EXPECT_THAT(stores_.rules->Create(kAdmin, create).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rule.time_limit_working_days: must be 1 to 250")));
  create.mutable_rule()->set_time_limit_working_days(5);
  ASSERT_OK_AND_ASSIGN(v1::Rule made, stores_.rules->Create(kAdmin, create));
  EXPECT_EQ(made.name(), "rules/red-projects");
  EXPECT_EQ(made.priority(), v1::NORMAL);
  v1::UpdateRuleRequest update;
  update.mutable_rule()->set_name(made.name());
  update.mutable_rule()->set_enabled(false);
  update.mutable_rule()->set_etag("stale");
  update.mutable_update_mask()->add_paths("enabled");
  EXPECT_THAT(stores_.rules->Update(kAdmin, update).status(), StatusIs(absl::StatusCode::kAborted));
  update.mutable_rule()->set_etag(made.etag());
  ASSERT_THAT(stores_.rules->Update(kAdmin, update).status(), IsOk());
  EXPECT_THAT(stores_.rules->EnabledRules(), IsOkAndHolds(::testing::IsEmpty()));
  update.mutable_update_mask()->set_paths(0, "opened_ticket_count");
  EXPECT_THAT(stores_.rules->Update(kAdmin, update).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::ListRuleHistoryRequest history_request;
  history_request.set_parent(made.name());
  v1::ListRuleHistoryResponse history;
  ASSERT_THAT(stores_.rules->ListHistory(history_request, &history), IsOk());
  ASSERT_EQ(history.changes_size(), 2);
  EXPECT_EQ(history.changes(1).field_changes(0).field(), "enabled");
}

TEST_F(RuleStoreTest, RemembersSinceWhenARecordIsInTheConditionUntilItLeaves) {
  const absl::CivilDay monday(2025, 3, 3);
  ASSERT_OK_AND_ASSIGN(auto seen, stores_.rules->RecordSightings("rules/r", {"projects/a"}, monday));
  EXPECT_EQ(seen.at("projects/a"), monday);
  ASSERT_OK_AND_ASSIGN(seen,
                       stores_.rules->RecordSightings("rules/r", {"projects/a", "projects/b"}, monday + 2));
  EXPECT_EQ(seen.at("projects/a"), monday);
  EXPECT_EQ(seen.at("projects/b"), monday + 2);
  // a leaves, then comes back: it counts from its return.
  ASSERT_OK_AND_ASSIGN(seen, stores_.rules->RecordSightings("rules/r", {"projects/b"}, monday + 3));
  ASSERT_OK_AND_ASSIGN(seen,
                       stores_.rules->RecordSightings("rules/r", {"projects/a", "projects/b"}, monday + 4));
  EXPECT_EQ(seen.at("projects/a"), monday + 4);
  // Another rule keeps its own.
  ASSERT_OK_AND_ASSIGN(seen, stores_.rules->RecordSightings("rules/other", {"projects/a"}, monday + 7));
  EXPECT_EQ(seen.at("projects/a"), monday + 7);
}

TEST_F(RuleStoreTest, ASlotOfAJobIsClaimedOnce) {
  EXPECT_THAT(ClaimScheduledRun(stores_.writer.get(), "evaluate_rules", 42, "replica-a", stores_.now),
              IsOkAndHolds(true));
  EXPECT_THAT(ClaimScheduledRun(stores_.writer.get(), "evaluate_rules", 42, "replica-b", stores_.now),
              IsOkAndHolds(false));
  EXPECT_THAT(ClaimScheduledRun(stores_.writer.get(), "evaluate_rules", 43, "replica-b", stores_.now),
              IsOkAndHolds(true));
  EXPECT_THAT(ClaimScheduledRun(stores_.writer.get(), "daily_digest", 42, "replica-b", stores_.now),
              IsOkAndHolds(true));
}

TEST_F(RuleStoreTest, ARuleKeepsOneOpenTicketPerRecord) {
  v1::CreateRuleRequest create;
  *create.mutable_rule() = Rule();
  create.set_rule_id("red-projects");
  ASSERT_OK_AND_ASSIGN(v1::Rule rule, stores_.rules->Create(kAdmin, create));
  v1::Subject subject;
  subject.set_resource("projects/sanyang-road");
  subject.set_display_name("三阳路片区危旧房改造");
  subject.set_department(kHousing);
  ASSERT_OK_AND_ASSIGN(std::optional<v1::Ticket> first, stores_.tickets->OpenForRule(rule, subject));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->title(), "关于“三阳路片区危旧房改造”的督办单");
  EXPECT_EQ(first->rule(), rule.name());
  EXPECT_EQ(first->assignee_department(), kHousing);
  EXPECT_EQ(FormatDate(first->deadline()), "2025-03-10");
  EXPECT_THAT(stores_.tickets->OpenForRule(rule, subject), IsOkAndHolds(::testing::Eq(std::nullopt)));
  // Once closed, the record may get a new one.
  v1::CancelTicketRequest cancel;
  cancel.set_name(first->name());
  cancel.set_reason("已解除");
  ASSERT_THAT(stores_.tickets->Cancel(kAdmin, cancel).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(std::optional<v1::Ticket> second, stores_.tickets->OpenForRule(rule, subject));
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->name(), first->name());
}

}  // namespace
}  // namespace jiangan::supervision
