// End to end: a real redis-server and the four real binaries on free
// loopback ports, driven through the gateway over gRPC and HTTP.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/runtime/api_catalog.h"
#include "common/identity/identity.h"
#include "gateway/redis_client.h"
#include "gateway/response_cache.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/server_metrics.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace renewal_v1 = renewal::v1;
namespace investment_v1 = investment::v1;
namespace facilities_v1 = facilities::v1;
using jiangan::testing::HttpRequestTo;

class SystemTest : public ::testing::Test {
 protected:
  // These tests watch Redis itself, so the gateway's near cache (in front of
  // Redis) is off here; NearCacheSystemTest has it on.
  virtual std::vector<std::string> GatewayFlags() const { return {"--near_cache_entries=0"}; }

  void SetUp() override {
    absl::Status started = system_.Start(GatewayFlags());
    ASSERT_TRUE(started.ok()) << started;
    channel_ = system_.GatewayChannel();
    renewal_ = renewal_v1::RenewalService::NewStub(channel_);
    investment_ = investment_v1::InvestmentService::NewStub(channel_);
    facilities_ = facilities_v1::FacilitiesService::NewStub(channel_);
    redis_ = std::make_unique<RedisClient>("127.0.0.1", system_.redis().port(), absl::Seconds(1));
  }

  // A call through the gateway, as the district's admin.
  std::unique_ptr<grpc::ClientContext> Context() const { return system_.CallAs("admin"); }

