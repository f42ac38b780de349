// The supervision service's store on the engine under test, with a clock
// the test sets: a ticket's life and history, lamps selected in SQL as they
// are read, escalation once, idempotent issues and responses.
#include "services/supervision/ticket_store.h"

#include <map>
#include <set>

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/unit/services/supervision/test_stores.h"

namespace jiangan::supervision {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

using testing::At;
using testing::kCalendarPath;
using testing::kHousing;
using testing::kHousingEditor;
using testing::kOfficeEditor;

class TicketStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_.now = At(absl::CivilDay(2025, 1, 24));
    ASSERT_THAT(stores_.Open(), IsOk());
    store_ = stores_.tickets.get();
  }

  // Issues a ticket about a housing project due `working_days` later.
  absl::StatusOr<v1::Ticket> Issue(const std::string& id, int working_days = 5,
                                   const std::string& request_id = "") {
    v1::CreateTicketRequest request;
    v1::Ticket* ticket = request.mutable_ticket();
    ticket->set_title("关于加快征收签约的督办单");
    ticket->mutable_subject()->set_resource("projects/" + id);
    ticket->set_demand("按期完成签约。");
    ticket->set_time_limit_working_days(working_days);
    ticket->set_escalate_to("王区长");
    request.set_ticket_id(id);
    request.set_request_id(request_id);
    return store_->Create(kOfficeEditor, request, [this](v1::Subject* subject) {
      ++resolved_;
      subject->set_display_name("项目 " + subject->resource());
      subject->set_department(kHousing);
      return absl::OkStatus();
    });
  }

  absl::StatusOr<v1::Ticket> Get(const std::string& id) {
    v1::GetTicketRequest request;
    request.set_name("tickets/" + id);
    return store_->Get(request);
  }

  absl::StatusOr<v1::Ticket> Accept(const std::string& id, const Identity& caller = kHousingEditor,
                                    const std::string& etag = "") {
    v1::AcceptTicketRequest request;
    request.set_name("tickets/" + id);
    request.set_etag(etag);
    return store_->Accept(caller, request);
  }

  absl::StatusOr<v1::TicketResponse> Respond(const std::string& id,
                                             const std::string& request_id = "") {
    v1::RespondTicketRequest request;
    request.set_name("tickets/" + id);
    request.mutable_response()->set_progress("已完成签约 1200 户");
    request.mutable_response()->set_measures("每周调度");
    request.set_request_id(request_id);
    return store_->Respond(kHousingEditor, request);
  }

  // The names of the tickets List selects by `lamp` today.
  std::set<std::string> ListedWithLamp(v1::Lamp lamp) {
    v1::ListTicketsRequest request;
    request.mutable_filter()->add_lamps(lamp);
    request.set_page_size(1000);
    v1::ListTicketsResponse response;
    EXPECT_THAT(store_->List(request, &response), IsOk());
    std::set<std::string> names;
    for (const v1::Ticket& ticket : response.tickets()) {
      EXPECT_EQ(ticket.lamp(), lamp) << ticket.name();
      names.insert(ticket.name());
    }
    return names;
  }

  testing::TestStores stores_;
  TicketStore* store_ = nullptr;
  int resolved_ = 0;
};

