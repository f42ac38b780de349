#include "common/runtime/metrics.h"

#include "gtest/gtest.h"

namespace jiangan {
namespace {

TEST(MetricsTest, RendersCountsAndHistogramsPerMethod) {
  Metrics metrics;
  metrics.RecordRpc("/jiangan.renewal.v1.RenewalService/GetProject", "OK",
                    absl::Milliseconds(2));
  metrics.RecordRpc("/jiangan.renewal.v1.RenewalService/GetProject", "OK",
                    absl::Milliseconds(30));
  metrics.RecordRpc("/jiangan.renewal.v1.RenewalService/GetProject", "NOT_FOUND",
                    absl::Microseconds(100));
  metrics.AddToCounter("gateway_cache_lookups_total", "result=\"hit\"", 3);
  const std::string text = metrics.RenderPrometheus();
  const std::string labels =
      "grpc_service=\"jiangan.renewal.v1.RenewalService\",grpc_method=\"GetProject\"";
  EXPECT_NE(text.find("grpc_server_handled_total{" + labels + ",grpc_code=\"OK\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("grpc_server_handled_total{" + labels + ",grpc_code=\"NOT_FOUND\"} 1"),
            std::string::npos);
  // 0.1 ms and 2 ms fall at or under 2.5 ms; 30 ms does not.
  EXPECT_NE(text.find("grpc_server_handling_seconds_bucket{" + labels + ",le=\"0.0025\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("grpc_server_handling_seconds_bucket{" + labels + ",le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("grpc_server_handling_seconds_count{" + labels + "} 3"),
            std::string::npos);
  EXPECT_NE(text.find("gateway_cache_lookups_total{result=\"hit\"} 3"), std::string::npos);
}

}  // namespace
}  // namespace jiangan