  // A call straight to a service, with the identity the gateway would assert.
  std::unique_ptr<grpc::ClientContext> DirectContext() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    IdentitySigner signer(system_.credentials().key());
    for (const auto& [key, value] :
         signer.Sign(system_.credentials().IdentityOf("admin"), absl::Now())) {
      context->AddMetadata(key, value);
    }
    return context;
  }

  // An HTTP request to the gateway, as the district's admin.
  absl::StatusOr<testing::HttpResult> Http(const std::string& method, const std::string& target,
                                           const std::string& body = "") const {
    return HttpRequestTo(system_.gateway().http_port, method, target, body,
                         system_.credentials().Bearer("admin"));
  }

  renewal_v1::Project CreateProject(const std::string& id, const std::string& display_name) {
    renewal_v1::CreateProjectRequest request;
    request.set_project_id(id);
    request.mutable_project()->set_display_name(display_name);
    request.mutable_project()->set_kind(renewal_v1::URBAN_VILLAGE_REDEVELOPMENT);
    renewal_v1::Project project;
    grpc::Status status = renewal_->CreateProject(Context().get(), request, &project);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return project;
  }

  grpc::Status GetProject(const std::string& name, renewal_v1::Project* project,
                          std::string* cache_header = nullptr) {
    renewal_v1::GetProjectRequest request;
    request.set_name(name);
    auto context = Context();
    grpc::Status status = renewal_->GetProject(context.get(), request, project);
    if (cache_header != nullptr) *cache_header = testing::CacheHeader(*context);
    return status;
  }

  // The cached bytes Redis itself holds for `name`.
  std::optional<std::string> CachedInRedis(const std::string& name) {
    auto reply = redis_->Command({"HGET", gateway::ResponseCache::ValueKey(name), ""});
    if (!reply.ok() || reply->type != RedisReply::Type::kString) return std::nullopt;
    return reply->str;
  }

  // Moves project `name` to APPROVED through the gateway.
  grpc::Status Approve(const std::string& name) {
    renewal_v1::UpdateProjectRequest update;
    update.mutable_project()->set_name(name);
    update.mutable_project()->set_phase(renewal_v1::APPROVED);
    update.mutable_update_mask()->add_paths("phase");
    renewal_v1::Project updated;
    return renewal_->UpdateProject(Context().get(), update, &updated);
  }

  // Fills happen just after the response; wait for Redis to show one.
  std::optional<std::string> EventuallyCached(const std::string& name) {
    for (int i = 0; i < 200; ++i) {
      if (auto cached = CachedInRedis(name)) return cached;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return std::nullopt;
  }

  testing::SystemUnderTest system_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<renewal_v1::RenewalService::Stub> renewal_;
  std::unique_ptr<investment_v1::InvestmentService::Stub> investment_;
  std::unique_ptr<facilities_v1::FacilitiesService::Stub> facilities_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(SystemTest, CreatesGetsAndListsEachServiceOverGrpc) {
  renewal_v1::Project project = CreateProject("heinihu-village", "黑泥湖村城中村改造");
  EXPECT_EQ(project.name(), "projects/heinihu-village");
  renewal_v1::Project got;
  ASSERT_TRUE(GetProject(project.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "黑泥湖村城中村改造");
  renewal_v1::ListProjectsResponse projects;
  ASSERT_TRUE(renewal_->ListProjects(Context().get(), {}, &projects).ok());
  ASSERT_EQ(projects.projects_size(), 1);

  investment_v1::CreateLeadRequest create_lead;
  create_lead.set_lead_id("insurance-stationed-team");
  create_lead.mutable_lead()->set_display_name("驻点招商专班:保险机构");
  create_lead.mutable_lead()->set_industry(investment_v1::FINANCE_INSURANCE);
  create_lead.mutable_lead()->set_channel(investment_v1::STATIONED_TEAM);
  create_lead.mutable_lead()->set_station_city("深圳");
  create_lead.mutable_lead()->set_intended_investment_yuan(34000000000);
  investment_v1::Lead lead;
  ASSERT_TRUE(investment_->CreateLead(Context().get(), create_lead, &lead).ok());
  investment_v1::GetLeadRequest get_lead;
  get_lead.set_name("leads/insurance-stationed-team");
  investment_v1::Lead got_lead;
  ASSERT_TRUE(investment_->GetLead(Context().get(), get_lead, &got_lead).ok());
  EXPECT_EQ(got_lead.intended_investment_yuan(), 34000000000);
  EXPECT_EQ(got_lead.stage(), investment_v1::LEAD);
  investment_v1::ListLeadsResponse leads;
  ASSERT_TRUE(investment_->ListLeads(Context().get(), {}, &leads).ok());
  EXPECT_EQ(leads.leads_size(), 1);

  facilities_v1::CreateFacilityRequest create_facility;
  create_facility.set_facility_id("wuhan-eighth-hospital");
  create_facility.mutable_facility()->set_display_name("武汉市第八医院");
  create_facility.mutable_facility()->set_kind(facilities_v1::HOSPITAL);
  create_facility.mutable_facility()->set_status(facilities_v1::IN_SERVICE);
  create_facility.mutable_facility()->set_owner_department("区卫生健康委员会");
  facilities_v1::Facility facility;
  ASSERT_TRUE(facilities_->CreateFacility(Context().get(), create_facility, &facility).ok());
  facilities_v1::GetFacilityRequest get_facility;
  get_facility.set_name("facilities/wuhan-eighth-hospital");
  facilities_v1::Facility got_facility;
  ASSERT_TRUE(facilities_->GetFacility(Context().get(), get_facility, &got_facility).ok());
  EXPECT_EQ(got_facility.display_name(), "武汉市第八医院");
  facilities_v1::ListFacilitiesResponse list;
  ASSERT_TRUE(facilities_->ListFacilities(Context().get(), {}, &list).ok());
  EXPECT_EQ(list.facilities_size(), 1);
}

TEST_F(SystemTest, CreatesGetsAndListsEachServiceOverHttpJson) {
  struct Case {
    std::string collection, id_param, body, expected;
  };
  const std::vector<Case> cases = {
      {"projects", "project_id", R"({"displayName":"淌湖村城中村改造","kind":"URBAN_VILLAGE_REDEVELOPMENT"})",
       "淌湖村城中村改造"},
      {"leads", "lead_id",
       R"({"displayName":"江岸产业发展基金招商","industry":"OTHER_INDUSTRY","channel":"FUND","fund":"江岸产业发展基金"})",
       "江岸产业发展基金招商"},
      {"facilities", "facility_id",
       R"({"displayName":"新岱山医院","kind":"HOSPITAL","ownerDepartment":"区卫生健康委员会",)"
       R"("location":{"latitude":30.65,"longitude":114.33}})",
       "新岱山医院"},
  };
  for (const Case& c : cases) {
    auto created = Http("POST",
                                 absl::StrCat("/v1/", c.collection, "?", c.id_param, "=item-1"),
                                 c.body);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->status, 200) << created->body;
    EXPECT_EQ(created->content_type, "application/json");
    auto got = Http("GET", absl::StrCat("/v1/", c.collection, "/item-1"));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->status, 200) << got->body;
    EXPECT_TRUE(absl::StrContains(got->body, c.expected)) << got->body;
    EXPECT_TRUE(absl::StrContains(got->body, absl::StrCat("\"name\":\"", c.collection, "/item-1\"")));
    auto listed = Http("GET", absl::StrCat("/v1/", c.collection, "?page_size=10"));
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed->status, 200);
    EXPECT_TRUE(absl::StrContains(listed->body, c.expected)) << listed->body;
  }
  // The gateway's own API: the report's targets.
  auto target = Http("GET", "/v1/targets/expropriation-signed");
  ASSERT_TRUE(target.ok());
  EXPECT_TRUE(absl::StrContains(target->body, "全年完成征收签约59万平方米")) << target->body;
}

