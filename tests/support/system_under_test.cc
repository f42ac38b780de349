#include "tests/support/system_under_test.h"

#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jiangan::testing {
namespace {

// The district's catalog, read by the targets service.
constexpr char kTargetsPath[] = JIANGAN_SOURCE_DIR "/seed/2024/targets.json";
// The official working calendar, read by the supervision service.
constexpr char kCalendarPath[] = JIANGAN_SOURCE_DIR "/seed/calendar/official.json";

// The ports in a server's `serving` log line (one JSON object per line),
// once it has written one.
std::optional<std::pair<int, int>> ParseServingPorts(const std::string& log) {
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    google::protobuf::Struct entry;
    if (!google::protobuf::util::JsonStringToMessage(std::string(line), &entry).ok()) continue;
    const auto& fields = entry.fields();
    auto text = [&](const std::string& key) {
      auto it = fields.find(key);
      return it == fields.end() ? std::string() : it->second.string_value();
    };
    int grpc = 0, http = 0;
    if (text("event") == "serving" && absl::SimpleAtoi(text("grpc_port"), &grpc) &&
        absl::SimpleAtoi(text("http_port"), &http)) {
      return std::make_pair(grpc, http);
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<bool> SystemUnderTest::Launch(Endpoint* endpoint, const std::string& log_path) {
  auto process = ChildProcess::Start(endpoint->argv, log_path);
  if (!process.ok()) return process.status();
  endpoint->process = *std::move(process);
  // The server's own word for the ports it bound: a port that merely answers
  // may be another test's server.
  std::optional<std::pair<int, int>> ports;
  const bool serving = endpoint->process->WaitUntil(
      [&] { return (ports = ParseServingPorts(endpoint->process->ReadLog())).has_value(); },
      absl::Seconds(20));
  if (!serving) return false;
  std::tie(endpoint->grpc_port, endpoint->http_port) = *ports;
  return true;
}

absl::Status SystemUnderTest::StartServer(const std::string& binary, const std::string& name,
                                          std::vector<std::string> flags, Endpoint* endpoint) {
  auto argv = [&](int grpc_port, int http_port) {
    std::vector<std::string> args = {binary, "--host=127.0.0.1",
                                     absl::StrCat("--grpc_port=", grpc_port),
                                     absl::StrCat("--http_port=", http_port)};
    args.insert(args.end(), flags.begin(), flags.end());
    return args;
  };
  // Port 0: the kernel hands the server ports no one else holds, where ports
  // picked here first could be taken by another test before the server binds.
  endpoint->argv = argv(0, 0);
  endpoint->log_path = absl::StrCat(dir_, "/", name, ".log");
  absl::StatusOr<bool> up = Launch(endpoint, endpoint->log_path);
  if (!up.ok()) return up.status();
  if (!*up) {
    return absl::UnavailableError(
        absl::StrCat(name, " did not start: ", endpoint->process->ReadLog()));
  }
  // A restart comes back on the same ports, where its callers look for it.
  endpoint->argv = argv(endpoint->grpc_port, endpoint->http_port);
  return absl::OkStatus();
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

Endpoint& SystemUnderTest::renewal_replica(int index) { return replica("renewal", index); }

Endpoint& SystemUnderTest::replica(const std::string& name, int index) {
  return index == 0 ? services_.at(name) : services_.at(absl::StrCat(name, "-", index));
}

absl::Status SystemUnderTest::Start(const std::vector<std::string>& extra_gateway_flags) {
  SystemOptions options;
  options.gateway_flags = extra_gateway_flags;
  return Start(options);
}

absl::Status SystemUnderTest::Start(const SystemOptions& options) {
  dir_ = MakeTempDir();
  if (absl::Status written = credentials_.WriteTo(dir_); !written.ok()) return written;
  if (absl::Status started = redis_.Start(); !started.ok()) return started;
  auto address = [this](const std::string& name) {
    return absl::StrCat("127.0.0.1:", services_.at(name).grpc_port);
  };
  // Renewal first: facilities checks its links to renewal projects there;
  // then targets, asking the other three; supervision last, asking all four
  // about the records its tickets name.
  const std::pair<std::string, std::string> binaries[] = {
      {"renewal", JIANGAN_RENEWAL_SERVER},
      {"investment", JIANGAN_INVESTMENT_SERVER},
      {"facilities", JIANGAN_FACILITIES_SERVER},
      {"targets", JIANGAN_TARGETS_SERVER},
      {"supervision", JIANGAN_SUPERVISION_SERVER}};
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
    if (name == "targets") {
      flags.push_back(absl::StrCat("--targets_path=", kTargetsPath));
      for (const char* measured : {"renewal", "investment", "facilities"}) {
        flags.push_back(absl::StrCat("--", measured, "_address=", address(measured)));
      }
    }
    if (name == "supervision") {
      flags.push_back(absl::StrCat("--calendar_path=", kCalendarPath));
      for (const char* holder : {"renewal", "investment", "facilities", "targets"}) {
        flags.push_back(absl::StrCat("--", holder, "_address=", address(holder)));
      }
      flags.insert(flags.end(), options.supervision_flags.begin(),
                   options.supervision_flags.end());
    }
    return flags;
  };
  for (const auto& [name, binary] : binaries) {
    absl::Status started = StartServer(binary, name, service_flags(name), &services_[name]);
    if (!started.ok()) return started;
  }
  // More replicas, on the first one's database; the gateway balances over
  // them all.
  auto more_replicas = [&](const std::string& service, const char* binary,
                           int replicas) -> absl::StatusOr<std::string> {
    std::string addresses = address(service);
    for (int i = 1; i < replicas; ++i) {
      const std::string name = absl::StrCat(service, "-", i);
      absl::Status started = StartServer(binary, name, service_flags(service), &services_[name]);
      if (!started.ok()) return started;
      absl::StrAppend(&addresses, ",", address(name));
    }
    return addresses;
  };
  absl::StatusOr<std::string> renewal_addresses =
      more_replicas("renewal", JIANGAN_RENEWAL_SERVER, options.renewal_replicas);
  if (!renewal_addresses.ok()) return renewal_addresses.status();
  absl::StatusOr<std::string> supervision_addresses =
      more_replicas("supervision", JIANGAN_SUPERVISION_SERVER, options.supervision_replicas);
  if (!supervision_addresses.ok()) return supervision_addresses.status();
  std::vector<std::string> gateway_flags = {
      absl::StrCat("--renewal_address=ipv4:", *renewal_addresses),
      absl::StrCat("--investment_address=", address("investment")),
      absl::StrCat("--facilities_address=", address("facilities")),
      absl::StrCat("--targets_address=", address("targets")),
      absl::StrCat("--supervision_address=ipv4:", *supervision_addresses),
      absl::StrCat("--redis_address=127.0.0.1:", redis_.port()),
      absl::StrCat("--principals_path=", credentials_.principals_path()),
      absl::StrCat("--identity_key_file=", credentials_.key_path())};
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
