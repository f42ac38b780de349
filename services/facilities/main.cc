// The facilities service: public-service facilities of Jiang'an District.
#include "absl/flags/flag.h"
#include "common/base/hmac.h"
#include "common/runtime/service_client.h"
#include "common/runtime/service_main.h"
#include "services/facilities/facilities_service.h"

ABSL_FLAG(std::string, renewal_address, "",
          "The renewal service (host:port), where links to renewal projects are checked; empty "
          "refuses such links.");
ABSL_FLAG(double, walking_detour_factor, 1.3,
          "Coverage: walking distance over straight-line distance (street detours).");
ABSL_FLAG(double, walking_meters_per_minute, 80, "Coverage: walking speed, metres per minute.");
ABSL_FLAG(std::string, capacity_per_1000_residents,
          "KINDERGARTEN=30,PRIMARY_SCHOOL=60,MIDDLE_SCHOOL=30,HIGH_SCHOOL=20,CHILDCARE=4.5",
          "Coverage: capacity residents need per 1,000 of them, by kind, in the kind's unit "
          "(seats, slots); kinds not named are not weighed by capacity.");
ABSL_FLAG(double, elderly_care_beds_per_1000_elderly, 40,
          "Coverage: elderly-care beds needed per 1,000 residents aged 60 or more.");
ABSL_FLAG(double, elderly_share_percent, 20,
          "Coverage: share of residents aged 60 or more where a point does not say.");
ABSL_FLAG(double, assess_search_limit_meters, 5000,
          "AssessCoverage: how far to look for the nearest facility of a kind.");
ABSL_FLAG(int, reader_connections, 4, "SQLite connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"facilities", 50053, 8083, "data/facilities.db"},
      [](const jiangan::ServiceEnvironment& environment)
          -> absl::StatusOr<jiangan::Services> {
        namespace facilities = jiangan::facilities;
        facilities::FacilityStoreOptions options;
        options.walk.detour_factor = absl::GetFlag(FLAGS_walking_detour_factor);
        options.walk.meters_per_minute = absl::GetFlag(FLAGS_walking_meters_per_minute);
        if (absl::Status walk = facilities::CheckWalkModel(options.walk); !walk.ok()) return walk;
        auto rates = facilities::ParseKindRates(absl::GetFlag(FLAGS_capacity_per_1000_residents),
                                                "--capacity_per_1000_residents");
        if (!rates.ok()) return rates.status();
        options.demand.per_1000_residents = *std::move(rates);
        options.demand.elderly_care_beds_per_1000_elderly =
            absl::GetFlag(FLAGS_elderly_care_beds_per_1000_elderly);
        options.demand.elderly_share_percent = absl::GetFlag(FLAGS_elderly_share_percent);
        if (!(options.demand.elderly_care_beds_per_1000_elderly >= 0) ||
            !(options.demand.elderly_share_percent >= 0 &&
              options.demand.elderly_share_percent <= 100)) {
          return absl::InvalidArgumentError(
              "--elderly_care_beds_per_1000_elderly must not be negative and "
              "--elderly_share_percent must be 0 to 100");
        }
        options.assess_search_limit_meters = absl::GetFlag(FLAGS_assess_search_limit_meters);
        if (!(options.assess_search_limit_meters > 0 &&
              options.assess_search_limit_meters <= 20000)) {
          return absl::InvalidArgumentError("--assess_search_limit_meters: must be 1 to 20000");
        }
        // Page tokens get their own key, derived from the shared secret.
        options.page_token_key = jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        auto store = facilities::FacilityStore::Open(environment.db, std::move(options));
        if (!store.ok()) return store.status();
        const std::string renewal_address = absl::GetFlag(FLAGS_renewal_address);
        auto projects = std::make_unique<facilities::RenewalProjects>(
            renewal_address.empty()
                ? nullptr
                : jiangan::OpenServiceChannel(renewal_address),
            environment.identity_key);
        return jiangan::Serve(std::make_unique<facilities::FacilitiesService>(
            *std::move(store), std::move(projects), jiangan::IdentityVerifier(environment.identity_key),
            environment.executor));
      });
}