TEST_F(SystemTest, SecondGetIsServedFromRedisAndAWriteInvalidatesIt) {
  renewal_v1::Project project = CreateProject("tanghu-village", "淌湖村城中村改造");
  renewal_v1::Project first;
  std::string header;
  ASSERT_TRUE(GetProject(project.name(), &first, &header).ok());
  EXPECT_EQ(header, "miss");
  // Redis now holds exactly the response the service gave.
  std::optional<std::string> cached = EventuallyCached(project.name());
  ASSERT_TRUE(cached.has_value());
  renewal_v1::Project in_redis;
  ASSERT_TRUE(in_redis.ParseFromString(*cached));
  EXPECT_EQ(in_redis.SerializeAsString(), first.SerializeAsString());

  // Plant a marker in Redis itself: only a read served from Redis sees it.
  in_redis.set_description("planted in redis by the test");
  ASSERT_TRUE(redis_->Command({"HSET", gateway::ResponseCache::ValueKey(project.name()), "",
                               in_redis.SerializeAsString()})
                  .ok());
  renewal_v1::Project second;
  ASSERT_TRUE(GetProject(project.name(), &second, &header).ok());
  EXPECT_EQ(header, "hit");
  EXPECT_EQ(second.description(), "planted in redis by the test");

  // A write through the gateway removes the entry before it returns...
  ASSERT_TRUE(Approve(project.name()).ok());
  EXPECT_EQ(CachedInRedis(project.name()), std::nullopt);
  // ...so the next read is the new value, from the service.
  renewal_v1::Project third;
  ASSERT_TRUE(GetProject(project.name(), &third, &header).ok());
  EXPECT_EQ(header, "miss");
  EXPECT_EQ(third.phase(), renewal_v1::APPROVED);
  EXPECT_EQ(third.description(), "");

  // The same holds for writes over HTTP.
  ASSERT_TRUE(EventuallyCached(project.name()).has_value());
  auto patched = Http("PATCH",
                               "/v1/projects/tanghu-village?update_mask=displayName",
                               R"j({"displayName":"淌湖村城中村改造(一期)"})j");
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(CachedInRedis(project.name()), std::nullopt);
  renewal_v1::Project fourth;
  ASSERT_TRUE(GetProject(project.name(), &fourth).ok());
  EXPECT_EQ(fourth.display_name(), "淌湖村城中村改造(一期)");
}

