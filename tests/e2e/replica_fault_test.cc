// Replicas that fail without anyone noticing: two renewal replicas on one
// database behind the gateway, under a load of reads and idempotent
// creates, while one replica is killed (SIGKILL) and started again and the
// other is drained (SIGTERM) and started again. No call may fail and no
// acknowledged write may be lost. And updates racing on both replicas with
// etags lose none.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "tests/support/server_metrics.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace renewal_v1 = renewal::v1;
using jiangan::testing::Endpoint;
using jiangan::testing::SystemOptions;
using jiangan::testing::SystemUnderTest;

constexpr int kClients = 4;

// GetProject calls a server has answered since it started, from /metrics.
int64_t GetProjectCalls(const Endpoint& endpoint) {
  return jiangan::testing::SumOfMetric(
      endpoint.http_port,
      "grpc_server_handled_total{grpc_service=\"jiangan.renewal.v1.RenewalService\","
      "grpc_method=\"GetProject\"");
}

// The load: each client creates projects with a request_id, reads back
// ones it created and lists a page, round after round, until told to stop.
class Load {
 public:
  explicit Load(const SystemUnderTest* system)
      : system_(system), stub_(renewal_v1::RenewalService::NewStub(system->GatewayChannel())) {}

  void Start() {
    for (int client = 0; client < kClients; ++client) {
      threads_.emplace_back([this, client] { Run(client); });
    }
  }
  void Stop() {
    stop_.store(true);
    for (std::thread& thread : threads_) thread.join();
  }
  // Waits until `more` calls have been made since now.
  void WaitForCalls(int64_t more) const {
    const int64_t target = calls_.load() + more;
    while (calls_.load() < target) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  int64_t calls() const { return calls_.load(); }
  std::vector<std::string> Failures() const {
    absl::MutexLock lock(&mu_);
    return failures_;
  }
  // The projects whose creation was acknowledged, by name, with the
  // request_id that made each.
  std::map<std::string, std::string> Acknowledged() const {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }

 private:
  void Run(int client) {
    std::vector<std::string> mine;
    for (int round = 0; !stop_.load(); ++round) {
      const std::string id = absl::StrCat("fault-", client, "-", round);
      renewal_v1::CreateProjectRequest create;
      create.set_project_id(id);
      create.set_request_id(absl::StrCat("request-", id));
      create.mutable_project()->set_display_name(absl::StrCat("故障演练项目 ", id));
      create.mutable_project()->set_kind(renewal_v1::OLD_COMMUNITY_RENOVATION);
      renewal_v1::Project created;
      auto context = system_->CallAs("admin");
      Record("CreateProject " + id, stub_->CreateProject(context.get(), create, &created));
      if (created.name() == "projects/" + id) {
        absl::MutexLock lock(&mu_);
        acknowledged_[created.name()] = create.request_id();
        mine.push_back(created.name());
      }
      if (!mine.empty()) {
        renewal_v1::GetProjectRequest get;
        get.set_name(mine[round % mine.size()]);
        renewal_v1::Project read;
        context = system_->CallAs("admin");
        Record("GetProject " + get.name(), stub_->GetProject(context.get(), get, &read));
      }
      renewal_v1::ListProjectsRequest list;
      list.set_page_size(5);
      renewal_v1::ListProjectsResponse page;
      context = system_->CallAs("admin");
      Record("ListProjects", stub_->ListProjects(context.get(), list, &page));
    }
  }

  void Record(const std::string& what, const grpc::Status& status) {
    calls_.fetch_add(1);
    if (status.ok()) return;
    absl::MutexLock lock(&mu_);
    failures_.push_back(absl::StrCat(what, ": ", status.error_code(), " ", status.error_message()));
  }

  const SystemUnderTest* const system_;
  const std::unique_ptr<renewal_v1::RenewalService::Stub> stub_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> calls_{0};
  mutable absl::Mutex mu_;
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
};

class ReplicaFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SystemOptions options;
    // No cache: every read goes to a replica.
    options.gateway_flags = {"--redis_address=", "--rate_limit_per_second=0"};
    options.renewal_replicas = 2;
    absl::Status started = system_.Start(options);
    ASSERT_TRUE(started.ok()) << started;
  }

  // Waits until `endpoint`, started again, answers reads the gateway sends.
  bool ServesAgain(const Endpoint& endpoint, Load* load) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      load->WaitForCalls(50);
      if (GetProjectCalls(endpoint) > 0) return true;
    }
    return false;
  }

  SystemUnderTest system_;
};

