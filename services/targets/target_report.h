// The weekly target report as files leaders open in Excel: the targets as
// ListTargets presents them, one row each, under Chinese headers.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_REPORT_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

// The report's columns, in order.
inline constexpr const char* kReportHeaders[] = {
    "序号", "目标", "单位", "目标值", "完成值", "完成率(%)", "序时进度(%)", "状态",
    "说明", "截至日期", "计量方式", "责任单位", "报告原文"};

// A health as the report words it: 正常, 滞后, 严重滞后 or 未知.
const char* HealthLabel(portfolio::v1::TargetHealth health);

// RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends.
std::string TargetsCsv(const google::protobuf::RepeatedPtrField<portfolio::v1::Target>& targets);

// An .xlsx workbook with one sheet, 目标完成情况: a bold frozen header,
// figures as numbers, each status cell filled green, amber, red or grey.
// INTERNAL when the workbook cannot be written (it is made in a temporary
// file, as libxlsxwriter 1.1 writes only to files).
absl::StatusOr<std::string> TargetsXlsx(const google::protobuf::RepeatedPtrField<portfolio::v1::Target>& targets);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_REPORT_H_