TEST_F(SystemTest, ReadsAndWritesSucceedWithRedisDead) {
  renewal_v1::Project project = CreateProject("jintan-village", "金潭村城中村改造");
  renewal_v1::Project got;
  ASSERT_TRUE(GetProject(project.name(), &got).ok());
  ASSERT_TRUE(EventuallyCached(project.name()).has_value());
  system_.redis().Kill();

  std::string header;
  ASSERT_TRUE(GetProject(project.name(), &got, &header).ok());
  EXPECT_EQ(header, "miss");
  EXPECT_EQ(got.display_name(), "金潭村城中村改造");
  renewal_v1::UpdateProjectRequest update;
  update.mutable_project()->set_name(project.name());
  update.mutable_project()->set_display_name("金潭村城中村改造项目");
  update.mutable_update_mask()->add_paths("display_name");
  renewal_v1::Project updated;
  ASSERT_TRUE(renewal_->UpdateProject(Context().get(), update, &updated).ok());
  ASSERT_TRUE(GetProject(project.name(), &got).ok());
  EXPECT_EQ(got.display_name(), "金潭村城中村改造项目");
  auto http = Http("GET", "/v1/projects/jintan-village");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->status, 200);
  EXPECT_TRUE(absl::StrContains(http->body, "金潭村城中村改造项目"));
}

