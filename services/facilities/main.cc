// The facilities service: public-service facilities of Jiang'an District.
#include "common/service_main.h"
#include "services/facilities/facilities_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"facilities", 50053, 8083, "data/facilities.db"},
      [](jiangan::SqliteDb* db, jiangan::Executor* executor)
          -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
        auto service = jiangan::facilities::FacilitiesService::Create(db, executor);
        if (!service.ok()) return service.status();
        return std::unique_ptr<grpc::Service>(*std::move(service));
      });
}