TEST_F(TicketStoreTest, ALifeFromIssueToCloseIsKeptWithItsHistory) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket issued, Issue("heinihu"));
  EXPECT_EQ(issued.name(), "tickets/heinihu");
  EXPECT_EQ(issued.assignee_department(), kHousing);
  EXPECT_EQ(issued.subject().display_name(), "项目 projects/heinihu");
  EXPECT_EQ(FormatDate(issued.deadline()), "2025-02-07");
  EXPECT_EQ(issued.lamp(), v1::GREEN);
  EXPECT_EQ(issued.creator(), kOfficeEditor.principal);

  // The issuer cannot accept; a stale etag is refused; then the assignee does.
  EXPECT_THAT(Accept("heinihu", kOfficeEditor), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Accept("heinihu", kHousingEditor, "W/\"stale\""),
              StatusIs(absl::StatusCode::kAborted));
  stores_.now = At(absl::CivilDay(2025, 1, 26));
  ASSERT_OK_AND_ASSIGN(v1::Ticket accepted, Accept("heinihu", kHousingEditor, issued.etag()));
  EXPECT_EQ(accepted.state(), v1::ACCEPTED);
  EXPECT_NE(accepted.etag(), issued.etag());
  EXPECT_THAT(Accept("heinihu"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("is ACCEPTED: it cannot accept")));

  // A response, retried with its request_id, counts once.
  stores_.now = At(absl::CivilDay(2025, 2, 5));
  ASSERT_OK_AND_ASSIGN(v1::TicketResponse first, Respond("heinihu", "r-1"));
  ASSERT_OK_AND_ASSIGN(v1::TicketResponse again, Respond("heinihu", "r-1"));
  EXPECT_EQ(first.name(), again.name());
  EXPECT_TRUE(first.on_time());
  EXPECT_EQ(first.responder(), kHousingEditor.principal);
  ASSERT_OK_AND_ASSIGN(v1::Ticket responded, Get("heinihu"));
  EXPECT_EQ(responded.state(), v1::RESPONDED);
  EXPECT_EQ(responded.response_count(), 1);
  EXPECT_EQ(responded.lamp(), v1::LAMP_UNSPECIFIED);

  // Returned, answered late, then closed by the issuer.
  v1::ReturnTicketRequest back;
  back.set_name("tickets/heinihu");
  EXPECT_THAT(store_->Return(kOfficeEditor, back),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  back.set_reason("缺少签约台账");
  EXPECT_THAT(store_->Return(kHousingEditor, back), StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Ticket returned, store_->Return(kOfficeEditor, back));
  EXPECT_EQ(returned.state(), v1::RETURNED);
  stores_.now = At(absl::CivilDay(2025, 2, 10));
  EXPECT_EQ(Get("heinihu")->lamp(), v1::RED);
  ASSERT_OK_AND_ASSIGN(v1::TicketResponse late, Respond("heinihu"));
  EXPECT_FALSE(late.on_time());
  v1::CloseTicketRequest close;
  close.set_name("tickets/heinihu");
  close.set_note("已核实台账");
  ASSERT_OK_AND_ASSIGN(v1::Ticket closed, store_->Close(kOfficeEditor, close));
  EXPECT_EQ(closed.state(), v1::CLOSED);
  EXPECT_EQ(closed.response_count(), 2);
  ASSERT_EQ(closed.state_history_size(), 6);
  EXPECT_EQ(closed.state_history(3).note(), "缺少签约台账");
  v1::CancelTicketRequest cancel;
  cancel.set_name("tickets/heinihu");
  cancel.set_reason("重复");
  EXPECT_THAT(store_->Cancel(kOfficeEditor, cancel),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("final")));

  v1::ListTicketResponsesRequest responses_request;
  responses_request.set_parent("tickets/heinihu");
  v1::ListTicketResponsesResponse responses;
  ASSERT_THAT(store_->ListResponses(responses_request, &responses), IsOk());
  ASSERT_EQ(responses.responses_size(), 2);
  EXPECT_EQ(responses.responses(0).name(), first.name());

  v1::ListTicketHistoryRequest history_request;
  history_request.set_parent("tickets/heinihu");
  v1::ListTicketHistoryResponse history;
  ASSERT_THAT(store_->ListHistory(history_request, &history), IsOk());
  std::vector<std::string> methods;
  for (const auto& change : history.changes()) methods.push_back(change.method());
  EXPECT_THAT(methods, ::testing::ElementsAre("CreateTicket", "AcceptTicket", "RespondTicket",
                                              "ReturnTicket", "RespondTicket", "CloseTicket"));
  EXPECT_EQ(history.changes(3).principal(), kOfficeEditor.principal);
}

