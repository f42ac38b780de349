// Making an XLSX workbook in memory with libxlsxwriter, which writes to a
// file: the file is a private temporary one, read back and removed. The
// reports leaders circulate (targets, the supervision scorecard) are made
// this way.
#ifndef JIANGAN_COMMON_REPORT_WORKBOOK_H_
#define JIANGAN_COMMON_REPORT_WORKBOOK_H_

#include <xlsxwriter.h>

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace jiangan {

// The bytes of the workbook `fill` makes (adding sheets, formats, cells);
// INTERNAL when libxlsxwriter cannot write it, or `fill`'s error.
absl::StatusOr<std::string> MakeWorkbook(const std::function<absl::Status(lxw_workbook*)>& fill);

// A bold header cell format with a light fill and a thin border.
lxw_format* HeaderFormat(lxw_workbook* workbook);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_REPORT_WORKBOOK_H_
