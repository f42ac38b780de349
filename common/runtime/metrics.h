// Prometheus text-format metrics: counters and per-RPC latency histograms.
#ifndef JIANGAN_COMMON_RUNTIME_METRICS_H_
#define JIANGAN_COMMON_RUNTIME_METRICS_H_

#include <array>
#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/container/btree_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jiangan {

class Metrics {
 public:
  // Records one finished RPC: `full_method` is "/package.Service/Method",
  // `code` its google.rpc status code name, e.g. "OK", "NOT_FOUND".
  void RecordRpc(absl::string_view full_method, absl::string_view code,
                 absl::Duration latency);

  // Adds `delta` to the counter `name` with the given label set, written as
  // Prometheus labels without braces, e.g. `result="hit"`.
  void AddToCounter(absl::string_view name, absl::string_view labels,
                    int64_t delta = 1);

  // Everything recorded, in Prometheus text exposition format 0.0.4.
  std::string RenderPrometheus() const;

 private:
  static constexpr std::array<double, 14> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  struct Histogram {
    std::array<int64_t, kBucketsSeconds.size()> buckets{};
    int64_t count = 0;
    double sum_seconds = 0;
  };

  mutable absl::Mutex mu_;
  // Keyed by the rendered label set, so rendering is a plain walk.
  absl::btree_map<std::string, int64_t> rpc_counts_ ABSL_GUARDED_BY(mu_);
  absl::btree_map<std::string, Histogram> rpc_latency_ ABSL_GUARDED_BY(mu_);
  absl::btree_map<std::string, absl::btree_map<std::string, int64_t>> counters_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_METRICS_H_