TEST_F(TicketStoreTest, AnIssueRetriedWithItsRequestIdIsOneTicket) {
  ASSERT_OK_AND_ASSIGN(v1::Ticket first, Issue("dup", 5, "issue-1"));
  ASSERT_OK_AND_ASSIGN(v1::Ticket again, Issue("dup", 5, "issue-1"));
  EXPECT_EQ(first.name(), again.name());
  EXPECT_EQ(first.etag(), again.etag());
  EXPECT_EQ(resolved_, 1);  // the retry did not ask the subject's service
  EXPECT_THAT(Issue("dup").status(), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(TicketStoreTest, ListSelectsEachLampAsTheTicketsReadIt) {
  // Tickets issued over three months with limits of 1 to 12 working days,
  // some accepted, some responded.
  int n = 0;
  for (absl::CivilDay day(2025, 1, 2); day < absl::CivilDay(2025, 4, 1); day += 3) {
    stores_.now = At(day);
    const std::string id = absl::StrCat("t", n);
    ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, Issue(id, 1 + n % 12));
    if (n % 5 == 2) {
      ASSERT_THAT(Accept(id).status(), IsOk());
      ASSERT_THAT(Respond(id).status(), IsOk());
    } else if (n % 3 == 1) {
      ASSERT_THAT(Accept(id).status(), IsOk());
    }
    ++n;
  }
  // Every lamp is lit on some day, so the comparison is not of empty sets.
  std::map<v1::Lamp, int> lit;
  for (absl::CivilDay today(2025, 1, 20); today < absl::CivilDay(2025, 4, 20); today += 4) {
    stores_.now = At(today);
    std::map<v1::Lamp, std::set<std::string>> read;
    for (int i = 0; i < n; ++i) {
      ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, Get(absl::StrCat("t", i)));
      read[ticket.lamp()].insert(ticket.name());
    }
    for (v1::Lamp lamp : {v1::GREEN, v1::YELLOW, v1::RED}) {
      EXPECT_EQ(ListedWithLamp(lamp), read[lamp])
          << "on " << today << " lamp " << v1::Lamp_Name(lamp);
      lit[lamp] += static_cast<int>(read[lamp].size());
    }
  }
  EXPECT_GT(lit[v1::GREEN], 0);
  EXPECT_GT(lit[v1::YELLOW], 0);
  EXPECT_GT(lit[v1::RED], 0);
}

TEST_F(TicketStoreTest, EscalatesAnOverdueTicketOnceAndANewDeadlineLiftsIt) {
  ASSERT_THAT(Issue("late", 1).status(), IsOk());  // due Sunday 26 January (worked)
  ASSERT_THAT(Accept("late").status(), IsOk());
  stores_.now = At(absl::CivilDay(2025, 2, 5));  // 1 working day overdue
  EXPECT_THAT(store_->EscalateOverdue(), ::jiangan::testing::IsOkAndHolds(0));
  stores_.now = At(absl::CivilDay(2025, 2, 7));  // 3 working days overdue
  EXPECT_THAT(store_->EscalateOverdue(), ::jiangan::testing::IsOkAndHolds(1));
  EXPECT_THAT(store_->EscalateOverdue(), ::jiangan::testing::IsOkAndHolds(0));
  ASSERT_OK_AND_ASSIGN(v1::Ticket escalated, Get("late"));
  EXPECT_TRUE(escalated.has_escalate_time());
  v1::ListTicketsRequest list;
  list.mutable_filter()->set_escalated_only(true);
  v1::ListTicketsResponse listed;
  ASSERT_THAT(store_->List(list, &listed), IsOk());
  ASSERT_EQ(listed.tickets_size(), 1);
  v1::ListTicketHistoryRequest history_request;
  history_request.set_parent("tickets/late");
  v1::ListTicketHistoryResponse history;
  ASSERT_THAT(store_->ListHistory(history_request, &history), IsOk());
  const auto& last = *history.changes().rbegin();
  EXPECT_EQ(last.method(), "EscalateTicket");
  EXPECT_EQ(last.principal(), "system");

  // The issuer gives a new deadline: the escalation no longer stands.
  v1::UpdateTicketRequest update;
  update.mutable_ticket()->set_name("tickets/late");
  *update.mutable_ticket()->mutable_deadline() = FromCivilDay(absl::CivilDay(2025, 2, 14));
  update.mutable_update_mask()->add_paths("deadline");
  EXPECT_THAT(store_->Update(kHousingEditor, update).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Ticket extended, store_->Update(kOfficeEditor, update));
  EXPECT_FALSE(extended.has_escalate_time());
  EXPECT_EQ(extended.lamp(), v1::GREEN);
}