TEST_F(SystemTest, WriteDuringRedisHangNeverLeavesAStaleRead) {
  renewal_v1::Project project = CreateProject("huanzihu", "鲩子湖危旧房合作化改造");
  renewal_v1::Project got;
  ASSERT_TRUE(GetProject(project.name(), &got).ok());
  ASSERT_TRUE(EventuallyCached(project.name()).has_value());
  system_.redis().process()->Signal(SIGSTOP);
  ASSERT_TRUE(Approve(project.name()).ok());
  system_.redis().process()->Signal(SIGCONT);  // Redis is back with the old entry
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(GetProject(project.name(), &got).ok());
    EXPECT_EQ(got.phase(), renewal_v1::APPROVED) << "read " << i;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

TEST_F(SystemTest, BadInputGetsTheRightStatus) {
  renewal_v1::Project got;
  grpc::Status missing = GetProject("projects/no-such-project", &got);
  EXPECT_EQ(missing.error_code(), grpc::NOT_FOUND);
  grpc::Status malformed = GetProject("not a name", &got);
  EXPECT_EQ(malformed.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(malformed.error_message(), "name:")) << malformed.error_message();
  EXPECT_EQ(GetProject("", &got).error_code(), grpc::INVALID_ARGUMENT);

  for (int i = 0; i < 3; ++i) CreateProject(absl::StrCat("p", i), "项目");
  renewal_v1::ListProjectsRequest list;
  list.set_page_size(5000);  // documented: clamped to 1000
  renewal_v1::ListProjectsResponse page;
  ASSERT_TRUE(renewal_->ListProjects(Context().get(), list, &page).ok());
  EXPECT_EQ(page.projects_size(), 3);
  EXPECT_TRUE(page.next_page_token().empty());
  list.set_page_size(-1);
  EXPECT_EQ(renewal_->ListProjects(Context().get(), list, &page).error_code(),
            grpc::INVALID_ARGUMENT);
  list.set_page_size(1);
  list.set_page_token("forged");
  EXPECT_EQ(renewal_->ListProjects(Context().get(), list, &page).error_code(),
            grpc::INVALID_ARGUMENT);

  renewal_v1::CreateProjectRequest create;
  create.mutable_project()->set_kind(renewal_v1::OTHER);
  renewal_v1::Project created;
  grpc::Status no_name = renewal_->CreateProject(Context().get(), create, &created);
  EXPECT_EQ(no_name.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(no_name.error_message(), "project.display_name: must be 1 to 200 characters, got 0");

  create.mutable_project()->set_display_name("重复");
  create.set_project_id("p0");
  EXPECT_EQ(renewal_->CreateProject(Context().get(), create, &created).error_code(),
            grpc::ALREADY_EXISTS);

  create.set_project_id("");
  create.set_request_id("retry-me");
  renewal_v1::Project once, twice;
  ASSERT_TRUE(renewal_->CreateProject(Context().get(), create, &once).ok());
  ASSERT_TRUE(renewal_->CreateProject(Context().get(), create, &twice).ok());
  EXPECT_EQ(once.name(), twice.name());

  renewal_v1::UpdateProjectRequest stale;
  stale.mutable_project()->set_name("projects/p1");
  stale.mutable_project()->set_display_name("x");
  stale.mutable_project()->set_etag("not-the-etag");
  stale.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(renewal_->UpdateProject(Context().get(), stale, &created).error_code(),
            grpc::ABORTED);

  // The same over HTTP, as JSON errors with mapped statuses.
  auto not_found = Http("GET", "/v1/projects/no-such-project");
  EXPECT_EQ(not_found->status, 404);
  EXPECT_TRUE(absl::StrContains(not_found->body, "\"status\":\"NOT_FOUND\"")) << not_found->body;
  EXPECT_EQ(Http("GET", "/v1/projects/Bad_Name")->status, 400);
  EXPECT_EQ(Http("GET", "/v1/projects?page_size=-3")->status, 400);
  EXPECT_EQ(Http("GET", "/v1/projects?no_such_param=1")->status, 400);
  EXPECT_EQ(Http("POST", "/v1/projects", "{not json")->status, 400);
  EXPECT_EQ(Http("GET", "/v1/nothing-here")->status, 404);
  EXPECT_EQ(Http("PATCH", "/v1/facilities")->status, 501);  // a collection has no Update
  EXPECT_EQ(Http("DELETE", "/v1/projects/p1?etag=stale")->status, 409);
  EXPECT_EQ(Http("GET", "/v1/progress_reports")->status, 404);  // a child collection
  auto deleted = Http("DELETE", "/v1/projects/p1");
  EXPECT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_TRUE(absl::StrContains(deleted->body, "\"deleteTime\"")) << deleted->body;
  EXPECT_EQ(Http("GET", "/v1/projects/p1")->status, 404);
}

// Sends one hand-encoded message on a unary method and returns the reply bytes.
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, std::string* response,
                      const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice slice(request);
  grpc::ByteBuffer in(&slice, 1), out;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &in, &out, [&](grpc::Status s) {
    status = s;
    done.Notify();
  });
  done.WaitForNotification();
  std::vector<grpc::Slice> slices;
  (void)out.Dump(&slices);
  for (auto& s : slices) response->append(reinterpret_cast<const char*>(s.begin()), s.size());
  return status;
}

TEST_F(SystemTest, EveryServerAnswersHealthChecks) {
  // grpc.health.v1.HealthCheckRequest{} is empty; SERVING is field 1 = 1.
  for (int port : {system_.gateway().grpc_port, system_.service("renewal").grpc_port,
                   system_.service("investment").grpc_port,
                   system_.service("facilities").grpc_port,
                   system_.service("targets").grpc_port}) {
    std::string reply;
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                       grpc::InsecureChannelCredentials());
    ASSERT_TRUE(RawUnary(channel, "/grpc.health.v1.Health/Check", "", &reply).ok()) << port;
    EXPECT_EQ(reply, std::string("\x08\x01", 2)) << port;
  }
  auto healthz = Http("GET", "/healthz");
  EXPECT_EQ(healthz->status, 200);
  auto metrics = Http("GET", "/metrics");
  EXPECT_TRUE(absl::StrContains(metrics->body, "grpc_server_handled_total{"
                                               "grpc_service=\"grpc.health.v1.Health\""))
      << metrics->body;
}

