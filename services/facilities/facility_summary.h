// SummarizeFacilities: counts, capacity and a period's openings, building
// and capacity changes of the facilities a filter selects, grouped, read
// from the rollups where the question stays within their dimensions and
// from the facilities' rows otherwise.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITY_SUMMARY_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITY_SUMMARY_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::facilities {

// Answers `request` on a reader of `readers`; a request without a period
// asks about the calendar year of `today`. INVALID_ARGUMENT naming the
// field for a bad filter, grouping or period.
absl::Status SummarizeFacilities(SqlReaderPool& readers, absl::CivilDay today,
                                 const v1::SummarizeFacilitiesRequest& request,
                                 v1::SummarizeFacilitiesResponse* response);

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITY_SUMMARY_H_
