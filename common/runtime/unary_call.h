// Runs a unary RPC's blocking work on an Executor instead of the gRPC
// callback thread, and finishes the RPC with the work's status.
#ifndef JIANGAN_COMMON_RUNTIME_UNARY_CALL_H_
#define JIANGAN_COMMON_RUNTIME_UNARY_CALL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "common/runtime/executor.h"
#include "common/base/status.h"

namespace jiangan {

// `work` is called as `absl::Status work()` and fills the response itself.
// A call cancelled or past its deadline while queued is finished without
// running `work`; a full queue answers RESOURCE_EXHAUSTED.
template <typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   Executor* executor, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = executor->Submit([context, reactor, work = std::move(work)]() mutable {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::CANCELLED, "cancelled by the caller"));
      return;
    }
    if (context->deadline() <= std::chrono::system_clock::now()) {
      reactor->Finish(
          grpc::Status(grpc::DEADLINE_EXCEEDED, "deadline passed before the work began"));
      return;
    }
    reactor->Finish(ToGrpcStatus(work()));
  });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::RESOURCE_EXHAUSTED,
                                 "server busy: request queue is full; retry with backoff"));
  }
  return reactor;
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_UNARY_CALL_H_
