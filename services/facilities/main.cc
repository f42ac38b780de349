// The facilities service: public-service facilities of Jiang'an District.
#include "common/runtime/service_main.h"
#include "services/facilities/facilities_service.h"

int main(int argc, char** argv) {
  return jiangan::RunService<jiangan::facilities::FacilitiesService>(
      argc, argv, {"facilities", 50053, 8083, "data/facilities.db"});
}
