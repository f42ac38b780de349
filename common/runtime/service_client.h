// Calling another service as the caller: how the gateway forwards a call,
// the targets service asks renewal, investment and facilities for an
// actual, and facilities checks a renewal project. The caller's identity is
// asserted, signed, so the other service applies the caller's rights, not
// the asking server's; the incoming call's deadline and cancellation carry
// over; the answer comes back as an absl::Status naming the service.
#ifndef JIANGAN_COMMON_RUNTIME_SERVICE_CLIENT_H_
#define JIANGAN_COMMON_RUNTIME_SERVICE_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "common/runtime/keepalive.h"

namespace jiangan {

struct ServiceChannelOptions {
  // Channels to one address with different indexes hold their own
  // connections, so several spread load over more than one.
  int index = 0;
  int max_message_bytes = 4 << 20;
  KeepalivePolicy keepalive;
};

// A channel to the service at `address`, a gRPC target ("host:port",
// "dns:///renewal:50051", "ipv4:127.0.0.1:1,127.0.0.1:2"): round-robin over
// every address it names, each health-checked (a replica reporting
// NOT_SERVING while it drains drops out), reconnecting within two seconds,
// with the keepalive the servers accept.
std::shared_ptr<grpc::Channel> OpenServiceChannel(const std::string& address,
                                                  const ServiceChannelOptions& options = {});

// Adds `caller`'s signed identity to `context`.
void AssertCaller(const IdentitySigner& signer, const Identity& caller,
                  grpc::ClientContext* context);

// `status` as an absl::Status with its message prefixed by `service`, e.g.
// "renewal: ...".
absl::Status FromGrpc(const grpc::Status& status, absl::string_view service);

// What checking that `resource` (named by request field `field`) exists in
// `service` comes to, given the status of reading it there: OK; NOT_FOUND
// becomes FAILED_PRECONDITION (the request names a record that is not
// there); UNAVAILABLE and DEADLINE_EXCEEDED become UNAVAILABLE asking for a
// retry; any other code is kept. Each message names `field`.
absl::Status ReferenceCheckStatus(const absl::Status& read, absl::string_view field,
                                  absl::string_view resource, absl::string_view service);

// The calls one incoming call makes to other services on its caller's
// behalf, or that a server's own scheduled work makes as the server.
// Lives no longer than the incoming call.
class ServiceCaller {
 public:
  // `signer` and `incoming` must outlive this object. Calls end by
  // `incoming`'s deadline, or within `default_timeout` of now when it has
  // none, and are cancelled with it. A null `incoming` is work of the
  // server's own (a schedule): calls end within `default_timeout`.
  ServiceCaller(const IdentitySigner* signer, const grpc::CallbackServerContext* incoming,
                Identity caller, absl::Duration default_timeout);

  const Identity& caller() const { return caller_; }

  // A context for one call as the caller.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  // Runs the read `call(grpc::ClientContext*) -> grpc::Status` on `service`
  // as the caller. UNAVAILABLE (a connection the server closed, a replica
  // restarting) gets one more try, which waits up to kRetryWait for a
  // connection that serves; a read cannot do anything twice. A service that
  // stays unavailable is tried once only by the rest of this caller's reads,
  // so a service down costs one wait, not one per read. A failure is logged
  // with `what` and returned as FromGrpc(status, service).
  template <typename Call>
  absl::Status Read(absl::string_view service, absl::string_view what, Call call) const {
    std::unique_ptr<grpc::ClientContext> context = NewContext();
    grpc::Status status = call(context.get());
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !GaveUpOn(service)) {
      std::unique_ptr<grpc::ClientContext> again = NewContext();
      again->set_wait_for_ready(true);
      again->set_deadline(absl::ToChronoTime(std::min(deadline_, absl::Now() + kRetryWait)));
      grpc::Status retried = call(again.get());
      // A retry that only ran out of its wait keeps the first answer.
      if (retried.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED ||
          absl::Now() >= deadline_) {
        status = std::move(retried);
      }
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) GiveUpOn(service);
    }
    return Reported(status, service, what);
  }

  // How long a read's second try waits for its service.
  static constexpr absl::Duration kRetryWait = absl::Seconds(1);

 private:
  // FromGrpc(status, service), logging a failure.
  absl::Status Reported(const grpc::Status& status, absl::string_view service,
                        absl::string_view what) const;
  bool GaveUpOn(absl::string_view service) const;
  void GiveUpOn(absl::string_view service) const;

  const IdentitySigner* const signer_;
  const grpc::CallbackServerContext* const incoming_;
  const Identity caller_;
  const absl::Time deadline_;
  mutable absl::Mutex mu_;
  // Services that stayed unavailable after a second try.
  mutable absl::flat_hash_set<std::string> given_up_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_SERVICE_CLIENT_H_
