// The supervision service end to end: a real redis-server and the real
// binaries, called through the gateway over gRPC and HTTP/JSON as the
// district's departments and leaders would. A ticket about a real renewal
// project lives from issue to close; refusals name what is wrong.
#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "jiangan/supervision/v1/supervision.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/status_matchers.h"
#include "tests/support/system_under_test.h"

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
  auto bad = Http("POST", "/v1/tickets/waterlogging:return", "transport-editor", "{}");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_THAT(bad->body, HasSubstr("reason"));

  auto calendar = Http("GET", "/v1/workCalendars/2025", "viewer");
  ASSERT_TRUE(calendar.ok());
  EXPECT_EQ(calendar->status, 200) << calendar->body;
  EXPECT_THAT(calendar->body, HasSubstr("\"workingDayCount\":248"));
}

}  // namespace
}  // namespace jiangan
