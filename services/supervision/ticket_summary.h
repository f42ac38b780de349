// The scorecard of the assignee departments (督办考核): read from the score
// rollup (a row per department and day of issue) and the waiting tickets
// past their deadline, so a year costs about what a month does.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_SUMMARY_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_SUMMARY_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// Fills `response` for `request` as of `today`; INVALID_ARGUMENT naming the
// period's field for a bad period.
absl::Status SummarizeDepartments(SqlReaderPool& readers,
                                  const v1::SummarizeDepartmentsRequest& request,
                                  absl::CivilDay today,
                                  v1::SummarizeDepartmentsResponse* response);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_SUMMARY_H_
