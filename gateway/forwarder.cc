#include "gateway/forwarder.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/status.h"
#include "common/runtime/service_client.h"

namespace jiangan::gateway {
namespace {

std::unique_ptr<google::protobuf::Message> Parse(const google::protobuf::Message& prototype,
                                                 const grpc::ByteBuffer& buffer) {
  std::unique_ptr<google::protobuf::Message> message(prototype.New());
  if (!message->ParseFromString(ByteBufferToString(buffer))) return nullptr;
  return message;
}

// Whether a response of `plan` says it is partial (an answer a service could
// not help with in full): such an answer is shown, never kept. Only
// declared answers can be partial; a Get of a resource is whole or an error.
bool IsPartialAnswer(const MethodPlan& plan, const std::string& response) {
  if (plan.kind != MethodPlan::Kind::kCachedAnswer) return false;
  std::unique_ptr<google::protobuf::Message> parsed(plan.response_prototype->New());
  return !parsed->ParseFromString(response) || IsPartial(*parsed);
}

}  // namespace

std::string ByteBufferToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

grpc::ByteBuffer StringToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

grpc::ServerUnaryReactor* Forwarder::Handle(grpc::CallbackServerContext* context,
                                            const MethodPlan& plan,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Identity> authenticated = callers_->Identify(context->client_metadata());
  if (!authenticated.ok()) {
    reactor->Finish(ToGrpcStatus(authenticated.status()));
    return reactor;
  }
  Identity caller = *std::move(authenticated);
  if (cache_ != nullptr && (plan.kind == MethodPlan::Kind::kCachedRead ||
                            plan.kind == MethodPlan::Kind::kCachedAnswer)) {
    const std::string serialized = ByteBufferToString(*request);
    std::unique_ptr<google::protobuf::Message> parsed(plan.request_prototype->New());
    std::optional<CacheSlot> slot;
    if (parsed->ParseFromString(serialized)) {
      slot = CacheSlotOf(plan, *parsed, serialized, caller, ChinaDayOf(absl::Now()));
    }
    if (slot.has_value()) {
      cache_->Lookup(slot->name, slot->view,
                     [this, context, caller, &plan, request, response, reactor,
                      slot = *slot](std::optional<std::string> cached,
                                    FillTicket ticket) mutable {
        if (cached.has_value()) {
          *response = StringToByteBuffer(*cached);
          context->AddInitialMetadata("x-jiangan-cache", "hit");
          reactor->Finish(grpc::Status::OK);
          return;
        }
        context->AddInitialMetadata("x-jiangan-cache", "miss");
        Forward(context, std::move(caller), plan, request, response,
                [this, &plan, reactor, response, slot = std::move(slot),
                 ticket = std::move(ticket)](grpc::Status status) mutable {
                  if (status.ok()) {
                    std::string answer = ByteBufferToString(*response);
                    if (!IsPartialAnswer(plan, answer)) {
                      cache_->Fill(std::move(slot.name), std::move(slot.view), std::move(ticket),
                                   std::move(answer));
                    }
                  }
                  reactor->Finish(status);
                });
      });
      return reactor;
    }
  }
  Forward(context, std::move(caller), plan, request, response,
          [this, &plan, request, response, reactor](grpc::Status status) {
            if (status.ok() && plan.kind == MethodPlan::Kind::kWrite && cache_ != nullptr) {
              InvalidateThenFinish(plan, request, response, reactor);
            } else {
              reactor->Finish(status);
            }
          });
  return reactor;
}

// One forwarded call, kept from its first send to its last.
struct Forwarder::Call {
  grpc::CallbackServerContext* context;
  const MethodPlan* plan;
  const grpc::ByteBuffer* request;
  grpc::ByteBuffer* response;
  Identity caller;
  // The caller's deadline, or the default one: every send shares it.
  std::chrono::system_clock::time_point deadline;
  Done done;
  int sends = 0;
  // Why the last send failed, answered if a resend only times out waiting.
  grpc::Status last_failure = grpc::Status::OK;
};

void Forwarder::Forward(grpc::CallbackServerContext* context, Identity caller,
                        const MethodPlan& plan, const grpc::ByteBuffer* request,
                        grpc::ByteBuffer* response, Done done) {
  auto call = std::make_shared<Call>(Call{context, &plan, request, response, std::move(caller),
                                          context->deadline(), std::move(done)});
  if (call->deadline == std::chrono::system_clock::time_point::max()) {
    call->deadline = absl::ToChronoTime(absl::Now() + default_deadline_);
  }
  Send(std::move(call));
}

void Forwarder::Send(std::shared_ptr<Call> call) {
  grpc::GenericStub* stub = backends_->StubFor(call->plan->service);
  if (stub == nullptr) {
    std::move(call->done)(grpc::Status(grpc::UNIMPLEMENTED,
                                       absl::StrCat(call->plan->service, " has no backend")));
    return;
  }
  ++call->sends;
  // Propagates the caller's deadline and cancellation to the service.
  std::unique_ptr<grpc::ClientContext> client_context =
      grpc::ClientContext::FromCallbackServerContext(*call->context);
  if (call->sends == 1) {
    client_context->set_deadline(call->deadline);
  } else {
    client_context->set_wait_for_ready(true);
    client_context->set_deadline(
        std::min(call->deadline, absl::ToChronoTime(absl::Now() + kResendWait)));
  }
  const auto& metadata = call->context->client_metadata();
  for (const char* header : kForwardedHeaders) {
    auto [begin, end] = metadata.equal_range(header);
    for (auto it = begin; it != end; ++it) {
      client_context->AddMetadata(header, std::string(it->second.data(), it->second.size()));
    }
  }
  AssertCaller(*signer_, call->caller, client_context.get());
  grpc::ClientContext* raw_context = client_context.release();
  Call* raw_call = call.get();
  stub->UnaryCall(raw_context, raw_call->plan->path, grpc::StubOptions(), raw_call->request,
                  raw_call->response,
                  [this, raw_context, call = std::move(call)](grpc::Status status) mutable {
                    delete raw_context;
                    if (ShouldSendAgain(status, *call)) {
                      call->last_failure = std::move(status);
                      Send(std::move(call));
                      return;
                    }
                    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED &&
                        call->sends > 1 && call->deadline > std::chrono::system_clock::now()) {
                      // Our wait for a serving replica ran out, not the caller's time.
                      status = std::move(call->last_failure);
                    }
                    std::move(call->done)(std::move(status));
                  });
}