// One request and its one reply on the gateway's server reflection stream.
std::string ReflectionExchange(const std::shared_ptr<grpc::Channel>& channel,
                               const std::string& request_bytes) {
  class Exchange : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    void OnWriteDone(bool) override { StartWritesDone(); }
    void OnReadDone(bool ok) override {
      if (!ok) return;
      std::vector<grpc::Slice> slices;
      (void)response.Dump(&slices);
      for (auto& s : slices) reply.append(reinterpret_cast<const char*>(s.begin()), s.size());
      StartRead(&response);
    }
    void OnDone(const grpc::Status& s) override {
      status = s;
      done.Notify();
    }
    grpc::ByteBuffer request, response;
    std::string reply;
    grpc::Status status;
    absl::Notification done;
  } exchange;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice slice(request_bytes);
  exchange.request = grpc::ByteBuffer(&slice, 1);
  stub.PrepareBidiStreamingCall(&context,
                                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                grpc::StubOptions(), &exchange);
  exchange.StartWrite(&exchange.request);
  exchange.StartRead(&exchange.response);
  exchange.StartCall();
  exchange.done.WaitForNotification();
  EXPECT_TRUE(exchange.status.ok()) << exchange.status.error_message();
  return exchange.reply;
}

// A length-delimited string field of a hand-encoded message.
std::string StringField(int number, const std::string& value) {
  std::string out(1, static_cast<char>(number << 3 | 2));
  out += static_cast<char>(value.size());  // values here are under 128 bytes
  return out + value;
}

TEST_F(SystemTest, GatewayReflectionListsAndDescribesEveryServedApi) {
  // ServerReflectionRequest.list_services is field 7.
  const std::string listed = ReflectionExchange(channel_, StringField(7, "*"));
  const std::vector<std::pair<std::string, std::string>> apis = {
      {"jiangan.renewal.v1.RenewalService", "jiangan/renewal/v1/renewal.proto"},
      {"jiangan.investment.v1.InvestmentService", "jiangan/investment/v1/investment.proto"},
      {"jiangan.facilities.v1.FacilitiesService", "jiangan/facilities/v1/facilities.proto"},
      {"jiangan.portfolio.v1.PortfolioService", "jiangan/portfolio/v1/portfolio.proto"}};
  for (const auto& [service, file] : apis) {
    EXPECT_TRUE(absl::StrContains(listed, service)) << service;
    // file_containing_symbol (field 4) returns the serialized descriptors,
    // which a client needs to call the service knowing nothing else.
    const std::string described = ReflectionExchange(channel_, StringField(4, service));
    EXPECT_TRUE(absl::StrContains(described, file)) << service;
  }
  EXPECT_TRUE(absl::StrContains(listed, "grpc.health.v1.Health"));
  const std::string described =
      ReflectionExchange(channel_, StringField(4, "jiangan.renewal.v1.RenewalService"));
  EXPECT_TRUE(absl::StrContains(described, "UpdateProject"));
  EXPECT_TRUE(absl::StrContains(described, "google/protobuf/field_mask.proto"));
}

