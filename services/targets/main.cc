// The targets service: the district's targets (jiangan.portfolio.v1), each
// with its actual computed from the renewal, investment and facilities
// services' records or reported by hand (jiangan.target_values.v1).
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "common/base/hmac.h"
#include "common/runtime/service_client.h"
#include "common/runtime/service_main.h"
#include "services/targets/target_catalog.h"
#include "services/targets/targets_service.h"

ABSL_FLAG(std::vector<std::string>, targets_path, {"seed/2024/targets.json"},
          "The district's catalog files, one a year, comma-separated: each a ListTargetsResponse "
          "in JSON, checked whole and loaded at start-up (a target its file changed since the "
          "last load takes the file's entry; others keep what the API made of them).");
ABSL_FLAG(std::string, renewal_address, "localhost:50051",
          "The renewal service, whose records measure renewal targets (a gRPC target).");
ABSL_FLAG(std::string, investment_address, "localhost:50052",
          "The investment service, whose records measure investment targets.");
ABSL_FLAG(std::string, facilities_address, "localhost:50053",
          "The facilities service, whose records measure facilities targets.");
ABSL_FLAG(absl::Duration, service_timeout, absl::Seconds(10),
          "How long the services may take for a call that brings no deadline.");
ABSL_FLAG(int, reader_connections, 2, "Database connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"targets", 50054, 8084, "data/targets.db"},
      [](const jiangan::ServiceEnvironment& environment) -> absl::StatusOr<jiangan::Services> {
        namespace targets = jiangan::targets;
        std::vector<targets::CatalogFile> files;
        for (const std::string& path : absl::GetFlag(FLAGS_targets_path)) {
          auto catalog = targets::LoadTargetCatalog(path);
          if (!catalog.ok()) return catalog.status();
          files.push_back({path, *std::move(catalog)});
        }
        const std::string page_token_key =
            jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        targets::TargetStoreOptions store_options;
        store_options.page_token_key = page_token_key;
        store_options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        auto store = targets::TargetStore::Open(environment.db, store_options);
        if (!store.ok()) return store.status();
        std::shared_ptr<targets::TargetStore> values = *std::move(store);
        if (absl::Status loaded = values->LoadCatalog(files); !loaded.ok()) return loaded;
        auto channel = [](const std::string& address) {
          return address.empty() ? nullptr : jiangan::OpenServiceChannel(address);
        };
        auto actuals = std::make_unique<targets::TargetActuals>(
            channel(absl::GetFlag(FLAGS_renewal_address)),
            channel(absl::GetFlag(FLAGS_investment_address)),
            channel(absl::GetFlag(FLAGS_facilities_address)));
        targets::AnswerOptions answer_options;
        answer_options.page_token_key = page_token_key;
        return jiangan::Serve(
            std::make_unique<targets::PortfolioService>(
                values, std::move(actuals), std::move(answer_options),
                environment.identity_key, environment.executor,
                absl::GetFlag(FLAGS_service_timeout)),
            std::make_unique<targets::TargetValuesService>(values, environment.identity_key,
                                                           environment.executor));
      });
}
