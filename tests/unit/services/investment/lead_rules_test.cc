// The investment office's pure rules: company names, USCCs, stages and their
// facts, funds entries, activities and attention, with no I/O.
#include "services/investment/lead_rules.h"

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/investment/attention.h"
#include "services/investment/company_name.h"
#include "tests/support/status_matchers.h"

namespace jiangan::investment {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2024, 6, 15);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2024, 6, 15, 10, 0, 0), ChinaTimeZone());

v1::Lead Valid() {
  v1::Lead lead;
  lead.set_display_name("苏美达华中区域总部落户");
  lead.set_industry(v1::HEADQUARTERS_ECONOMY);
  lead.set_stage(v1::LEAD);
  return lead;
}

TEST(CompanyNameTest, NormalizesWidthBracketsSpacesCaseAndLegalSuffixes) {
  EXPECT_EQ(NormalizeCompanyName("苏美达（华中）有限公司"), "苏美达华中");
  EXPECT_EQ(NormalizeCompanyName("苏美达 (华中) 有限责任公司"), "苏美达华中");
  EXPECT_EQ(NormalizeCompanyName("ＡＢＣ科技股份有限公司"), "abc科技");
  EXPECT_EQ(NormalizeCompanyName("三峡【集团】股份"), "三峡集团");
  // A name that is only a suffix keeps it, rather than becoming empty.
  EXPECT_EQ(NormalizeCompanyName("有限公司"), "有限公司");
}

TEST(CompanyNameTest, SimilarityIsTheDiceOfBigrams) {
  EXPECT_EQ(SimilarityPercent("苏美达华中", "苏美达华中"), 100);
  EXPECT_EQ(SimilarityPercent("苏美达华中", "苏美达华南"), 75);  // 3 of 4 bigrams
  EXPECT_EQ(SimilarityPercent("苏美达华中", "泰康金融"), 0);
  EXPECT_EQ(SimilarityPercent("", "泰康"), 0);
}

TEST(CompanyNameTest, UsccCheckCharacterFollowsGb32100) {
  EXPECT_THAT(CheckUscc("uscc", "91350100M000100Y43"), IsOk());
  EXPECT_THAT(CheckUscc("uscc", "91110000802100433B"), IsOk());
  EXPECT_THAT(CheckUscc("uscc", "91350100M000100Y44"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "uscc: check character is '4' but GB 32100-2015 gives '3' for "
                       "91350100M000100Y4"));
  EXPECT_THAT(CheckUscc("uscc", "91350100M00010"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                            HasSubstr("must be 18 characters")));
  EXPECT_THAT(CheckUscc("uscc", "91350100I000100Y43"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("character 9 'I'")));
}

TEST(LeadRulesTest, FieldRulesNameTheField) {
  EXPECT_THAT(ValidateLead(Valid(), kToday), IsOk());
  v1::Lead lead = Valid();
  lead.set_industry(v1::INDUSTRY_UNSPECIFIED);
  EXPECT_THAT(ValidateLead(lead, kToday), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("lead.industry")));
  lead = Valid();
  lead.set_channel(v1::STATIONED_TEAM);
  EXPECT_THAT(ValidateLead(lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lead.station_city")));
  lead.set_station_city("深圳");
  EXPECT_THAT(ValidateLead(lead, kToday), IsOk());
  lead.set_fund("江岸产业发展基金");
  EXPECT_THAT(ValidateLead(lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "lead.fund: only with channel FUND, not STATIONED_TEAM"));
  lead = Valid();
  for (int i = 0; i < 4; ++i) lead.mutable_team()->add_stationed_cadres("干部");
  EXPECT_THAT(ValidateLead(lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "lead.team.stationed_cadres: at most 3, got 4"));
  lead = Valid();
  lead.mutable_company()->set_contact_phone("call me");
  EXPECT_THAT(ValidateLead(lead, kToday), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("lead.company.contact_phone")));
  lead = Valid();
  lead.set_signed_investment_usd(1000);
  lead.set_usd_cny_rate_e4(71000);
  EXPECT_THAT(ValidateLead(lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "lead.signed_investment_usd: only for a foreign_invested lead"));
  lead.set_foreign_invested(true);
  EXPECT_THAT(ValidateLead(lead, kToday), IsOk());
  lead.set_usd_cny_rate_e4(5);
  EXPECT_THAT(ValidateLead(lead, kToday), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("lead.usd_cny_rate_e4")));
  lead = Valid();
  lead.set_renewal_project("project/x");
  EXPECT_THAT(ValidateLead(lead, kToday), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("lead.renewal_project")));
  lead = Valid();
  *lead.mutable_agreement_date() = FromCivilDay(kToday + 1);
  EXPECT_THAT(ValidateLead(lead, kToday), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   "lead.agreement_date: 2024-06-16 is in the future"));
}

