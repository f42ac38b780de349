// Reading a server's Prometheus text at /metrics on its admin port.
#ifndef JIANGAN_TESTS_SUPPORT_SERVER_METRICS_H_
#define JIANGAN_TESTS_SUPPORT_SERVER_METRICS_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace jiangan::testing {

// The sum of the values of every series whose line starts with `prefix`
// (e.g. `gateway_cache_lookups_total{result="near_hit"}`, or a metric name
// and the first of its labels to sum over the rest); 0 when none does, -1
// when the server does not answer.
int64_t SumOfMetric(int http_port, absl::string_view prefix);

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_SERVER_METRICS_H_
