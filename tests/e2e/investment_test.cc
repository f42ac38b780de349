// The investment service end to end: a real redis-server and the four real
// binaries, called through the gateway over gRPC and HTTP/JSON as the
// district's departments and tools would, and straight at every service as
// a forger would.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/identity/identity.h"
#include "gtest/gtest.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "jiangan/target_values/v1/target_values.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace v1 = investment::v1;
using testing::kHousingDepartment;

class InvestmentSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
    gateway_ = v1::InvestmentService::NewStub(system_.GatewayChannel());
  }

  // A call through the gateway as `caller` ("admin", "viewer",
  // "housing-editor", "transport-editor"); "" sends no token.
  std::unique_ptr<grpc::ClientContext> As(const std::string& caller) const {
    return system_.CallAs(caller);
  }

  // Reads lead `name` as `caller` through the gateway until it is served
  // from the cache; returns that copy.
  v1::Lead ReadCached(const std::string& caller, const std::string& name) {
    v1::GetLeadRequest get;
    get.set_name(name);
    v1::Lead lead;
    for (int i = 0; i < 500; ++i) {
      auto context = As(caller);
      EXPECT_TRUE(gateway_->GetLead(context.get(), get, &lead).ok());
      if (testing::CacheHeader(*context) == "hit") return lead;
      absl::SleepFor(absl::Milliseconds(10));
    }
    ADD_FAILURE() << "never served from the cache";
    return lead;
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<v1::InvestmentService::Stub> gateway_;
};

TEST_F(InvestmentSystemTest, TheCacheNeverHandsOneCallersPersonalViewToAnother) {
  v1::CreateLeadRequest create;
  create.set_lead_id("riverside-hq");
  v1::Lead* lead = create.mutable_lead();
  lead->set_display_name("滨江总部项目");
  lead->set_industry(v1::HEADQUARTERS_ECONOMY);
  lead->set_owner_department(kHousingDepartment);
  lead->mutable_company()->set_name("武汉滨江置业有限公司");
  lead->mutable_company()->set_contact_person("李四");
  lead->mutable_company()->set_contact_phone("13900001111");
  v1::Lead created;
  ASSERT_TRUE(gateway_->CreateLead(As("viewer").get(), create, &created).error_code() ==
              grpc::PERMISSION_DENIED);
  grpc::Status status = gateway_->CreateLead(As("housing-editor").get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.company().contact_phone(), "13900001111");

  // The viewer of another department fills the cache with its redacted view.
  EXPECT_EQ(ReadCached("viewer", "leads/riverside-hq").company().contact_phone(), "***");
  // The owning department and an ADMIN still see the numbers, from their own views.
  EXPECT_EQ(ReadCached("housing-editor", "leads/riverside-hq").company().contact_phone(),
            "13900001111");
  EXPECT_EQ(ReadCached("admin", "leads/riverside-hq").company().contact_person(), "李四");
  EXPECT_EQ(ReadCached("transport-editor", "leads/riverside-hq").company().contact_phone(), "***");
  EXPECT_EQ(ReadCached("viewer", "leads/riverside-hq").company().contact_phone(), "***");

  // A write drops every view: the next reads see the new name, each its own way.
  v1::UpdateLeadRequest update;
  update.mutable_lead()->set_name("leads/riverside-hq");
  update.mutable_lead()->set_display_name("滨江区域总部项目");
  update.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(gateway_->UpdateLead(As("housing-editor").get(), update, &created).ok());
  v1::GetLeadRequest get;
  get.set_name("leads/riverside-hq");
  for (const char* caller : {"viewer", "housing-editor"}) {
    v1::Lead read;
    ASSERT_TRUE(gateway_->GetLead(As(caller).get(), get, &read).ok());
    EXPECT_EQ(read.display_name(), "滨江区域总部项目") << caller;
  }
}

