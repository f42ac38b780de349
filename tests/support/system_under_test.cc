#include "tests/support/system_under_test.h"

#include "absl/strings/str_cat.h"

namespace jiangan::testing {
namespace {

// The district's catalog, read by the gateway and the target values service.
constexpr char kTargetsPath[] = JIANGAN_SOURCE_DIR "/seed/2024/targets.json";

}  // namespace

absl::StatusOr<bool> SystemUnderTest::Launch(Endpoint* endpoint, const std::string& log_path) {
  auto process = ChildProcess::Start(endpoint->argv, log_path);
  if (!process.ok()) return process.status();
  endpoint->process = *std::move(process);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (endpoint->process->Running() && absl::Now() < deadline) {
    if (WaitForPort(endpoint->grpc_port, absl::Milliseconds(100)) &&
        WaitForPort(endpoint->http_port, absl::Milliseconds(100))) {
      // Answering ports and a live process: ours, not another test's server.
      return endpoint->process->Running();
    }
  }
  return false;
}

absl::Status SystemUnderTest::StartServer(const std::string& binary, const std::string& name,
                                          std::vector<std::string> flags, Endpoint* endpoint) {
  // A port free when picked may be taken by another test before the server
  // binds it; a server that exits for that is started again on other ports.
  constexpr int kAttempts = 3;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    endpoint->grpc_port = PickFreePort();
    endpoint->http_port = PickFreePort();
    endpoint->argv = {binary, "--host=127.0.0.1",
                      absl::StrCat("--grpc_port=", endpoint->grpc_port),
                      absl::StrCat("--http_port=", endpoint->http_port)};
    endpoint->argv.insert(endpoint->argv.end(), flags.begin(), flags.end());
    endpoint->log_path = absl::StrCat(dir_, "/", name, ".log");
    absl::StatusOr<bool> up = Launch(endpoint, endpoint->log_path);
    if (!up.ok()) return up.status();
    if (*up) return absl::OkStatus();
    if (endpoint->process->Running() || attempt == kAttempts) break;
  }
  return absl::UnavailableError(
      absl::StrCat(name, " did not start: ", endpoint->process->ReadLog()));
}

absl::Status SystemUnderTest::Restart(Endpoint* endpoint) {
  if (endpoint->process != nullptr && endpoint->process->Running()) {
    return absl::FailedPreconditionError("Restart: the server still runs");
  }
  absl::StatusOr<bool> up =
      Launch(endpoint, absl::StrCat(endpoint->log_path, ".", ++endpoint->restarts));
  if (!up.ok()) return up.status();
  if (!*up) {
    return absl::UnavailableError(
        absl::StrCat(endpoint->argv[0], " did not start again: ", endpoint->process->ReadLog()));
  }
  return absl::OkStatus();
}

Endpoint& SystemUnderTest::renewal_replica(int index) {
  return index == 0 ? services_.at("renewal") : services_.at(absl::StrCat("renewal-", index));
}

absl::Status SystemUnderTest::Start(const std::vector<std::string>& extra_gateway_flags) {
  return Start(SystemOptions{extra_gateway_flags});
}

absl::Status SystemUnderTest::Start(const SystemOptions& options) {
  dir_ = MakeTempDir();
  if (absl::Status written = credentials_.WriteTo(dir_); !written.ok()) return written;
  if (absl::Status started = redis_.Start(); !started.ok()) return started;
  auto address = [this](const std::string& name) {
    return absl::StrCat("127.0.0.1:", services_.at(name).grpc_port);
  };
  // Renewal first: facilities checks its links to renewal projects there.
  const std::pair<std::string, std::string> binaries[] = {
      {"renewal", JIANGAN_RENEWAL_SERVER},
      {"investment", JIANGAN_INVESTMENT_SERVER},
      {"facilities", JIANGAN_FACILITIES_SERVER},
      {"target_values", JIANGAN_TARGET_VALUES_SERVER}};
  for (const auto& [name, binary] : binaries) {
    absl::StatusOr<TestDatabase> database = TestDatabase::Create(name);
    if (!database.ok()) return database.status();
    databases_.insert_or_assign(name, *std::move(database));
  }
  auto service_flags = [&](const std::string& name) {
    // Every service verifies identities with the gateway's key.
    std::vector<std::string> flags = {databases_.at(name).ServerFlag(),
                                      absl::StrCat("--identity_key_file=", credentials_.key_path())};
    if (name == "facilities") flags.push_back(absl::StrCat("--renewal_address=", address("renewal")));
    if (name == "target_values") flags.push_back(absl::StrCat("--targets_path=", kTargetsPath));
    return flags;
  };
  for (const auto& [name, binary] : binaries) {
    absl::Status started = StartServer(binary, name, service_flags(name), &services_[name]);
    if (!started.ok()) return started;
  }
  // More renewal replicas, on the first one's database.
  std::string renewal_addresses = address("renewal");
  for (int i = 1; i < options.renewal_replicas; ++i) {
    const std::string name = absl::StrCat("renewal-", i);
    absl::Status started =
        StartServer(JIANGAN_RENEWAL_SERVER, name, service_flags("renewal"), &services_[name]);
    if (!started.ok()) return started;
    absl::StrAppend(&renewal_addresses, ",", address(name));
  }
  std::vector<std::string> gateway_flags = {
      absl::StrCat("--renewal_address=ipv4:", renewal_addresses),
      absl::StrCat("--investment_address=", address("investment")),
      absl::StrCat("--facilities_address=", address("facilities")),
      absl::StrCat("--target_values_address=", address("target_values")),
      absl::StrCat("--redis_address=127.0.0.1:", redis_.port()),
      absl::StrCat("--principals_path=", credentials_.principals_path()),
      absl::StrCat("--identity_key_file=", credentials_.key_path()),
      absl::StrCat("--targets_path=", kTargetsPath)};
  gateway_flags.insert(gateway_flags.end(), options.gateway_flags.begin(),
                       options.gateway_flags.end());
  return StartServer(JIANGAN_GATEWAY_SERVER, "gateway", gateway_flags, &gateway_);
}

const TestDatabase& SystemUnderTest::database(const std::string& service) const {
  return databases_.at(service);
}

std::unique_ptr<grpc::ClientContext> SystemUnderTest::CallAs(const std::string& caller) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!caller.empty()) context->AddMetadata("authorization", credentials_.Bearer(caller));
  return context;
}

std::string CacheHeader(const grpc::ClientContext& context) {
  auto it = context.GetServerInitialMetadata().find("x-jiangan-cache");
  return it == context.GetServerInitialMetadata().end()
             ? ""
             : std::string(it->second.data(), it->second.size());
}

std::shared_ptr<grpc::Channel> SystemUnderTest::GatewayChannel() const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_.grpc_port),
                             grpc::InsecureChannelCredentials());
}

}  // namespace jiangan::testing
