// The rules of a ticket: its fields, the steps of its life and who may take
// them.
#include "services/supervision/ticket_rules.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/unit/services/supervision/ticket_test_support.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

using testing::At;
using testing::kAdmin;
using testing::kCalendarPath;
using testing::kHousing;
using testing::kHousingEditor;
using testing::kHousingViewer;
using testing::kOffice;
using testing::kOfficeEditor;

v1::Ticket Draft() {
  v1::Ticket ticket;
  ticket.set_title("关于加快黑泥湖村征收签约的督办单");
  ticket.mutable_subject()->set_resource("projects/heinihu-village");
  ticket.mutable_subject()->set_display_name("黑泥湖村城中村改造");
  ticket.mutable_subject()->set_department(kHousing);
  ticket.set_demand("本月底前完成剩余签约并报送进度。");
  ticket.set_time_limit_working_days(5);
  return ticket;
}

class TicketRulesTest : public ::testing::Test {
 protected:
  void SetUp() override { calendar_ = *LoadWorkCalendar({kCalendarPath}); }

  v1::Ticket Issued(absl::CivilDay day = absl::CivilDay(2025, 1, 24)) {
    v1::Ticket ticket = Draft();
    EXPECT_THAT(PrepareNewTicket(kOfficeEditor, At(day), calendar_, policy_, &ticket), IsOk());
    ticket.set_name("tickets/t1");
    return ticket;
  }

  WorkCalendar calendar_;
  DeadlinePolicy policy_;
};

TEST_F(TicketRulesTest, IssuingFillsDefaultsAndCountsTheDeadlineInWorkingDays) {
  const v1::Ticket ticket = Issued();
  EXPECT_EQ(ticket.issuer_department(), kOffice);
  EXPECT_EQ(ticket.assignee_department(), kHousing);  // the project's department
  EXPECT_EQ(ticket.priority(), v1::NORMAL);
  EXPECT_EQ(ticket.state(), v1::ISSUED);
  // Five working days from Friday 24 January 2025 cross the Spring Festival.
  EXPECT_EQ(FormatDate(ticket.deadline()), "2025-02-07");
  EXPECT_EQ(FormatDate(ticket.accept_by()), "2025-01-26");  // a Sunday worked
  ASSERT_EQ(ticket.state_history_size(), 1);
  EXPECT_EQ(ticket.state_history(0).state(), v1::ISSUED);
  EXPECT_EQ(ticket.state_history(0).principal(), kOfficeEditor.principal);
}

TEST_F(TicketRulesTest, RefusesBadTicketsNamingTheField) {
  const absl::Time now = At(absl::CivilDay(2025, 3, 3));
  auto refused = [&](const v1::Ticket& ticket, const Identity& caller = kOfficeEditor) {
    v1::Ticket copy = ticket;
    return PrepareNewTicket(caller, now, calendar_, policy_, &copy);
  };
  v1::Ticket ticket = Draft();
  ticket.clear_title();
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.title: must be 1 to 200")));
  ticket = Draft();
  ticket.mutable_subject()->set_matter("积水点整治");
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.subject: set exactly one")));
  ticket = Draft();
  ticket.mutable_subject()->set_resource("companies/x");
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.subject.resource: must name")));
  ticket = Draft();
  ticket.mutable_subject()->Clear();
  ticket.mutable_subject()->set_matter("后湖片区积水点整治");
  EXPECT_THAT(refused(ticket),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ticket.assignee_department: is required when the subject")));
  ticket = Draft();
  ticket.set_time_limit_working_days(0);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.deadline: is required")));
  ticket.mutable_deadline()->set_year(2025);
  ticket.mutable_deadline()->set_month(2);
  ticket.mutable_deadline()->set_day(28);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.deadline: 2025-02-28 has passed")));
  ticket.set_time_limit_working_days(3);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("not both")));
  ticket = Draft();
  ticket.set_time_limit_working_days(251);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("time_limit_working_days: must be 1 to 250")));
  ticket = Draft();
  ticket.add_co_departments(kHousing);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("co_departments[0]: \"区住房和城市更新局\" is "
                                                  "the assignee department")));
  ticket = Draft();
  ticket.add_evidence()->set_uri("file:///etc/passwd");
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("evidence[0].uri: must be an http")));
  ticket = Draft();
  ticket.set_priority(static_cast<v1::Priority>(9));
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("ticket.priority")));
  // An EDITOR issues in its own department's name only; an ADMIN in any.
  ticket = Draft();
  ticket.set_issuer_department(kHousing);
  EXPECT_THAT(refused(ticket), StatusIs(absl::StatusCode::kPermissionDenied,
                                        HasSubstr("in its own department's name only")));
  EXPECT_THAT(refused(ticket, kAdmin), IsOk());
}