TEST_F(InvestmentSystemTest, TheDistrictsLeadsLoadOnceHoweverOftenTheyAreApplied) {
  const std::string command = absl::StrCat(
      JIANGAN_CLI, " --target=127.0.0.1:", system_.gateway().grpc_port, " --authorization='",
      system_.credentials().Bearer("admin"), "' seed ", JIANGAN_SOURCE_DIR,
      "/seed/2024/investment.jsonl > /dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_EQ(std::system(command.c_str()), 0);
  v1::SummarizeLeadsRequest request;
  request.add_group_by(v1::BY_INDUSTRY);
  v1::SummarizeLeadsResponse summary;
  ASSERT_TRUE(gateway_->SummarizeLeads(As("viewer").get(), request, &summary).ok());
  int64_t total = 0, digital = 0;
  for (const auto& group : summary.groups()) {
    total += group.lead_count();
    if (group.industry() == v1::DIGITAL_ECONOMY) digital = group.lead_count();
  }
  EXPECT_EQ(total, 11);
  EXPECT_EQ(digital, 4);  // the four digital-economy clusters of 2024
}

TEST_F(InvestmentSystemTest, InternalToolsRunThePipelineOverHttpJson) {
  const int port = system_.gateway().http_port;
  auto http = [&](const std::string& caller, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    auto result = testing::HttpRequestTo(port, method, path, body,
                                         system_.credentials().Bearer(caller));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::HttpResult{};
  };
  auto created = http("admin", "POST", "/v1/leads?lead_id=sumec-central-china",
                      R"({"displayName":"苏美达华中区域总部","industry":"HEADQUARTERS_ECONOMY",
                          "company":{"name":"苏美达（华中）有限公司"},"headEnterprise":true,
                          "ownerDepartment":"区投资促进局"})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_TRUE(absl::StrContains(created.body, "\"normalizedName\":\"苏美达华中\"")) << created.body;
  auto duplicate = http("admin", "POST", "/v1/leads?lead_id=sumec-2",
                        R"({"displayName":"x","industry":"OTHER_INDUSTRY",
                            "company":{"name":"苏美达华中有限责任公司"}})");
  EXPECT_EQ(duplicate.status, 400) << duplicate.body;  // FAILED_PRECONDITION
  EXPECT_TRUE(absl::StrContains(duplicate.body, "leads/sumec-central-china")) << duplicate.body;
  auto similar = http("viewer", "GET", "/v1/leads:findSimilar?company_name=苏美达华中");
  EXPECT_EQ(similar.status, 200) << similar.body;
  EXPECT_TRUE(absl::StrContains(similar.body, "\"similarityPercent\":100")) << similar.body;
  auto register_lead = http(
      "admin", "PATCH",
      "/v1/leads/sumec-central-china?update_mask=stage,agreement_date,signed_investment_yuan,"
      "company.uscc,registration_date",
      R"({"stage":"REGISTERED","agreementDate":{"year":2024,"month":3,"day":1},
          "signedInvestmentYuan":"300000000","company":{"name":"苏美达（华中）有限公司",
          "uscc":"91350100M000100Y43"},"registrationDate":{"year":2024,"month":4,"day":2}})");
  ASSERT_EQ(register_lead.status, 200) << register_lead.body;
  EXPECT_TRUE(absl::StrContains(register_lead.body, "\"majorProject\":true")) << register_lead.body;
  auto funds = http("admin", "POST", "/v1/leads/sumec-central-china:recordFunds?request_id=w1",
                    R"({"arrivalDate":{"year":2024,"month":5,"day":20},"amountYuan":"120000000"})");
  ASSERT_EQ(funds.status, 200) << funds.body;
  auto activity = http("admin", "POST", "/v1/leads/sumec-central-china:logActivity",
                       R"({"kind":"VISIT","date":{"year":2024,"month":5,"day":21},
                           "summary":"区领导走访"})");
  ASSERT_EQ(activity.status, 200) << activity.body;
  auto entries = http("viewer", "GET", "/v1/leads/sumec-central-china/fundsEntries");
  EXPECT_TRUE(absl::StrContains(entries.body, "\"amountYuan\":\"120000000\"")) << entries.body;
  auto activities = http("viewer", "GET", "/v1/leads/sumec-central-china/activities");
  EXPECT_TRUE(absl::StrContains(activities.body, "区领导走访")) << activities.body;
  auto history = http("viewer", "GET", "/v1/leads/sumec-central-china/history");
  EXPECT_TRUE(absl::StrContains(history.body, "\"method\":\"RecordFunds\"")) << history.body;
  auto summary = http("viewer", "GET",
                      "/v1/leads:summarize?group_by=BY_HEAD_ENTERPRISE&funds_year=2024");
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_TRUE(absl::StrContains(summary.body, "\"arrivedInvestmentYuan\":\"120000000\""))
      << summary.body;
  EXPECT_TRUE(absl::StrContains(summary.body, "\"month\":\"2024-05\",\"arrivedYuan\":\"120000000\""))
      << summary.body;
  auto bad = http("admin", "POST", "/v1/leads/sumec-central-china:recordFunds",
                  R"({"arrivalDate":{"year":2024,"month":5,"day":20},"amountYuan":"-1"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(absl::StrContains(bad.body, "funds_entry.amount_yuan")) << bad.body;
  EXPECT_EQ(http("viewer", "POST", "/v1/leads/sumec-central-china:logActivity",
                 R"({"kind":"CALL","date":{"year":2024,"month":5,"day":21},"summary":"x"})")
                .status,
            403);
}