bool Forwarder::ShouldSendAgain(const grpc::Status& status, const Call& call) const {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE || call.sends >= kMaxSends ||
      call.context->IsCancelled() || call.deadline <= std::chrono::system_clock::now()) {
    return false;
  }
  if (call.plan->kind != MethodPlan::Kind::kWrite) return true;
  auto parsed = Parse(*call.plan->request_prototype, *call.request);
  return parsed != nullptr && MayRepeat(*call.plan, *parsed);
}

void Forwarder::InvalidateThenFinish(const MethodPlan& plan, const grpc::ByteBuffer* request,
                                     const grpc::ByteBuffer* response,
                                     grpc::ServerUnaryReactor* reactor) {
  auto parsed_request = Parse(*plan.request_prototype, *request);
  auto parsed_response = Parse(*plan.response_prototype, *response);
  std::vector<std::string> names;
  if (parsed_request && parsed_response) {
    names = WrittenNames(*parsed_request, *parsed_response);
  }
  // Answers computed from this service's records go too (declared in its
  // proto: jiangan.type.v1.invalidates_answers).
  names.insert(names.end(), plan.invalidated_groups.begin(), plan.invalidated_groups.end());
  // The response is held back until every touched name is invalidated, so a
  // read that follows it cannot see the old value.
  auto remaining = std::make_shared<std::atomic<size_t>>(names.size());
  for (std::string& name : names) {
    cache_->Invalidate(std::move(name), [remaining, reactor] {
      if (remaining->fetch_sub(1) == 1) reactor->Finish(grpc::Status::OK);
    });
  }
}

}  // namespace jiangan::gateway
