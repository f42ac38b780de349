#include "gateway/backends.h"

#include "absl/strings/str_cat.h"
#include "common/runtime/service_client.h"

namespace jiangan::gateway {

void Backends::Add(const std::string& service, const std::string& address,
                   int channels, int max_message_bytes) {
  auto backend = std::make_unique<Backend>();
  for (int i = 0; i < std::max(1, channels); ++i) {
    ServiceChannelOptions options;
    options.index = i;
    options.max_message_bytes = max_message_bytes;
    auto channel = OpenServiceChannel(address, options);
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
