// SummarizeProjects: counts, planned and achieved quantities of the
// projects a filter selects, grouped, with a window's reported quantities
// and phases entered (month by month when asked), read from the rollup
// where the question stays within its dimensions and from the projects'
// rows otherwise.
#ifndef JIANGAN_SERVICES_RENEWAL_PROJECT_SUMMARY_H_
#define JIANGAN_SERVICES_RENEWAL_PROJECT_SUMMARY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "services/renewal/health.h"

namespace jiangan::renewal {

// Answers `request` on a reader of `readers` as of day `today` (a
// DayNumber), judging health by `health`. INVALID_ARGUMENT naming the
// field for a bad filter, grouping or window.
absl::Status SummarizeProjects(SqlReaderPool& readers, int64_t today,
                               const HealthThresholds& health,
                               const v1::SummarizeProjectsRequest& request,
                               v1::SummarizeProjectsResponse* response);

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_PROJECT_SUMMARY_H_
