// Persistent channels from the gateway to the services, by service name.
#ifndef JIANGAN_GATEWAY_BACKENDS_H_
#define JIANGAN_GATEWAY_BACKENDS_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jiangan::gateway {

class Backends {
 public:
  // Opens `channels` channels to `address` for `service` (e.g.
  // "jiangan.renewal.v1.RenewalService"); several spread load over streams.
  // `address` is a gRPC target: "host:port", "dns:///renewal:50051" or
  // "ipv4:127.0.0.1:1,127.0.0.1:2"; each channel is an OpenServiceChannel
  // (common/runtime/service_client.h).
  // Messages either way may be up to `max_message_bytes`.
  void Add(const std::string& service, const std::string& address, int channels,
           int max_message_bytes = 4 << 20);

  // A stub for `service`, round-robin over its channels; null if unknown.
  grpc::GenericStub* StubFor(const std::string& service);

  // A channel to `service`, round-robin over its channels, for typed stubs;
  // FAILED_PRECONDITION if no address is configured for it.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFor(const std::string& service);

  // The channels of every backend, e.g. for readiness checks.
  std::vector<std::shared_ptr<grpc::Channel>> Channels() const;

 private:
  struct Backend {
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
    std::atomic<size_t> next{0};
  };
  absl::flat_hash_map<std::string, std::unique_ptr<Backend>> backends_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_BACKENDS_H_
