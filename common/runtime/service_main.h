// The main() of a data-owning service: flags, its database (SQLite or PostgreSQL), its
// executor, and the ServerRuntime around its gRPC service.
#ifndef JIANGAN_COMMON_RUNTIME_SERVICE_MAIN_H_
#define JIANGAN_COMMON_RUNTIME_SERVICE_MAIN_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/runtime/executor.h"
#include "common/storage/sql_db.h"

namespace jiangan {

struct ServiceDefaults {
  std::string component;  // e.g. "renewal"
  int grpc_port;          // e.g. 50051
  int http_port;          // admin port, e.g. 8081
  std::string db_path;    // e.g. "data/renewal.db"
};

// What a service is built over; everything outlives the service.
struct ServiceEnvironment {
  SqlDb* db;
  Executor* executor;
  // The key the gateway signs identities with (--identity_key_file): every
  // service verifies callers with it and derives its page-token key from it.
  std::string identity_key;
};

// The gRPC services a server serves: one per API (the targets service
// serves two), each owning what it uses.
using Services = std::vector<std::unique_ptr<grpc::Service>>;

using ServiceFactory =
    std::function<absl::StatusOr<Services>(const ServiceEnvironment& environment)>;

// `services` as Services, for a factory's return.
template <typename... Service>
Services Serve(std::unique_ptr<Service>... services) {
  Services all;
  (all.push_back(std::move(services)), ...);
  return all;
}

// Parses the flags (--grpc_port, --http_port, --host, --db_path,
// --database_url_file, --workers,
// --drain_timeout, --identity_key_file; defaults from `defaults`), serves
// until SIGTERM or SIGINT, drains and returns the process exit code.
int RunService(int argc, char** argv, const ServiceDefaults& defaults,
               const ServiceFactory& make_service);

// The same for a `Service` with
// `static absl::StatusOr<std::unique_ptr<Service>> Create(const ServiceEnvironment&)`.
template <typename Service>
int RunService(int argc, char** argv, const ServiceDefaults& defaults) {
  return RunService(argc, argv, defaults,
                    [](const ServiceEnvironment& environment) -> absl::StatusOr<Services> {
                      auto service = Service::Create(environment);
                      if (!service.ok()) return service.status();
                      return Serve(*std::move(service));
                    });
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_SERVICE_MAIN_H_