TEST_F(SystemTest, DrainLetsInFlightCallsFinishAndRefusesNewOnes) {
  // A real write lock on the service's database holds a Create in flight:
  // a transaction of ours that stays open until the test lets it end.
  auto db = system_.database("renewal").Connect();
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Notification release_lock, lock_held;
  std::thread holder([&] {
    ASSERT_TRUE((*db)->InTransaction([&] {
                       lock_held.Notify();
                       release_lock.WaitForNotification();
                       return absl::OkStatus();
                     }).ok());
  });
  lock_held.WaitForNotification();
  const std::string address = absl::StrCat("127.0.0.1:", system_.service("renewal").grpc_port);
  auto stub = renewal_v1::RenewalService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::Status in_flight_status;
  renewal_v1::Project in_flight_result;
  std::thread in_flight([&] {
    renewal_v1::CreateProjectRequest request;
    request.set_project_id("in-flight");
    request.mutable_project()->set_display_name("十六中片");
    request.mutable_project()->set_kind(renewal_v1::HISTORIC_RESTORATION);
    in_flight_status = stub->CreateProject(DirectContext().get(), request, &in_flight_result);
  });
  absl::SleepFor(absl::Milliseconds(300));  // the Create waits on the lock
  auto& renewal_process = *system_.service("renewal").process;
  renewal_process.Signal(SIGTERM);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_TRUE(renewal_process.Running()) << "exited with a call in flight";
  // First it tells clients to go elsewhere (NOT_SERVING is field 1 = 2),
  // still answering for the drain notice (1 s by default)...
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  std::string health;
  ASSERT_TRUE(RawUnary(channel, "/grpc.health.v1.Health/Check", "", &health).ok());
  EXPECT_EQ(health, std::string("\x08\x02", 2));
  absl::SleepFor(absl::Seconds(1));
  // ...then a new call is refused while the old one drains.
  auto late = renewal_v1::RenewalService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  renewal_v1::ListProjectsResponse page;
  EXPECT_EQ(late->ListProjects(DirectContext().get(), {}, &page).error_code(), grpc::UNAVAILABLE);

  release_lock.Notify();
  holder.join();
  in_flight.join();
  EXPECT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(in_flight_result.name(), "projects/in-flight");
  auto exit_code = renewal_process.SignalAndWait(0, absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0);
  // The drained write is durable.
  auto check = (*db)->Prepare("SELECT count(*) FROM projects WHERE id = 'in-flight'");
  ASSERT_TRUE(check.ok() && *check->Step());
  EXPECT_EQ(check->ColumnInt64(0), 1);
}

TEST_F(SystemTest, RandomInputNeverCrashesAServer) {
  std::mt19937 random(20241224);
  auto garbage = [&random] {
    std::string bytes(random() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    return bytes;
  };
  std::vector<std::shared_ptr<grpc::Channel>> targets = {channel_};
  for (const char* name : {"renewal", "investment", "facilities", "targets"}) {
    targets.push_back(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", system_.service(name).grpc_port),
        grpc::InsecureChannelCredentials()));
  }
  int answered = 0;
  for (const auto* service : Apis().All()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const std::string path =
          absl::StrCat("/", service->full_name(), "/", service->method(m)->name());
      for (const auto& target : targets) {
        // Authenticated, so that the garbage reaches the handlers.
        const bool gateway = target == channel_;
        std::vector<std::pair<std::string, std::string>> metadata =
            gateway ? std::vector<std::pair<std::string, std::string>>{
                          {"authorization", system_.credentials().Bearer("admin")}}
                    : IdentitySigner(system_.credentials().key())
                          .Sign(system_.credentials().IdentityOf("admin"), absl::Now());
        for (int i = 0; i < 20; ++i) {
          std::string reply;
          grpc::Status status = RawUnary(target, path, garbage(), &reply, metadata);
          // Whatever the answer, it is an answer: never a dropped connection.
          EXPECT_NE(status.error_code(), grpc::UNAVAILABLE) << path;
          ++answered;
        }
      }
    }
  }
  for (const char* target : {"/v1/projects/%", "/v1/projects?page_token=%ZZ", "/v1//",
                             "/v1/projects/a/b/c", "/v1/leads?page_size=99999999999999"}) {
    auto reply = Http("GET", target);
    ASSERT_TRUE(reply.ok()) << target;
    EXPECT_GE(reply->status, 400) << target;
  }
  for (const char* body : {"", "null", "[]", "{\"displayName\": 5}", "{\"kind\": \"NOPE\"}",
                           "{\"location\": {\"latitude\": \"north\"}}"}) {
    auto reply = Http("POST", "/v1/facilities", body);
    ASSERT_TRUE(reply.ok()) << body;
    EXPECT_EQ(reply->status, 400) << body << " -> " << reply->body;
  }
  EXPECT_GT(answered, 0);
  EXPECT_TRUE(system_.gateway().process->Running());
  for (const char* name : {"renewal", "investment", "facilities", "targets"}) {
    EXPECT_TRUE(system_.service(name).process->Running()) << name;
  }
  renewal_v1::ListProjectsResponse page;
  EXPECT_TRUE(renewal_->ListProjects(Context().get(), {}, &page).ok());
}

