// The renewal service: urban renewal projects of Jiang'an District.
#include "common/service_main.h"
#include "services/renewal/renewal_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"renewal", 50051, 8081, "data/renewal.db"},
      [](jiangan::SqliteDb* db, jiangan::Executor* executor)
          -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
        auto service = jiangan::renewal::RenewalService::Create(db, executor);
        if (!service.ok()) return service.status();
        return std::unique_ptr<grpc::Service>(*std::move(service));
      });
}
