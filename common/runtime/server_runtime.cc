#include "common/runtime/server_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>


#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"
#include "common/runtime/rpc_observer.h"

namespace jiangan {
void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServerRuntime::ServerRuntime(ServerOptions options) : options_(std::move(options)) {
  SetLogComponent(options_.component);
}

ServerRuntime::~ServerRuntime() {
  if (http_) http_->Stop();
  if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now()));
}

absl::Status ServerRuntime::Start(const std::vector<grpc::Service*>& services,
                                  HttpHandler http_handler) {
  http_handler_ = std::move(http_handler);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.grpc_address, grpc::InsecureServerCredentials(),
                           &grpc_port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<RpcObserverFactory>(&metrics_, options_.slow_rpc));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve gRPC on ", options_.grpc_address));
  }
  server_->GetHealthCheckService()->SetServingStatus(true);

  auto http = HttpServer::Start(options_.http_host, options_.http_port,
                                options_.http_threads,
                                [this](const HttpRequest& r) { return ServeAdmin(r); });
  if (!http.ok()) return http.status();
  http_ = *std::move(http);
  Log(LogLevel::kInfo, "serving",
      {{"grpc_port", absl::StrCat(grpc_port_)}, {"http_port", absl::StrCat(http_->port())}});
  return absl::OkStatus();
}

HttpResponse ServerRuntime::ServeAdmin(const HttpRequest& request) const {
  if (request.path == "/healthz") {
    if (draining_.load()) return {503, "text/plain", "draining\n"};
    return {200, "text/plain", "ok\n"};
  }
  if (request.path == "/metrics") {
    return {200, "text/plain; version=0.0.4", metrics_.RenderPrometheus()};
  }
  if (http_handler_) return http_handler_(request);
  return {404, "text/plain", "not found\n"};
}

void ServerRuntime::WaitForShutdownSignalAndDrain() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  Log(LogLevel::kInfo, "draining", {{"signal", absl::StrCat(signal_number)}});
  draining_.store(true);
  server_->GetHealthCheckService()->SetServingStatus(false);
  // In-flight RPCs finish; new ones are refused; past the deadline the rest
  // are cancelled.
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.drain_timeout));
  http_->Stop();
  Log(LogLevel::kInfo, "stopped");
}

}  // namespace jiangan
