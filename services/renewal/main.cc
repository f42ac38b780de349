// The renewal service: urban renewal projects of Jiang'an District.
#include "absl/flags/flag.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"
#include "common/runtime/service_main.h"
#include "services/renewal/renewal_service.h"

ABSL_FLAG(int, amber_lag_points, 10,
          "Health: points behind the straight-line schedule from which a project is AMBER.");
ABSL_FLAG(int, red_lag_points, 30,
          "Health: points behind the straight-line schedule beyond which a project is RED.");
ABSL_FLAG(int, red_milestone_overdue_days, 60,
          "Health: days a milestone may be overdue before the project is RED.");
ABSL_FLAG(int, reader_connections, 4, "SQLite connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"renewal", 50051, 8081, "data/renewal.db"},
      [](const jiangan::ServiceEnvironment& environment)
          -> absl::StatusOr<jiangan::Services> {
        jiangan::renewal::ProjectStoreOptions options;
        options.health.amber_lag_points = absl::GetFlag(FLAGS_amber_lag_points);
        options.health.red_lag_points = absl::GetFlag(FLAGS_red_lag_points);
        options.health.red_milestone_overdue_days =
            absl::GetFlag(FLAGS_red_milestone_overdue_days);
        if (options.health.amber_lag_points < 0 ||
            options.health.red_lag_points < options.health.amber_lag_points) {
          return absl::InvalidArgumentError(
              "--red_lag_points: must be at least --amber_lag_points, both not negative");
        }
        // Page tokens get their own key, derived from the shared secret.
        options.page_token_key = jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        auto store = jiangan::renewal::ProjectStore::Open(environment.db, std::move(options));
        if (!store.ok()) return store.status();
        return jiangan::Serve(std::make_unique<jiangan::renewal::RenewalService>(
            *std::move(store), jiangan::IdentityVerifier(environment.identity_key),
            environment.executor));
      });
}
