// The renewal service: urban renewal projects of Jiang'an District.
#include "common/service_main.h"
#include "services/renewal/renewal_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService<jiangan::renewal::RenewalService>(
      argc, argv, {"renewal", 50051, 8081, "data/renewal.db"});
}
