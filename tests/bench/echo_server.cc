// The benchmark's floor: a bare gRPC server that answers every unary call
// with the request's own bytes. No parsing, no storage, no cache: nothing the
// system does can be faster than this on the same machine.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <signal.h>

#include <atomic>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "common/runtime/server_runtime.h"

ABSL_FLAG(int, port, 50070, "Port to serve on (127.0.0.1).");

namespace {

// What the benchmark checks after the run: every call answered with OK.
std::atomic<int64_t> answered{0};
std::atomic<int64_t> refused{0};

class EchoService final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Echo final : public grpc::ServerGenericBidiReactor {
     public:
      Echo() { StartRead(&message_); }
      void OnReadDone(bool ok) override {
        if (!ok) {
          refused.fetch_add(1, std::memory_order_relaxed);
          Finish(grpc::Status(grpc::INVALID_ARGUMENT, "no request message"));
          return;
        }
        answered.fetch_add(1, std::memory_order_relaxed);
        StartWriteAndFinish(&message_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer message_;
    };
    return new Echo;
  }
};

}  // namespace

int main(int argc, char** argv) {
  jiangan::PrepareServerProcess();
  absl::ParseCommandLine(argc, argv);
  EchoService service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", absl::GetFlag(FLAGS_port)),
                           grpc::InsecureServerCredentials());
  builder.RegisterCallbackGenericService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::cerr << "cannot listen on port " << absl::GetFlag(FLAGS_port) << "\n";
    return 1;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->Shutdown();
  std::cout << "echo_server answered=" << answered.load() << " refused=" << refused.load()
            << std::endl;
  return 0;
}