TEST(LeadRulesTest, StagesMoveForwardOrAreLostAndReopenWhereTheyLeft) {
  v1::Lead lead = Valid();
  lead.set_stage(v1::NEGOTIATING);
  EXPECT_THAT(CheckStageTransition(lead, v1::SIGNED), IsOk());
  EXPECT_THAT(CheckStageTransition(lead, v1::REGISTERED), IsOk());  // forward, two steps
  EXPECT_THAT(CheckStageTransition(lead, v1::CONTACTED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot go from NEGOTIATING to CONTACTED")));
  EXPECT_THAT(CheckStageTransition(lead, v1::LOST), IsOk());
  lead.set_stage(v1::LOST);
  lead.set_lost_from_stage(v1::NEGOTIATING);
  EXPECT_THAT(CheckStageTransition(lead, v1::NEGOTIATING), IsOk());
  EXPECT_THAT(CheckStageTransition(lead, v1::SIGNED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("reopens to the stage it was lost from, NEGOTIATING")));
  lead.set_stage(v1::OPERATING);
  EXPECT_THAT(CheckStageTransition(lead, v1::LOST),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("OPERATING to LOST")));
}

TEST(LeadRulesTest, EachStageNeedsItsFacts) {
  v1::Lead lead = Valid();
  lead.set_stage(v1::CONTACTED);
  EXPECT_THAT(CheckStageFacts(lead),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("lead.company.name: is required in stage CONTACTED")));
  lead.mutable_company()->set_name("苏美达股份有限公司");
  lead.set_stage(v1::SIGNED);
  EXPECT_THAT(CheckStageFacts(lead), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("lead.agreement_date")));
  *lead.mutable_agreement_date() = FromCivilDay(kToday);
  EXPECT_THAT(CheckStageFacts(lead), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("lead.signed_investment_yuan")));
  lead.set_signed_investment_yuan(150'000'000);
  EXPECT_THAT(CheckStageFacts(lead), IsOk());
  lead.set_stage(v1::REGISTERED);
  EXPECT_THAT(CheckStageFacts(lead), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("lead.company.uscc")));
  lead.mutable_company()->set_uscc("91350100M000100Y43");
  *lead.mutable_registration_date() = FromCivilDay(kToday);
  EXPECT_THAT(CheckStageFacts(lead), IsOk());
  lead.set_stage(v1::FUNDS_ARRIVING);
  EXPECT_THAT(CheckStageFacts(lead), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("RecordFunds")));
  lead.set_stage(v1::LOST);
  lead.set_lost_from_stage(v1::REGISTERED);
  EXPECT_THAT(CheckStageFacts(lead), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr("lead.lost_reason")));
}

TEST(LeadRulesTest, ConsequencesDeriveMajorProjectHistoryAndLostStage) {
  v1::Lead lead = Valid();
  lead.mutable_company()->set_name("苏美达（华中）有限公司");
  lead.set_signed_investment_yuan(kMajorProjectYuan);
  ApplyConsequences(nullptr, kNow, &lead);
  EXPECT_TRUE(lead.major_project());
  EXPECT_EQ(lead.company().normalized_name(), "苏美达华中");
  ASSERT_EQ(lead.stage_history_size(), 1);
  v1::Lead lost = lead;
  lost.set_stage(v1::LOST);
  lost.set_lost_reason("投资方战略调整");
  ApplyConsequences(&lead, kNow, &lost);
  EXPECT_EQ(lost.lost_from_stage(), v1::LEAD);
  EXPECT_EQ(lost.stage_history_size(), 2);
  v1::Lead reopened = lost;
  reopened.set_stage(v1::LEAD);
  ApplyConsequences(&lost, kNow, &reopened);
  EXPECT_EQ(reopened.lost_from_stage(), v1::STAGE_UNSPECIFIED);
  EXPECT_TRUE(reopened.lost_reason().empty());
  reopened.set_signed_investment_yuan(kMajorProjectYuan - 1);
  ApplyConsequences(&reopened, kNow, &reopened);
  EXPECT_FALSE(reopened.major_project());
}

