// SummarizeLeads: the funnel of the leads a filter selects (counts and sums
// by group, stages reached and held, median days in a stage), a window's
// funds and stage entries, and a year's funds by month, read from the
// rollups where the question stays within their dimensions and from the
// leads' rows otherwise.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_SUMMARY_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_SUMMARY_H_

#include "absl/status/status.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::investment {

// Answers `request` on a reader of `readers`. INVALID_ARGUMENT naming the
// field for a bad filter, grouping, funds year or window.
absl::Status SummarizeLeads(SqlReaderPool& readers, const v1::SummarizeLeadsRequest& request,
                            v1::SummarizeLeadsResponse* response);

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_LEAD_SUMMARY_H_
