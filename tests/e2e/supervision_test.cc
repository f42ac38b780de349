// The supervision service end to end: a real redis-server and the real
// binaries, called through the gateway over gRPC and HTTP/JSON as the
// district's departments and leaders would. A ticket about a real renewal
// project lives from issue to close; refusals name what is wrong.
#include <grpcpp/grpcpp.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "jiangan/supervision/v1/supervision.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/status_matchers.h"
#include "tests/support/system_under_test.h"
#include "tests/support/test_database.h"

namespace jiangan {
namespace {

namespace v1 = supervision::v1;
using testing::kHousingDepartment;
using testing::kTransportDepartment;
using ::testing::HasSubstr;

class SupervisionSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
    tickets_ = v1::SupervisionService::NewStub(system_.GatewayChannel());
    projects_ = renewal::v1::RenewalService::NewStub(system_.GatewayChannel());
    renewal::v1::CreateProjectRequest project;
    project.set_project_id("heinihu-village");
    project.mutable_project()->set_display_name("黑泥湖村城中村改造");
    project.mutable_project()->set_kind(renewal::v1::URBAN_VILLAGE_REDEVELOPMENT);
    project.mutable_project()->set_lead_department(kHousingDepartment);
    renewal::v1::Project created;
    const grpc::Status made =
        projects_->CreateProject(system_.CallAs("housing-editor").get(), project, &created);
    ASSERT_TRUE(made.ok()) << made.error_message();
  }

  // Issues, as the transport bureau, a ticket about `subject` due in 5
  // working days.
  grpc::Status Issue(const std::string& id, const std::string& subject, v1::Ticket* issued,
                     const std::string& caller = "transport-editor") {
    v1::CreateTicketRequest request;
    request.set_ticket_id(id);
    request.set_request_id("issue-" + id);
    v1::Ticket* ticket = request.mutable_ticket();
    ticket->set_title("关于加快黑泥湖村征收签约进度的督办单");
    ticket->mutable_subject()->set_resource(subject);
    ticket->set_demand("请于5个工作日内完成剩余签约并反馈。");
    ticket->set_issuing_leader("王区长");
    ticket->set_priority(v1::URGENT);
    ticket->set_time_limit_working_days(5);
    return tickets_->CreateTicket(system_.CallAs(caller).get(), request, issued);
  }

  grpc::Status Accept(const std::string& caller, v1::Ticket* ticket) {
    v1::AcceptTicketRequest request;
    request.set_name("tickets/t1");
    return tickets_->AcceptTicket(system_.CallAs(caller).get(), request, ticket);
  }

  grpc::Status Respond(const std::string& request_id, v1::TicketResponse* response) {
    v1::RespondTicketRequest request;
    request.set_name("tickets/t1");
    request.set_request_id(request_id);
    request.mutable_response()->set_progress("已完成签约1200户，剩余86户正在协商。");
    request.mutable_response()->set_measures("实行一户一策，每周调度。");
    v1::Evidence* evidence = request.mutable_response()->add_evidence();
    evidence->set_uri("https://oa.jiangan.gov.cn/files/signing-ledger.pdf");
    evidence->set_title("签约台账");
    return tickets_->RespondTicket(system_.CallAs("housing-editor").get(), request, response);
  }

