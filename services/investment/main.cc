// The investment service: investment-attraction leads (招商引资) of Jiang'an District.
#include "common/service_main.h"
#include "services/investment/investment_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService<jiangan::investment::InvestmentService>(
      argc, argv, {"investment", 50052, 8082, "data/investment.db"});
}
