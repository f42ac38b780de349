#include "tests/support/server_metrics.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tests/support/http_client.h"

namespace jiangan::testing {

int64_t SumOfMetric(int http_port, absl::string_view prefix) {
  auto metrics = HttpRequestTo(http_port, "GET", "/metrics");
  if (!metrics.ok() || metrics->status != 200) return -1;
  int64_t total = 0;
  for (absl::string_view line : absl::StrSplit(metrics->body, '\n')) {
    if (!absl::StartsWith(line, prefix)) continue;
    int64_t value = 0;
    if (absl::SimpleAtoi(line.substr(line.rfind(' ') + 1), &value)) total += value;
  }
  return total;
}

}  // namespace jiangan::testing