TEST_F(TicketStoreTest, TheScorecardCountsEachDepartmentsTicketsOfThePeriod) {
  // Housing: t1 accepted and answered in time and closed after 7 days; t2
  // accepted late, answered late; t3 left overdue; t4 cancelled (not
  // counted). Issued 24 January 2025 (deadline 7 February, accept by 26th).
  for (const char* id : {"t1", "t2", "t3", "t4"}) ASSERT_THAT(Issue(id).status(), IsOk());
  stores_.now = At(absl::CivilDay(2025, 1, 26));
  ASSERT_THAT(Accept("t1").status(), IsOk());
  ASSERT_THAT(Respond("t1").status(), IsOk());
  stores_.now = At(absl::CivilDay(2025, 1, 31));
  v1::CloseTicketRequest close;
  close.set_name("tickets/t1");
  ASSERT_THAT(store_->Close(kOfficeEditor, close).status(), IsOk());
  ASSERT_THAT(Accept("t2").status(), IsOk());
  v1::CancelTicketRequest cancel;
  cancel.set_name("tickets/t4");
  cancel.set_reason("重复");
  ASSERT_THAT(store_->Cancel(kOfficeEditor, cancel).status(), IsOk());
  stores_.now = At(absl::CivilDay(2025, 2, 10));
  ASSERT_THAT(Respond("t2").status(), IsOk());
  v1::SummarizeDepartmentsRequest request;
  *request.mutable_period_start() = FromCivilDay(absl::CivilDay(2025, 1, 1));
  *request.mutable_period_end() = FromCivilDay(absl::CivilDay(2025, 1, 31));
  v1::SummarizeDepartmentsResponse scorecard;
  ASSERT_THAT(store_->SummarizeDepartments(request, &scorecard), IsOk());
  ASSERT_EQ(scorecard.scores_size(), 1);
  const v1::DepartmentScore& housing = scorecard.scores(0);
  EXPECT_EQ(housing.department(), kHousing);
  EXPECT_EQ(housing.rank(), 1);
  EXPECT_EQ(housing.received(), 3);
  EXPECT_EQ(housing.accepted_on_time(), 1);
  EXPECT_EQ(housing.responded_on_time(), 1);
  EXPECT_EQ(housing.closed(), 1);
  EXPECT_EQ(housing.overdue_now(), 1);
  EXPECT_DOUBLE_EQ(housing.accepted_on_time_percent(), 33.3);
  EXPECT_DOUBLE_EQ(housing.average_days_to_close(), 7);
  // A file from before the scorecard (schema 3) fills it when opened.
  ASSERT_THAT(stores_.db->Exec("DROP TABLE ticket_scores"), IsOk());
  ASSERT_THAT(stores_.db->Exec("DROP INDEX tickets_overdue"), IsOk());
  ASSERT_THAT(stores_.db->Exec("DROP INDEX tickets_lamps"), IsOk());
  ASSERT_THAT(stores_.db->Exec("DROP INDEX tickets_department_due"), IsOk());
  ASSERT_THAT(stores_.db->SetSchemaVersion(3), IsOk());
  TicketStoreOptions reopened;
  reopened.page_token_key = "another key of the test, long enough";
  reopened.now = [this] { return stores_.now; };
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TicketStore> upgraded,
                       TicketStore::Open(stores_.writer.get(), *LoadWorkCalendar({kCalendarPath}),
                                         reopened));
  v1::SummarizeDepartmentsResponse refilled;
  ASSERT_THAT(upgraded->SummarizeDepartments(request, &refilled), IsOk());
  EXPECT_EQ(refilled.DebugString(), scorecard.DebugString());

  // A period before the issue counts nothing.
  *request.mutable_period_end() = FromCivilDay(absl::CivilDay(2025, 1, 23));
  v1::SummarizeDepartmentsResponse empty;
  ASSERT_THAT(store_->SummarizeDepartments(request, &empty), IsOk());
  EXPECT_EQ(empty.scores_size(), 0);
  request.mutable_period_end()->set_month(13);
  EXPECT_THAT(store_->SummarizeDepartments(request, &empty),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period_end")));
}

TEST_F(TicketStoreTest, ServesTheCalendarItCountsOn) {
  v1::GetWorkCalendarRequest get;
  get.set_name("workCalendars/2026");
  ASSERT_OK_AND_ASSIGN(v1::WorkCalendar year, store_->GetWorkCalendar(get));
  EXPECT_EQ(year.working_day_count(), 248);
  get.set_name("workCalendars/2031");
  EXPECT_THAT(store_->GetWorkCalendar(get).status(), StatusIs(absl::StatusCode::kNotFound));
  get.set_name("calendars/2026");
  EXPECT_THAT(store_->GetWorkCalendar(get).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::ListWorkCalendarsRequest list;
  list.set_page_size(2);
  v1::ListWorkCalendarsResponse page;
  ASSERT_THAT(store_->ListWorkCalendars(list, &page), IsOk());
  ASSERT_EQ(page.work_calendars_size(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  v1::ListWorkCalendarsResponse rest;
  ASSERT_THAT(store_->ListWorkCalendars(list, &rest), IsOk());
  ASSERT_EQ(rest.work_calendars_size(), 1);
  EXPECT_EQ(rest.work_calendars(0).name(), "workCalendars/2026");
  EXPECT_TRUE(rest.next_page_token().empty());
}

}  // namespace
}  // namespace jiangan::supervision
