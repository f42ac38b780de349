// The investment service: investment-attraction leads (招商引资) of Jiang'an District.
#include "absl/flags/flag.h"
#include "common/base/hmac.h"
#include "common/runtime/service_main.h"
#include "services/investment/investment_service.h"

ABSL_FLAG(int, first_response_days, 1, "Attention: days a new lead may wait for a first activity.");
ABSL_FLAG(int, assessment_days, 3, "Attention: days a lead may stay a LEAD (研判).");
ABSL_FLAG(int, feedback_days, 7, "Attention: days in CONTACTED before an activity is due.");
ABSL_FLAG(int, report_interval_days, 14, "Attention: days an open lead may go without activity.");
ABSL_FLAG(int, stage_median_factor, 3,
          "Attention: times the median days in a stage after which a lead is flagged.");
ABSL_FLAG(int, similarity_threshold_percent, 80,
          "Company names at least this similar (bigram Dice, percent) to an open lead's are "
          "possible duplicates.");
ABSL_FLAG(int, reader_connections, 4, "SQLite connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"investment", 50052, 8082, "data/investment.db"},
      [](const jiangan::ServiceEnvironment& environment)
          -> absl::StatusOr<jiangan::Services> {
        jiangan::investment::LeadStoreOptions options;
        options.attention.first_response_days = absl::GetFlag(FLAGS_first_response_days);
        options.attention.assessment_days = absl::GetFlag(FLAGS_assessment_days);
        options.attention.feedback_days = absl::GetFlag(FLAGS_feedback_days);
        options.attention.report_interval_days = absl::GetFlag(FLAGS_report_interval_days);
        options.attention.stage_median_factor = absl::GetFlag(FLAGS_stage_median_factor);
        options.similarity_threshold_percent = absl::GetFlag(FLAGS_similarity_threshold_percent);
        if (options.similarity_threshold_percent < 1 ||
            options.similarity_threshold_percent > 100) {
          return absl::InvalidArgumentError("--similarity_threshold_percent: must be 1 to 100");
        }
        // Page tokens get their own key, derived from the shared secret.
        options.page_token_key = jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        auto store = jiangan::investment::LeadStore::Open(environment.db, std::move(options));
        if (!store.ok()) return store.status();
        return jiangan::Serve(std::make_unique<jiangan::investment::InvestmentService>(
            *std::move(store), jiangan::IdentityVerifier(environment.identity_key),
            environment.executor));
      });
}
