// The investment service: investment-attraction leads (招商引资) of Jiang'an District.
#include "common/service_main.h"
#include "services/investment/investment_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"investment", 50052, 8082, "data/investment.db"},
      [](jiangan::SqliteDb* db, jiangan::Executor* executor)
          -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
        auto service = jiangan::investment::InvestmentService::Create(db, executor);
        if (!service.ok()) return service.status();
        return std::unique_ptr<grpc::Service>(*std::move(service));
      });
}
