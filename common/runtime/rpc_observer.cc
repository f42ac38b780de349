#include "common/runtime/rpc_observer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"

namespace jiangan {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Faults of the server are errors; a caller's mistakes and slow calls are
// worth a look, not a page.
LogLevel LevelFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::INTERNAL:
    case grpc::UNKNOWN:
    case grpc::DATA_LOSS:
      return LogLevel::kError;
    case grpc::OK:
    case grpc::UNAVAILABLE:
    case grpc::DEADLINE_EXCEEDED:
    case grpc::RESOURCE_EXHAUSTED:
      return LogLevel::kWarning;
    default:
      return LogLevel::kInfo;
  }
}

class RpcObserver : public grpc::experimental::Interceptor {
 public:
  RpcObserver(grpc::experimental::ServerRpcInfo* info, Metrics* metrics,
              absl::Duration slow)
      : method_(info->method()), metrics_(metrics), slow_(slow), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const absl::Duration latency = absl::Now() - start_;
      const char* code = StatusCodeName(status.error_code());
      metrics_->RecordRpc(method_, code, latency);
      if (!status.ok() || latency > slow_) {
        Log(LevelFor(status.error_code()), status.ok() ? "slow_rpc" : "rpc_failed",
            {{"method", method_},
             {"code", code},
             {"message", status.error_message()},
             {"latency_ms", absl::StrCat(absl::ToDoubleMilliseconds(latency))}});
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  Metrics* const metrics_;
  const absl::Duration slow_;
  const absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(info, metrics_, slow_);
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

}  // namespace jiangan