TEST(LeadRulesTest, FundsNeedARegisteredLeadAndCorrectionsStopAtZero) {
  v1::Lead lead = Valid();
  v1::FundsEntry entry;
  *entry.mutable_arrival_date() = FromCivilDay(kToday);
  entry.set_amount_yuan(1'000'000);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("from REGISTERED on")));
  lead.set_stage(v1::REGISTERED);
  lead.set_arrived_investment_yuan(500);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday), IsOk());
  entry.set_amount_yuan(-100);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("marked correction")));
  entry.set_correction(true);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday), IsOk());
  entry.set_amount_yuan(-501);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("below zero")));
  entry.set_amount_yuan(0);
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, "funds_entry.amount_yuan: must not be zero"));
  entry.set_amount_yuan(std::numeric_limits<int64_t>::max());
  EXPECT_THAT(ValidateFundsEntry(entry, lead, kToday), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST(LeadRulesTest, ActivitiesMoveTheFollowUp) {
  v1::Activity activity;
  activity.set_kind(v1::VISIT);
  *activity.mutable_date() = FromCivilDay(kToday - 5);
  activity.set_summary("走访企业");
  *activity.mutable_next_follow_up_date() = FromCivilDay(kToday - 6);
  EXPECT_THAT(ValidateActivity(activity, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("activity.next_follow_up_date: 2024-06-09 is before")));
  *activity.mutable_next_follow_up_date() = FromCivilDay(kToday - 2);
  ASSERT_THAT(ValidateActivity(activity, kToday), IsOk());
  v1::Lead lead = Valid();
  ApplyActivity(activity, &lead);
  EXPECT_EQ(lead.activity_count(), 1);
  EXPECT_EQ(FormatDate(lead.next_follow_up_date()), "2024-06-13");
  v1::Activity call;
  call.set_kind(v1::CALL);
  *call.mutable_date() = FromCivilDay(kToday - 1);
  call.set_summary("电话跟进");
  ApplyActivity(call, &lead);
  EXPECT_EQ(lead.activity_count(), 2);
  EXPECT_EQ(FormatDate(lead.last_activity_date()), "2024-06-14");
  EXPECT_FALSE(lead.has_next_follow_up_date());  // the follow-up happened
}

TEST(AttentionTest, ServiceRulesRaiseAmberThenRed) {
  const AttentionLimits limits;
  const int64_t today = DayNumber(kToday);
  AttentionInputs inputs;
  inputs.stage = v1::LEAD;
  inputs.create_day = today - 1;
  inputs.stage_enter_day = today - 1;
  EXPECT_EQ(AssessAttention(inputs, today, limits).attention, v1::GREEN);  // 1 day: within
  inputs.create_day = inputs.stage_enter_day = today - 2;
  auto assessed = AssessAttention(inputs, today, limits);
  EXPECT_EQ(assessed.attention, v1::AMBER);
  EXPECT_THAT(assessed.reasons, ::testing::Contains(HasSubstr("first response")));
  inputs.create_day = inputs.stage_enter_day = today - 3;
  EXPECT_EQ(AssessAttention(inputs, today, limits).attention, v1::RED);  // past 2 x 1 day
  inputs.activity_count = 1;
  inputs.last_activity_day = today;
  inputs.create_day = inputs.stage_enter_day = today - 4;
  assessed = AssessAttention(inputs, today, limits);
  EXPECT_EQ(assessed.attention, v1::AMBER);  // still a LEAD after 3 days
  EXPECT_THAT(assessed.reasons, ::testing::ElementsAre(HasSubstr("assessment")));
  inputs.stage = v1::NEGOTIATING;
  inputs.next_follow_up_day = today - 1;
  assessed = AssessAttention(inputs, today, limits);
  EXPECT_THAT(assessed.reasons, ::testing::ElementsAre("follow-up: overdue by 1 days"));
  inputs.next_follow_up_day.reset();
  inputs.stage_median_days = 2;
  inputs.stage_sample = 5;
  inputs.stage_enter_day = today - 7;  // more than 3 x 2 days
  EXPECT_EQ(AssessAttention(inputs, today, limits).attention, v1::AMBER);
  inputs.stage_sample = 4;  // too few leads left the stage to judge
  EXPECT_EQ(AssessAttention(inputs, today, limits).attention, v1::GREEN);
  inputs.stage = v1::OPERATING;
  EXPECT_EQ(AssessAttention(inputs, today, limits).attention, v1::ATTENTION_UNSPECIFIED);
}

}  // namespace
}  // namespace jiangan::investment
