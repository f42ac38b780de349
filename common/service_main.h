// The main() of a data-owning service: flags, its SQLite database, its
// executor, and the ServerRuntime around its gRPC service.
#ifndef JIANGAN_COMMON_SERVICE_MAIN_H_
#define JIANGAN_COMMON_SERVICE_MAIN_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/executor.h"
#include "common/sqlite_db.h"

namespace jiangan {

struct ServiceDefaults {
  std::string component;  // e.g. "renewal"
  int grpc_port;          // e.g. 50051
  int http_port;          // admin port, e.g. 8081
  std::string db_path;    // e.g. "data/renewal.db"
};

// Builds the service over an open database; both outlive the service.
using ServiceFactory = std::function<absl::StatusOr<std::unique_ptr<grpc::Service>>(
    SqliteDb* db, Executor* executor)>;

// Parses the flags (--grpc_port, --http_port, --host, --db_path, --workers,
// --drain_timeout; defaults from `defaults`), serves until SIGTERM or SIGINT,
// drains and returns the process exit code.
int RunService(int argc, char** argv, const ServiceDefaults& defaults,
               const ServiceFactory& make_service);

// The same for a `Service` with
// `static absl::StatusOr<std::unique_ptr<Service>> Create(SqliteDb*, Executor*)`.
template <typename Service>
int RunService(int argc, char** argv, const ServiceDefaults& defaults) {
  return RunService(argc, argv, defaults,
                    [](SqliteDb* db, Executor* executor)
                        -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
                      auto service = Service::Create(db, executor);
                      if (!service.ok()) return service.status();
                      return std::unique_ptr<grpc::Service>(*std::move(service));
                    });
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_SERVICE_MAIN_H_
