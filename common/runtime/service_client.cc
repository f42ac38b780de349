#include "common/runtime/service_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"

namespace jiangan {

std::shared_ptr<grpc::Channel> OpenServiceChannel(const std::string& address,
                                                  const ServiceChannelOptions& options) {
  grpc::ChannelArguments args;
  // A distinct argument per channel keeps gRPC from sharing one connection.
  args.SetInt("jiangan.channel_index", options.index);
  ApplyClientKeepalive(options.keepalive, &args);
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  // Every address the name resolves to (each replica behind a Kubernetes
  // headless service, or an ipv4:a,b list) takes calls in turn. One that
  // fails, or reports NOT_SERVING on grpc.health.v1 Watch (a replica
  // draining), drops out until it serves again; the name is resolved anew.
  args.SetServiceConfigJSON(
      R"({"loadBalancingConfig": [{"round_robin": {}}],)"
      R"( "healthCheckConfig": {"serviceName": ""}})");
  // A replica restarted by Kubernetes is back in seconds: look for it soon,
  // not after gRPC's default backoff of up to two minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void AssertCaller(const IdentitySigner& signer, const Identity& caller,
                  grpc::ClientContext* context) {
  for (const auto& [key, value] : signer.SignReusing(caller, absl::Now())) {
    context->AddMetadata(key, value);
  }
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view service) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(service, ": ", status.error_message()));
}

ServiceCaller::ServiceCaller(const IdentitySigner* signer,
                             const grpc::CallbackServerContext* incoming, Identity caller,
                             absl::Duration default_timeout)
    : signer_(signer),
      incoming_(incoming),
      caller_(std::move(caller)),
      deadline_(incoming == nullptr
                    ? absl::Now() + default_timeout
                    : std::min(absl::FromChrono(incoming->deadline()),
                               absl::Now() + default_timeout)) {}

std::unique_ptr<grpc::ClientContext> ServiceCaller::NewContext() const {
  // Deadline and cancellation follow the incoming call.
  std::unique_ptr<grpc::ClientContext> context =
      incoming_ == nullptr ? std::make_unique<grpc::ClientContext>()
                           : grpc::ClientContext::FromCallbackServerContext(*incoming_);
  context->set_deadline(absl::ToChronoTime(deadline_));
  AssertCaller(*signer_, caller_, context.get());
  return context;
}

absl::Status ServiceCaller::Reported(const grpc::Status& status, absl::string_view service,
                                     absl::string_view what) const {
  if (status.ok()) return absl::OkStatus();
  Log(LogLevel::kWarning, "service_call_failed",
      {{"service", std::string(service)},
       {"call", std::string(what)},
       {"code", absl::StrCat(status.error_code())},
       {"error", status.error_message()},
       {"principal", caller_.principal}});
  return FromGrpc(status, service);
}

bool ServiceCaller::GaveUpOn(absl::string_view service) const {
  absl::MutexLock lock(&mu_);
  return given_up_.contains(service);
}

void ServiceCaller::GiveUpOn(absl::string_view service) const {
  absl::MutexLock lock(&mu_);
  given_up_.insert(std::string(service));
}

absl::Status ReferenceCheckStatus(const absl::Status& read, absl::string_view field,
                                  absl::string_view resource, absl::string_view service) {
  switch (read.code()) {
    case absl::StatusCode::kOk:
      return absl::OkStatus();
    case absl::StatusCode::kNotFound:
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", resource, " does not exist in the ", service, " service"));
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return absl::UnavailableError(absl::StrCat(field, ": could not check ", resource, ": the ",
                                                 service, " service did not answer (",
                                                 read.message(), "); retry"));
    default:
      return absl::Status(read.code(), absl::StrCat(field, ": checking ", resource, " with the ",
                                                    service, " service: ", read.message()));
  }
}

}  // namespace jiangan
