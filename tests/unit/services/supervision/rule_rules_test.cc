// The rules of the rules: their fields, masks, and the ticket a rule opens.
#include "services/supervision/rule_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

v1::Rule Rule() {
  v1::Rule rule;
  rule.set_name("rules/red-targets");
  rule.set_display_name("目标连续10个工作日红灯自动督办");
  rule.set_condition(v1::TARGET_RED);
  rule.set_in_condition_working_days(10);
  rule.set_time_limit_working_days(5);
  rule.set_demand("请说明原因并报送追赶措施。");
  rule.set_issuer_department("区委督查室");
  rule.set_issuing_leader("王区长");
  rule.set_escalate_to("李书记");
  ApplyRuleDefaults(&rule);
  return rule;
}

TEST(RuleRulesTest, ChecksEveryField) {
  EXPECT_THAT(ValidateRule(Rule()), IsOk());
  v1::Rule rule = Rule();
  rule.set_condition(v1::RULE_CONDITION_UNSPECIFIED);
  EXPECT_THAT(ValidateRule(rule),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule.condition")));
  rule = Rule();
  rule.set_in_condition_working_days(-1);
  EXPECT_THAT(ValidateRule(rule),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rule.in_condition_working_days: must be 0 to 250, got -1")));
  rule = Rule();
  rule.clear_issuer_department();
  EXPECT_THAT(ValidateRule(rule), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("rule.issuer_department")));
  rule = Rule();
  rule.clear_demand();
  EXPECT_THAT(ValidateRule(rule),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule.demand")));
  google::protobuf::FieldMask mask;
  mask.add_paths("last_evaluate_time");
  EXPECT_THAT(CheckRuleUpdateMask(mask), StatusIs(absl::StatusCode::kInvalidArgument));
  mask.set_paths(0, "enabled");
  EXPECT_THAT(CheckRuleUpdateMask(mask), IsOk());
}

TEST(RuleRulesTest, OpensATicketToTheRecordsDepartmentInTheIssuersName) {
  v1::Subject subject;
  subject.set_resource("targets/expropriation-signed");
  subject.set_display_name("征收签约59万平方米");
  subject.set_department("区征收中心");
  const v1::Ticket ticket = TicketForRule(Rule(), subject);
  EXPECT_EQ(ticket.title(), "关于“征收签约59万平方米”的督办单");
  EXPECT_EQ(ticket.assignee_department(), "区征收中心");
  EXPECT_EQ(ticket.issuer_department(), "区委督查室");
  EXPECT_EQ(ticket.issuing_leader(), "王区长");
  EXPECT_EQ(ticket.escalate_to(), "李书记");
  EXPECT_EQ(ticket.time_limit_working_days(), 5);
  EXPECT_EQ(ticket.priority(), v1::NORMAL);
  EXPECT_EQ(ticket.rule(), "rules/red-targets");
  EXPECT_EQ(ticket.subject().resource(), "targets/expropriation-signed");
  // A name too long for a title leaves the rule's.
  subject.set_display_name(std::string(300, 'x'));
  EXPECT_EQ(TicketForRule(Rule(), subject).title(), "目标连续10个工作日红灯自动督办");
}

}  // namespace
}  // namespace jiangan::supervision