// Every service refuses a call that does not carry the gateway's signed,
// fresh identity, whatever method it is.
TEST_F(InvestmentSystemTest, EveryServiceRefusesCallsWithoutAValidIdentity) {
  const Identity admin = system_.credentials().IdentityOf("admin");
  const IdentitySigner gateway_signer(system_.credentials().key());
  const IdentitySigner forger("a key that is not the gateway's, though long enough");
  IdentityMetadata altered = gateway_signer.Sign(system_.credentials().IdentityOf("viewer"),
                                                 absl::Now());
  altered[0].second = gateway_signer.Sign(admin, absl::Now())[0].second;  // role swapped
  const std::vector<std::pair<std::string, IdentityMetadata>> assertions = {
      {"missing", {}},
      {"forged", forger.Sign(admin, absl::Now())},
      {"altered", altered},
      {"old", gateway_signer.Sign(admin, absl::Now() - absl::Minutes(10))},
  };
  target_values::v1::ListTargetValuesRequest all_values;
  all_values.set_parent("targets/-");
  // (service, method, request message), each a read that needs no data.
  const std::vector<std::tuple<std::string, std::string, std::string>> calls = {
      {"renewal", "/jiangan.renewal.v1.RenewalService/ListProjects", ""},
      {"investment", "/jiangan.investment.v1.InvestmentService/ListLeads", ""},
      {"investment", "/jiangan.investment.v1.InvestmentService/SummarizeLeads", ""},
      {"facilities", "/jiangan.facilities.v1.FacilitiesService/ListFacilities", ""},
      {"targets", "/jiangan.target_values.v1.TargetValuesService/ListTargetValues",
       all_values.SerializeAsString()},
      {"targets", "/jiangan.portfolio.v1.PortfolioService/ListTargets", ""},
  };
  for (const auto& [service, method, message] : calls) {
    grpc::GenericStub stub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", system_.service(service).grpc_port),
        grpc::InsecureChannelCredentials()));
    // Named copies: clang 14 cannot capture structured bindings.
    auto call = [&, method = method, message = message](const IdentityMetadata& metadata) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
      grpc::Slice bytes(message);
      grpc::ByteBuffer request(&bytes, 1), response;
      grpc::Status result;
      absl::Notification done;
      stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                     [&](grpc::Status status) {
                       result = std::move(status);
                       done.Notify();
                     });
      done.WaitForNotification();
      return result;
    };
    for (const auto& [what, metadata] : assertions) {
      EXPECT_EQ(call(metadata).error_code(), grpc::UNAUTHENTICATED) << method << " " << what;
    }
    EXPECT_TRUE(call(gateway_signer.Sign(admin, absl::Now())).ok()) << method;
  }
  // The gateway's own API wants a token too.
  auto portfolio = portfolio::v1::PortfolioService::NewStub(system_.GatewayChannel());
  portfolio::v1::ListTargetsRequest list;
  portfolio::v1::ListTargetsResponse targets;
  EXPECT_EQ(portfolio->ListTargets(As("").get(), list, &targets).error_code(),
            grpc::UNAUTHENTICATED);
  EXPECT_TRUE(portfolio->ListTargets(As("viewer").get(), list, &targets).ok());
}

}  // namespace
}  // namespace jiangan