  v1::Ticket Get() {
    v1::GetTicketRequest request;
    request.set_name("tickets/t1");
    v1::Ticket ticket;
    const grpc::Status status = tickets_->GetTicket(system_.CallAs("viewer").get(), request, &ticket);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  absl::StatusOr<testing::HttpResult> Http(const std::string& method, const std::string& target,
                                           const std::string& caller,
                                           const std::string& body = "") const {
    return testing::HttpRequestTo(system_.gateway().http_port, method, target, body,
                                  system_.credentials().Bearer(caller));
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<v1::SupervisionService::Stub> tickets_;
  std::unique_ptr<renewal::v1::RenewalService::Stub> projects_;
};

TEST_F(SupervisionSystemTest, ATicketGoesFromIssueToCloseThroughTheGateway) {
  v1::Ticket issued;
  grpc::Status status = Issue("t1", "projects/heinihu-village", &issued);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The assignee and the subject's name come from the renewal service.
  EXPECT_EQ(issued.assignee_department(), kHousingDepartment);
  EXPECT_EQ(issued.issuer_department(), kTransportDepartment);
  EXPECT_EQ(issued.subject().display_name(), "黑泥湖村城中村改造");
  EXPECT_EQ(issued.subject().department(), kHousingDepartment);
  EXPECT_EQ(issued.state(), v1::ISSUED);
  EXPECT_NE(issued.lamp(), v1::LAMP_UNSPECIFIED);
  // Retried with its request_id: the same ticket.
  v1::Ticket again;
  ASSERT_TRUE(Issue("t1", "projects/heinihu-village", &again).ok());
  EXPECT_EQ(again.etag(), issued.etag());

  // Read once (cached), then accepted: the next read sees the step.
  EXPECT_EQ(Get().state(), v1::ISSUED);
  v1::Ticket ticket;
  status = Accept("transport-editor", &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("only an EDITOR of the assignee department"));
  ASSERT_TRUE(Accept("housing-editor", &ticket).ok());
  EXPECT_EQ(Get().state(), v1::ACCEPTED);

  v1::TicketResponse response;
  status = Respond("r-1", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.on_time());
  EXPECT_THAT(response.name(), HasSubstr("tickets/t1/responses/"));
  v1::TicketResponse repeated;
  ASSERT_TRUE(Respond("r-1", &repeated).ok());
  EXPECT_EQ(repeated.name(), response.name());
  EXPECT_EQ(Get().response_count(), 1);

  // The assignee may not close its own ticket; the issuer returns it.
  v1::CloseTicketRequest close;
  close.set_name("tickets/t1");
  close.set_note("已核实签约台账，予以销号。");
  status = tickets_->CloseTicket(system_.CallAs("housing-editor").get(), close, &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ReturnTicketRequest back;
  back.set_name("tickets/t1");
  back.set_reason("未附剩余86户的协商方案。");
  status = tickets_->ReturnTicket(system_.CallAs("transport-editor").get(), back, &ticket);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ticket.state(), v1::RETURNED);
  ASSERT_TRUE(Respond("r-2", &response).ok());
  status = tickets_->CloseTicket(system_.CallAs("transport-editor").get(), close, &ticket);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ticket.state(), v1::CLOSED);
  EXPECT_EQ(ticket.lamp(), v1::LAMP_UNSPECIFIED);

  // Closed is final: the refusal names what the state allows.
  v1::CancelTicketRequest cancel;
  cancel.set_name("tickets/t1");
  cancel.set_reason("重复下发");
  status = tickets_->CancelTicket(system_.CallAs("admin").get(), cancel, &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("tickets/t1 is CLOSED: it cannot cancel"));

  v1::ListTicketHistoryRequest history_request;
  history_request.set_parent("tickets/t1");
  v1::ListTicketHistoryResponse history;
  ASSERT_TRUE(
      tickets_->ListTicketHistory(system_.CallAs("viewer").get(), history_request, &history).ok());
  std::vector<std::string> methods;
  for (const auto& change : history.changes()) methods.push_back(change.method());
  EXPECT_THAT(methods, ::testing::ElementsAre("CreateTicket", "AcceptTicket", "RespondTicket",
                                              "ReturnTicket", "RespondTicket", "CloseTicket"));

  v1::ListTicketsRequest list;
  list.mutable_filter()->set_assignee_department(kHousingDepartment);
  list.mutable_filter()->add_states(v1::CLOSED);
  v1::ListTicketsResponse listed;
  ASSERT_TRUE(tickets_->ListTickets(system_.CallAs("viewer").get(), list, &listed).ok());
  ASSERT_EQ(listed.tickets_size(), 1);
  EXPECT_EQ(listed.tickets(0).name(), "tickets/t1");
}

TEST_F(SupervisionSystemTest, SubjectsAreCheckedWithTheServicesThatHoldThem) {
  v1::Ticket ticket;
  grpc::Status status = Issue("t2", "projects/no-such-project", &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr("ticket.subject.resource: projects/no-such-project does not exist in the "
                        "renewal service"));
  // A target: its responsible department becomes the assignee.
  status = Issue("t3", "targets/key-renewal-units", &ticket);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ticket.assignee_department(), "区城市更新公司");
  EXPECT_EQ(ticket.subject().display_name(), "7个重点城市单元更新工作落地见效");
  status = Issue("t4", "leads/nobody", &ticket);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("investment service"));
  // A viewer may not issue at all.
  status = Issue("t5", "projects/heinihu-village", &ticket, "viewer");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupervisionSystemTest, TheHttpFaceIssuesAndStepsTicketsAndShowsTheCalendar) {
  const std::string body = R"({
    "title": "关于后湖片区积水点整治的督办单",
    "subject": {"matter": "后湖片区积水点整治"},
    "demand": "汛前完成整治。",
    "assigneeDepartment": "区住房和城市更新局",
    "deadline": {"year": 2099, "month": 6, "day": 1}
  })";
  auto created = Http("POST", "/v1/tickets?ticketId=waterlogging", "transport-editor", body);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_THAT(created->body, HasSubstr("\"state\":\"ISSUED\""));
  EXPECT_THAT(created->body, HasSubstr("\"displayName\":\"后湖片区积水点整治\""));
  auto read = Http("GET", "/v1/tickets/waterlogging", "viewer");
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(read->body, HasSubstr("\"lamp\":\"GREEN\""));
  auto accepted = Http("POST", "/v1/tickets/waterlogging:accept", "housing-editor", "{}");
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->status, 200) << accepted->body;
  read = Http("GET", "/v1/tickets/waterlogging", "viewer");
  EXPECT_THAT(read->body, HasSubstr("\"state\":\"ACCEPTED\""));
  // A repeated field in the query, given twice or comma-separated.
  for (const char* query : {"filter.states=ISSUED&filter.states=ACCEPTED",
                            "filter.states=ISSUED,ACCEPTED"}) {
    auto listed = Http("GET", absl::StrCat("/v1/tickets?", query), "viewer");
    ASSERT_TRUE(listed.ok());
    EXPECT_THAT(listed->body, HasSubstr("tickets/waterlogging")) << query;
  }
  auto bad = Http("POST", "/v1/tickets/waterlogging:return", "transport-editor", "{}");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_THAT(bad->body, HasSubstr("reason"));

  // The scorecard, and the 通报 a leader downloads.
  auto scorecard = Http("GET", "/v1/tickets:summarizeDepartments", "viewer");
  ASSERT_TRUE(scorecard.ok());
  EXPECT_EQ(scorecard->status, 200) << scorecard->body;
  EXPECT_THAT(scorecard->body, HasSubstr("\"department\":\"区住房和城市更新局\""));
  EXPECT_THAT(scorecard->body, HasSubstr("\"received\":\"1\""));
  auto workbook = Http("GET", "/v1/tickets:exportScorecard", "viewer");
  ASSERT_TRUE(workbook.ok());
  ASSERT_EQ(workbook->status, 200) << workbook->body;
  EXPECT_EQ(workbook->content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string dir = testing::MakeTempDir();
  {
    std::ofstream out(dir + "/scorecard.xlsx", std::ios::binary);
    out << workbook->body;
  }
  auto cells = testing::CommandOutput(absl::StrCat("python3 ", JIANGAN_SOURCE_DIR,
                                                   "/tests/e2e/read_workbook.py ", dir,
                                                   "/scorecard.xlsx"));
  ASSERT_TRUE(cells.ok()) << cells.status();
  EXPECT_THAT(*cells, ::testing::StartsWith("督办考核\n江岸区督办考核通报"));
  EXPECT_THAT(*cells, HasSubstr("排名[DDEBF7]\t承办单位[DDEBF7]"));
  EXPECT_THAT(*cells, HasSubstr("1\t区住房和城市更新局\t1\t1\t100"));

  auto calendar = Http("GET", "/v1/workCalendars/2025", "viewer");
  ASSERT_TRUE(calendar.ok());
  EXPECT_EQ(calendar->status, 200) << calendar->body;
  EXPECT_THAT(calendar->body, HasSubstr("\"workingDayCount\":248"));
}

}  // namespace
}  // namespace jiangan

