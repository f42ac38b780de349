// The scorecard as the 通报 leaders circulate: an XLSX workbook with Chinese
// headers and the figures as numbers.
#ifndef JIANGAN_SERVICES_SUPERVISION_SCORECARD_REPORT_H_
#define JIANGAN_SERVICES_SUPERVISION_SCORECARD_REPORT_H_

#include "absl/status/statusor.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "jiangan/type/v1/file.pb.h"

namespace jiangan::supervision {

// The workbook of `scorecard` (sheet 督办考核: a title row naming the
// period and the day, a header row, a row per department in rank order),
// as a File to download.
absl::StatusOr<type::v1::File> ScorecardWorkbook(
    const v1::SummarizeDepartmentsResponse& scorecard);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SCORECARD_REPORT_H_
