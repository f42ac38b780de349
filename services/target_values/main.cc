// The target values service: the values of the district's REPORTED targets,
// recorded by hand with evidence.
#include "absl/flags/flag.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"
#include "common/runtime/service_main.h"
#include "common/targets/target_catalog.h"
#include "services/target_values/target_values_service.h"

ABSL_FLAG(std::string, targets_path, "seed/2024/targets.json",
          "The district's targets: a ListTargetsResponse in JSON (the gateway's catalog).");
ABSL_FLAG(int, reader_connections, 2, "SQLite connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"target_values", 50054, 8084, "data/target_values.db"},
      [](const jiangan::ServiceEnvironment& environment)
          -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
        auto catalog = jiangan::LoadTargetCatalog(absl::GetFlag(FLAGS_targets_path));
        if (!catalog.ok()) return catalog.status();
        jiangan::target_values::ValueStoreOptions options;
        options.page_token_key = jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        auto store =
            jiangan::target_values::ValueStore::Open(environment.db, *catalog, std::move(options));
        if (!store.ok()) return store.status();
        return std::make_unique<jiangan::target_values::TargetValuesService>(
            *std::move(store), jiangan::IdentityVerifier(environment.identity_key),
            environment.executor);
      });
}