namespace jiangan {
namespace {

// Two supervision replicas on one database, each evaluating the rules every
// second: every slot is evaluated by one of them, and a record in a rule's
// condition gets one ticket however often the rules run.
class SupervisionRulesSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::SystemOptions options;
    options.supervision_replicas = 2;
    options.supervision_flags = {"--rules_interval=1s"};
    absl::Status started = system_.Start(options);
    ASSERT_TRUE(started.ok()) << started;
    tickets_ = supervision::v1::SupervisionService::NewStub(system_.GatewayChannel());
    projects_ = renewal::v1::RenewalService::NewStub(system_.GatewayChannel());
  }

  // A housing project, suspended: RED.
  void MakeRedProject(const std::string& id) {
    renewal::v1::CreateProjectRequest create;
    create.set_project_id(id);
    create.mutable_project()->set_display_name("三阳路片区危旧房改造");
    create.mutable_project()->set_kind(renewal::v1::DILAPIDATED_HOUSING_RENOVATION);
    create.mutable_project()->set_lead_department(kHousingDepartment);
    create.mutable_project()->set_phase(renewal::v1::APPROVED);
    renewal::v1::Project project;
    grpc::Status status =
        projects_->CreateProject(system_.CallAs("housing-editor").get(), create, &project);
    ASSERT_TRUE(status.ok()) << status.error_message();
    renewal::v1::UpdateProjectRequest suspend;
    suspend.mutable_project()->set_name(project.name());
    suspend.mutable_project()->set_phase(renewal::v1::SUSPENDED);
    suspend.mutable_update_mask()->add_paths("phase");
    status = projects_->UpdateProject(system_.CallAs("housing-editor").get(), suspend, &project);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(project.health(), renewal::v1::RED);
  }