TEST_F(ReplicaFaultTest, KilledAndDrainedReplicasFailNoCallAndLoseNoWrite) {
  Load load(&system_);
  load.Start();
  load.WaitForCalls(300);
  // The gateway balances: both replicas take reads.
  EXPECT_GT(GetProjectCalls(system_.renewal_replica(0)), 0);
  EXPECT_GT(GetProjectCalls(system_.renewal_replica(1)), 0);

  Endpoint& killed = system_.renewal_replica(0);
  ASSERT_TRUE(killed.process->SignalAndWait(SIGKILL, absl::Seconds(10)).ok());
  load.WaitForCalls(300);
  ASSERT_TRUE(system_.Restart(&killed).ok());
  EXPECT_TRUE(ServesAgain(killed, &load)) << "the killed replica took no reads once restarted";

  Endpoint& drained = system_.renewal_replica(1);
  absl::StatusOr<int> drained_exit = drained.process->SignalAndWait(SIGTERM, absl::Seconds(30));
  ASSERT_TRUE(drained_exit.ok()) << drained_exit.status();
  EXPECT_EQ(*drained_exit, 0) << "a drained replica exits cleanly";
  load.WaitForCalls(300);
  ASSERT_TRUE(system_.Restart(&drained).ok());
  EXPECT_TRUE(ServesAgain(drained, &load)) << "the drained replica took no reads once restarted";
  load.WaitForCalls(300);
  load.Stop();

  // Every acknowledged write is there, listed through the gateway.
  const std::map<std::string, std::string> acknowledged = load.Acknowledged();
  auto stub = renewal_v1::RenewalService::NewStub(system_.GatewayChannel());
  std::set<std::string> stored;
  renewal_v1::ListProjectsRequest list;
  list.set_page_size(1000);
  do {
    renewal_v1::ListProjectsResponse page;
    auto context = system_.CallAs("admin");
    grpc::Status status = stub->ListProjects(context.get(), list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& project : page.projects()) stored.insert(project.name());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  int64_t lost = 0;
  for (const auto& [name, request_id] : acknowledged) lost += stored.count(name) == 0 ? 1 : 0;

  // A create sent again with its request_id, on whichever replica, gets the
  // project it made, not a second one nor an error.
  ASSERT_FALSE(acknowledged.empty());
  const auto& [first_name, first_request_id] = *acknowledged.begin();
  renewal_v1::CreateProjectRequest again;
  again.set_project_id(first_name.substr(std::string("projects/").size()));
  again.set_request_id(first_request_id);
  again.mutable_project()->set_display_name(absl::StrCat("故障演练项目 ", again.project_id()));
  again.mutable_project()->set_kind(renewal_v1::OLD_COMMUNITY_RENOVATION);
  for (int i = 0; i < 4; ++i) {
    renewal_v1::Project replayed;
    auto context = system_.CallAs("admin");
    grpc::Status status = stub->CreateProject(context.get(), again, &replayed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(replayed.name(), first_name);
  }

  const std::vector<std::string> failures = load.Failures();
  std::printf("replica fault test: %lld calls, %zu writes acknowledged, %zu failed, %lld lost\n",
              static_cast<long long>(load.calls()), acknowledged.size(), failures.size(),
              static_cast<long long>(lost));
  for (size_t i = 0; i < failures.size() && i < 10; ++i) {
    ADD_FAILURE() << "failed call: " << failures[i];
  }
  EXPECT_EQ(failures.size(), 0u);
  EXPECT_EQ(lost, 0);
}

TEST_F(ReplicaFaultTest, EtagsLoseNoUpdateRacingOnTwoReplicas) {
  auto stub = renewal_v1::RenewalService::NewStub(system_.GatewayChannel());
  renewal_v1::CreateProjectRequest create;
  create.set_project_id("contended");
  create.mutable_project()->set_display_name("后湖片区老旧小区改造");
  create.mutable_project()->set_kind(renewal_v1::OLD_COMMUNITY_RENOVATION);
  renewal_v1::Project created;
  ASSERT_TRUE(stub->CreateProject(system_.CallAs("admin").get(), create, &created).ok());

  // Each client adds one household to the plan, read-modify-write with the
  // etag it read, again and again; a stale etag is ABORTED and retried.
  constexpr int kIncrementsPerClient = 25;
  std::atomic<int> conflicts{0};
  std::vector<std::string> errors;
  absl::Mutex errors_mu;
  std::vector<std::thread> clients;
  for (int client = 0; client < kClients; ++client) {
    clients.emplace_back([&] {
      for (int done = 0; done < kIncrementsPerClient;) {
        renewal_v1::GetProjectRequest get;
        get.set_name("projects/contended");
        renewal_v1::Project read;
        grpc::Status status = stub->GetProject(system_.CallAs("admin").get(), get, &read);
        renewal_v1::UpdateProjectRequest update;
        update.mutable_project()->set_name(read.name());
        update.mutable_project()->set_etag(read.etag());
        update.mutable_project()->mutable_planned()->set_households(
            read.planned().households() + 1);
        update.mutable_update_mask()->add_paths("planned");
        renewal_v1::Project updated;
        if (status.ok()) {
          status = stub->UpdateProject(system_.CallAs("admin").get(), update, &updated);
        }
        if (status.ok()) {
          ++done;
        } else if (status.error_code() == grpc::StatusCode::ABORTED) {
          conflicts.fetch_add(1);
        } else {
          absl::MutexLock lock(&errors_mu);
          errors.push_back(status.error_message());
          return;
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_TRUE(errors.empty()) << errors.front();

  renewal_v1::GetProjectRequest get;
  get.set_name("projects/contended");
  renewal_v1::Project final_state;
  ASSERT_TRUE(stub->GetProject(system_.CallAs("admin").get(), get, &final_state).ok());
  std::printf("etag race: %d updates acknowledged, %d stale etags refused, %lld households\n",
              kClients * kIncrementsPerClient, conflicts.load(),
              static_cast<long long>(final_state.planned().households()));
  EXPECT_EQ(final_state.planned().households(), kClients * kIncrementsPerClient);
  EXPECT_GT(GetProjectCalls(system_.renewal_replica(0)), 0);
  EXPECT_GT(GetProjectCalls(system_.renewal_replica(1)), 0);
}

}  // namespace
}  // namespace jiangan
