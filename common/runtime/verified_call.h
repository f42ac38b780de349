// The one way every server of the system runs an RPC: identify the caller,
// check the role the method needs, then run the work on the server's
// executor (or inline, for servers without blocking work). No RPC runs
// without an identity.
//
//   grpc::ServerUnaryReactor* InvestmentService::GetLead(context, request, response) {
//     return calls_.Serve(context, ReadAccess("GetLead"), [=, this](const Identity& caller) {
//       return FillResponse(store_->Get(caller, *request), response);
//     });
//   }
#ifndef JIANGAN_COMMON_RUNTIME_VERIFIED_CALL_H_
#define JIANGAN_COMMON_RUNTIME_VERIFIED_CALL_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"
#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/unary_call.h"

namespace jiangan {

// What a method needs of its caller, and its name for the refusal message.
struct Access {
  Role minimum_role;
  absl::string_view method;
};

// Reads are open to every identified caller; changes need an EDITOR, whose
// department rights the store checks per resource.
inline Access ReadAccess(absl::string_view method) { return {Role::kViewer, method}; }
inline Access WriteAccess(absl::string_view method) { return {Role::kEditor, method}; }
// What only an ADMIN may do, whatever the department (e.g. keeping the
// rules that open tickets by themselves).
inline Access AdminAccess(absl::string_view method) { return {Role::kAdmin, method}; }

// Stores a StatusOr's value in `response` and returns its status: the usual
// last step of a verified call's work.
template <typename T>
absl::Status FillResponse(absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  return result.status();
}

class VerifiedCalls {
 public:
  // `authority` and `executor` must outlive this object; with a null
  // `executor` the work runs on the gRPC thread (for in-memory work only).
  VerifiedCalls(const CallerAuthority* authority, Executor* executor)
      : authority_(authority), executor_(executor) {}

  // Runs `work(const Identity& caller) -> absl::Status` once the caller is
  // identified and holds `access.minimum_role`; the work fills the response.
  template <typename Work>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, Access access,
                                  Work work) const {
    auto verified = [this, context, access, work = std::move(work)]() mutable -> absl::Status {
      ASSIGN_OR_RETURN(const Identity caller, authority_->Identify(context->client_metadata()));
      RETURN_IF_ERROR(CheckRole(caller, access.minimum_role, access.method));
      return work(caller);
    };
    if (executor_ != nullptr) return RunUnary(context, executor_, std::move(verified));
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(verified()));
    return reactor;
  }

 private:
  const CallerAuthority* const authority_;
  Executor* const executor_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_VERIFIED_CALL_H_