  grpc::Status CreateRule(const std::string& caller, v1::Rule* rule) {
    v1::CreateRuleRequest request;
    request.set_rule_id("red-projects");
    request.set_request_id("rule-red-projects");
    v1::Rule* made = request.mutable_rule();
    made->set_display_name("项目红灯自动督办");
    made->set_condition(v1::PROJECT_RED);
    made->set_time_limit_working_days(5);
    made->set_demand("项目处于红灯，请5个工作日内报送整改措施。");
    made->set_issuer_department("区委督查室");
    made->set_escalate_to("分管副区长");
    made->set_enabled(true);
    return tickets_->CreateRule(system_.CallAs(caller).get(), request, rule);
  }

  // The tickets the rule opened.
  std::vector<v1::Ticket> RuleTickets() {
    v1::ListTicketsRequest request;
    request.mutable_filter()->set_rule("rules/red-projects");
    v1::ListTicketsResponse response;
    const grpc::Status status =
        tickets_->ListTickets(system_.CallAs("viewer").get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.tickets().begin(), response.tickets().end()};
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<v1::SupervisionService::Stub> tickets_;
  std::unique_ptr<renewal::v1::RenewalService::Stub> projects_;
};

int Count(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(SupervisionRulesSystemTest, ARedProjectGetsOneTicketFromTheScheduleAndOnDemand) {
  v1::Rule rule;
  grpc::Status status = CreateRule("housing-editor", &rule);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = CreateRule("admin", &rule);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(rule.priority(), v1::NORMAL);
  ASSERT_NO_FATAL_FAILURE(MakeRedProject("sanyang-road"));

  // The schedule opens the ticket, to the project's department.
  std::vector<v1::Ticket> opened;
  for (int i = 0; i < 100 && opened.empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    opened = RuleTickets();
  }
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].subject().resource(), "projects/sanyang-road");
  EXPECT_EQ(opened[0].assignee_department(), kHousingDepartment);
  EXPECT_EQ(opened[0].issuer_department(), "区委督查室");
  EXPECT_EQ(opened[0].creator(), "system");
  EXPECT_EQ(opened[0].state(), v1::ISSUED);

  // On demand, again: nothing opens twice.
  v1::EvaluateRulesResponse evaluated;
  status = tickets_->EvaluateRules(system_.CallAs("housing-editor").get(),
                                   v1::EvaluateRulesRequest(), &evaluated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = tickets_->EvaluateRules(system_.CallAs("admin").get(), v1::EvaluateRulesRequest(),
                                   &evaluated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(evaluated.outcomes_size(), 1);
  EXPECT_EQ(evaluated.outcomes(0).in_condition(), 1);
  EXPECT_EQ(evaluated.outcomes(0).already_open(), 1);
  EXPECT_EQ(evaluated.outcomes(0).opened_tickets_size(), 0);

  // Three more seconds of schedules on both replicas.
  absl::SleepFor(absl::Seconds(3));
  EXPECT_EQ(RuleTickets().size(), 1u);
  auto db = system_.database("supervision").Connect();
  ASSERT_TRUE(db.ok()) << db.status();
  const int64_t slots = testing::QueryInt64(db->get(), "SELECT COUNT(*) FROM scheduled_runs WHERE job = 'evaluate_rules'");
  const int runs = Count(system_.replica("supervision", 0).process->ReadLog(), "rules_evaluated") +
                   Count(system_.replica("supervision", 1).process->ReadLog(), "rules_evaluated");
  EXPECT_GE(slots, 3);
  EXPECT_EQ(runs, slots) << "each slot evaluated once, by one replica";
  v1::GetRuleRequest get;
  get.set_name("rules/red-projects");
  ASSERT_TRUE(tickets_->GetRule(system_.CallAs("viewer").get(), get, &rule).ok());
  EXPECT_EQ(rule.opened_ticket_count(), 1);
  EXPECT_TRUE(rule.has_last_evaluate_time());

  // Disabled, the rule stops.
  v1::UpdateRuleRequest disable;
  disable.mutable_rule()->set_name("rules/red-projects");
  disable.mutable_rule()->set_enabled(false);
  disable.mutable_update_mask()->add_paths("enabled");
  ASSERT_TRUE(tickets_->UpdateRule(system_.CallAs("admin").get(), disable, &rule).ok());
  status = tickets_->EvaluateRules(system_.CallAs("admin").get(), v1::EvaluateRulesRequest(),
                                   &evaluated);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(evaluated.outcomes_size(), 0);
  v1::ListRuleHistoryRequest history_request;
  history_request.set_parent("rules/red-projects");
  v1::ListRuleHistoryResponse history;
  ASSERT_TRUE(
      tickets_->ListRuleHistory(system_.CallAs("viewer").get(), history_request, &history).ok());
  ASSERT_EQ(history.changes_size(), 2);
  EXPECT_EQ(history.changes(1).method(), "UpdateRule");
}

}  // namespace
}  // namespace jiangan
