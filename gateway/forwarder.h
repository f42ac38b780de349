// Forwards one unary call to its service: authenticates the caller, asserts
// its identity to the service (signed), serves cached reads from the
// ResponseCache and invalidates what successful writes touched.
// Never blocks the gRPC callback thread: Redis work runs on the cache's
// executor and the service call is asynchronous.
// A call that fails UNAVAILABLE (its replica died or drained) is sent again,
// to another replica, when that cannot do anything twice (MayRepeat).
#ifndef JIANGAN_GATEWAY_FORWARDER_H_
#define JIANGAN_GATEWAY_FORWARDER_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "gateway/backends.h"
#include "gateway/method_plan.h"
#include "gateway/response_cache.h"

namespace jiangan::gateway {

class Forwarder {
 public:
  // `cache` may be null (no caching). Pointers must outlive the forwarder.
  // Calls that arrive without a deadline get `default_deadline`.
  // `callers` says who a caller is (and may refuse it, e.g. over its rate).
  Forwarder(const CallerAuthority* callers, const IdentitySigner* signer,
            Backends* backends, ResponseCache* cache, absl::Duration default_deadline)
      : callers_(callers),
        signer_(signer),
        backends_(backends),
        cache_(cache),
        default_deadline_(default_deadline) {}

  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* context,
                                   const MethodPlan& plan, const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response);

 private:
  using Done = absl::AnyInvocable<void(grpc::Status) &&>;
  struct Call;
  // Sends one call at most this many times.
  static constexpr int kMaxSends = 3;
  // A send after the first waits up to this long for a replica that serves
  // (one restarting, or one this channel has not yet reconnected to) rather
  // than failing at once when none is ready. gRPC bounds that wait only with
  // the call's deadline, so a resend must also be answered within it; one
  // that is not gets the first send's UNAVAILABLE.
  static constexpr absl::Duration kResendWait = absl::Seconds(3);

  // Sends the call to its service; `done` gets the final status.
  void Forward(grpc::CallbackServerContext* context, Identity caller, const MethodPlan& plan,
               const grpc::ByteBuffer* request, grpc::ByteBuffer* response, Done done);
  void Send(std::shared_ptr<Call> call);
  // Whether `call`, whose last send ended with `status`, goes again.
  bool ShouldSendAgain(const grpc::Status& status, const Call& call) const;
  void InvalidateThenFinish(const MethodPlan& plan, const grpc::ByteBuffer* request,
                            const grpc::ByteBuffer* response,
                            grpc::ServerUnaryReactor* reactor);

  const CallerAuthority* const callers_;
  const IdentitySigner* const signer_;
  Backends* const backends_;
  ResponseCache* const cache_;
  const absl::Duration default_deadline_;
};

// Client metadata passed on to the services (tracing). The caller's token
// stays at the gateway; the services get the signed identity instead, and
// whatever identity a client sends itself is dropped.
inline constexpr const char* kForwardedHeaders[] = {"x-request-id", "traceparent"};

// Copies a ByteBuffer into one string, and back.
std::string ByteBufferToString(const grpc::ByteBuffer& buffer);
grpc::ByteBuffer StringToByteBuffer(const std::string& bytes);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_FORWARDER_H_