TEST_F(SystemTest, ServiceExitsZeroOnSigtermAndGatewayReportsItUnavailable) {
  CreateProject("before-drain", "项目");
  auto exit_code = system_.service("renewal").process->SignalAndWait(SIGTERM, absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_TRUE(absl::StrContains(system_.service("renewal").process->ReadLog(), "\"event\":\"stopped\""));
  renewal_v1::ListProjectsResponse page;
  EXPECT_EQ(renewal_->ListProjects(Context().get(), {}, &page).error_code(), grpc::UNAVAILABLE);
  // The other services are unaffected.
  investment_v1::ListLeadsResponse leads;
  EXPECT_TRUE(investment_->ListLeads(Context().get(), {}, &leads).ok());
  // An idle client connection only delays the drain until it sees GOAWAY.
  renewal_.reset();
  investment_.reset();
  facilities_.reset();
  channel_.reset();
  auto gateway_exit = system_.gateway().process->SignalAndWait(SIGTERM, absl::Seconds(30));
  ASSERT_TRUE(gateway_exit.ok());
  EXPECT_EQ(*gateway_exit, 0);
}

}  // namespace
}  // namespace jiangan

namespace jiangan {
namespace {

class NearCacheSystemTest : public SystemTest {
 protected:
  std::vector<std::string> GatewayFlags() const override { return {}; }

  int64_t NearHits() {
    return jiangan::testing::SumOfMetric(system_.gateway().http_port,
                                         "gateway_cache_lookups_total{result=\"near_hit\"}");
  }
};

TEST_F(NearCacheSystemTest, ReadsAreAnsweredInProcessUntilAWriteDropsThem) {
  renewal_v1::Project project = CreateProject("tanghu-village", "淌湖村城中村改造");
  renewal_v1::Project first;
  std::string header;
  ASSERT_TRUE(GetProject(project.name(), &first, &header).ok());
  EXPECT_EQ(header, "miss");
  ASSERT_TRUE(EventuallyCached(project.name()).has_value());
  // Once Redis holds it, the gateway keeps a copy in process.
  bool near = false;
  for (int i = 0; i < 200 && !near; ++i) {
    const int64_t before = NearHits();
    renewal_v1::Project again;
    ASSERT_TRUE(GetProject(project.name(), &again, &header).ok());
    EXPECT_EQ(header, "hit");
    EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
    near = NearHits() > before;
    if (!near) absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(near) << "no read was answered from the near cache";

  // A value planted in Redis alone is not what the gateway answers: the
  // near copy does, without a round trip.
  renewal_v1::Project planted = first;
  planted.set_description("planted in redis by the test");
  ASSERT_TRUE(redis_->Command({"HSET", gateway::ResponseCache::ValueKey(project.name()), "",
                               planted.SerializeAsString()})
                  .ok());
  renewal_v1::Project second;
  ASSERT_TRUE(GetProject(project.name(), &second, &header).ok());
  EXPECT_EQ(second.description(), "");

  // A write through the gateway drops both copies before it returns, so the
  // next read is the new value.
  ASSERT_TRUE(Approve(project.name()).ok());
  renewal_v1::Project third;
  ASSERT_TRUE(GetProject(project.name(), &third, &header).ok());
  EXPECT_EQ(header, "miss");
  EXPECT_EQ(third.phase(), renewal_v1::APPROVED);
}

}  // namespace
}  // namespace jiangan
