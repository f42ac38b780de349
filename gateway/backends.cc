#include "gateway/backends.h"

#include "absl/strings/str_cat.h"

namespace jiangan::gateway {

void Backends::Add(const std::string& service, const std::string& address,
                   int channels, int max_message_bytes) {
  auto backend = std::make_unique<Backend>();
  for (int i = 0; i < std::max(1, channels); ++i) {
    grpc::ChannelArguments args;
    // A distinct argument per channel keeps gRPC from sharing one connection.
    args.SetInt("jiangan.channel_index", i);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    args.SetMaxReceiveMessageSize(max_message_bytes);
    args.SetMaxSendMessageSize(max_message_bytes);
    // Every address the name resolves to (each replica behind a Kubernetes
    // headless service, or an ipv4:a,b list) takes calls in turn. One that
    // fails, or reports NOT_SERVING on grpc.health.v1 Watch (a replica
    // draining), drops out until it serves again; the name is resolved anew.
    args.SetServiceConfigJSON(
        R"({"loadBalancingConfig": [{"round_robin": {}}],)"
        R"( "healthCheckConfig": {"serviceName": ""}})");
    // A replica restarted by Kubernetes is back in seconds: look for it
    // soon, not after gRPC's default backoff of up to two minutes.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    auto channel =
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    backend->stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
    backend->channels.push_back(std::move(channel));
  }
  backends_[service] = std::move(backend);
}

grpc::GenericStub* Backends::StubFor(const std::string& service) {
  auto it = backends_.find(service);
  if (it == backends_.end()) return nullptr;
  Backend& backend = *it->second;
  return backend.stubs[backend.next.fetch_add(1, std::memory_order_relaxed) %
                       backend.stubs.size()]
      .get();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Backends::ChannelFor(const std::string& service) {
  auto it = backends_.find(service);
  if (it == backends_.end()) {
    return absl::FailedPreconditionError(absl::StrCat(service, " is not configured"));
  }
  Backend& backend = *it->second;
  return backend.channels[backend.next.fetch_add(1, std::memory_order_relaxed) %
                          backend.channels.size()];
}

std::vector<std::shared_ptr<grpc::Channel>> Backends::Channels() const {
  std::vector<std::shared_ptr<grpc::Channel>> all;
  for (const auto& [service, backend] : backends_) {
    all.insert(all.end(), backend->channels.begin(), backend->channels.end());
  }
  return all;
}

}  // namespace jiangan::gateway
