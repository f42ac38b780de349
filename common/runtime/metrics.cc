#include "common/runtime/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jiangan {
namespace {

// "/jiangan.renewal.v1.RenewalService/GetProject" -> service, method labels.
std::string MethodLabels(absl::string_view full_method) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(full_method, absl::MaxSplits('/', 2));
  absl::string_view service = parts.size() == 3 ? parts[1] : "unknown";
  absl::string_view method = parts.size() == 3 ? parts[2] : full_method;
  return absl::StrCat("grpc_service=\"", service, "\",grpc_method=\"", method, "\"");
}

}  // namespace

void Metrics::RecordRpc(absl::string_view full_method, absl::string_view code,
                        absl::Duration latency) {
  const std::string labels = MethodLabels(full_method);
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  ++rpc_counts_[absl::StrCat(labels, ",grpc_code=\"", code, "\"")];
  Histogram& histogram = rpc_latency_[labels];
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum_seconds += seconds;
}

void Metrics::AddToCounter(absl::string_view name, absl::string_view labels,
                           int64_t delta) {
  absl::MutexLock lock(&mu_);
  counters_[std::string(name)][std::string(labels)] += delta;
}

std::string Metrics::RenderPrometheus() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  out += "# HELP grpc_server_handled_total RPCs completed, by method and status code.\n";
  out += "# TYPE grpc_server_handled_total counter\n";
  for (const auto& [labels, count] : rpc_counts_) {
    absl::StrAppend(&out, "grpc_server_handled_total{", labels, "} ", count, "\n");
  }
  out += "# HELP grpc_server_handling_seconds Time from request to status, by method.\n";
  out += "# TYPE grpc_server_handling_seconds histogram\n";
  for (const auto& [labels, histogram] : rpc_latency_) {
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels, ",le=\"",
                      kBucketsSeconds[i], "\"} ", histogram.buckets[i], "\n");
    }
    absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels,
                    ",le=\"+Inf\"} ", histogram.count, "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_sum{", labels, "} ",
                    histogram.sum_seconds, "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_count{", labels, "} ",
                    histogram.count, "\n");
  }
  for (const auto& [name, series] : counters_) {
    absl::StrAppend(&out, "# TYPE ", name, " counter\n");
    for (const auto& [labels, value] : series) {
      absl::StrAppend(&out, name, labels.empty() ? "" : "{", labels,
                      labels.empty() ? "" : "}", " ", value, "\n");
    }
  }
  return out;
}

}  // namespace jiangan