TEST_F(TicketRulesTest, AllowsOnlyTheStepsOfEachState) {
  const std::vector<TicketStep> steps = {TicketStep::kUpdate, TicketStep::kAccept,
                                         TicketStep::kRespond, TicketStep::kReturn,
                                         TicketStep::kClose, TicketStep::kCancel};
  const std::map<v1::TicketState, std::vector<TicketStep>> allowed = {
      {v1::ISSUED, {TicketStep::kUpdate, TicketStep::kAccept, TicketStep::kCancel}},
      {v1::ACCEPTED, {TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kCancel}},
      {v1::RESPONDED,
       {TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kReturn, TicketStep::kClose,
        TicketStep::kCancel}},
      {v1::RETURNED, {TicketStep::kUpdate, TicketStep::kRespond, TicketStep::kCancel}},
      {v1::CLOSED, {}},
      {v1::CANCELLED, {}}};
  v1::Ticket ticket = Issued();
  for (const auto& [state, ok_steps] : allowed) {
    ticket.set_state(state);
    for (TicketStep step : steps) {
      const bool ok = std::find(ok_steps.begin(), ok_steps.end(), step) != ok_steps.end();
      const absl::Status status = CheckStepAllowed(ticket, step);
      EXPECT_EQ(status.ok(), ok) << v1::TicketState_Name(state) << " " << StepName(step);
      if (!ok) {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
      }
    }
  }
  ticket.set_state(v1::ISSUED);
  EXPECT_THAT(CheckStepAllowed(ticket, TicketStep::kClose),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("tickets/t1 is ISSUED: it cannot close; it allows update, "
                                 "accept, cancel")));
  ticket.set_state(v1::CLOSED);
  EXPECT_THAT(CheckStepAllowed(ticket, TicketStep::kRespond),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("final")));
}

TEST_F(TicketRulesTest, TheAssigneeAcceptsAndRespondsTheIssuerChecks) {
  const v1::Ticket ticket = Issued();
  EXPECT_THAT(CheckMayTake(kHousingEditor, ticket, TicketStep::kAccept), IsOk());
  EXPECT_THAT(CheckMayTake(kHousingEditor, ticket, TicketStep::kRespond), IsOk());
  EXPECT_THAT(CheckMayTake(kOfficeEditor, ticket, TicketStep::kAccept),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("only an EDITOR of the assignee department \"区住房和城市更新局\"")));
  EXPECT_THAT(CheckMayTake(kHousingViewer, ticket, TicketStep::kRespond),
              StatusIs(absl::StatusCode::kPermissionDenied));
  for (TicketStep step : {TicketStep::kUpdate, TicketStep::kReturn, TicketStep::kClose,
                          TicketStep::kCancel}) {
    EXPECT_THAT(CheckMayTake(kOfficeEditor, ticket, step), IsOk());
    EXPECT_THAT(CheckMayTake(kHousingEditor, ticket, step),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         HasSubstr("only an EDITOR of the issuing department \"区委督查室\"")));
    EXPECT_THAT(CheckMayTake(kAdmin, ticket, step), IsOk());
  }
}

TEST_F(TicketRulesTest, StepsRecordTheirTimesAndNotes) {
  v1::Ticket ticket = Issued();
  const absl::Time accepted = At(absl::CivilDay(2025, 1, 26));
  ApplyStep(TicketStep::kAccept, "li@housing", accepted, "", &ticket);
  EXPECT_EQ(ticket.state(), v1::ACCEPTED);
  EXPECT_EQ(ticket.accept_time().seconds(), absl::ToUnixSeconds(accepted));
  ApplyStep(TicketStep::kRespond, "li@housing", At(absl::CivilDay(2025, 2, 5)), "", &ticket);
  ApplyStep(TicketStep::kReturn, "du@office", At(absl::CivilDay(2025, 2, 6)), "缺少签约台账",
            &ticket);
  EXPECT_EQ(ticket.state(), v1::RETURNED);
  ApplyStep(TicketStep::kRespond, "li@housing", At(absl::CivilDay(2025, 2, 7)), "", &ticket);
  EXPECT_EQ(ticket.response_count(), 2);
  // The first response's time stays.
  EXPECT_EQ(ticket.first_response_time().seconds(),
            absl::ToUnixSeconds(At(absl::CivilDay(2025, 2, 5))));
  ApplyStep(TicketStep::kClose, "du@office", At(absl::CivilDay(2025, 2, 10)), "已核实", &ticket);
  EXPECT_EQ(ticket.state(), v1::CLOSED);
  EXPECT_TRUE(ticket.has_close_time());
  ASSERT_EQ(ticket.state_history_size(), 6);
  EXPECT_EQ(ticket.state_history(3).note(), "缺少签约台账");
  EXPECT_EQ(ticket.state_history(5).state(), v1::CLOSED);
}

TEST_F(TicketRulesTest, ChecksUpdateMasksAndResponses) {
  google::protobuf::FieldMask mask;
  EXPECT_THAT(CheckTicketUpdateMask(mask), StatusIs(absl::StatusCode::kInvalidArgument));
  mask.add_paths("deadline");
  mask.add_paths("priority");
  EXPECT_THAT(CheckTicketUpdateMask(mask), IsOk());
  mask.add_paths("assignee_department");
  EXPECT_THAT(CheckTicketUpdateMask(mask),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"assignee_department\" cannot be changed by UpdateTicket")));
  mask.Clear();
  mask.add_paths("state");
  EXPECT_THAT(CheckTicketUpdateMask(mask), StatusIs(absl::StatusCode::kInvalidArgument));
  v1::TicketResponse response;
  EXPECT_THAT(ValidateResponse(response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("response.progress")));
  response.set_progress("已完成签约 1200 户");
  EXPECT_THAT(ValidateResponse(response), IsOk());
  EXPECT_THAT(CheckStepNote("reason", "", /*required=*/true),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
}

}  // namespace
}  // namespace jiangan::supervision
