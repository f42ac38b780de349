#include "services/targets/target_report.h"

#include <xlsxwriter.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/base/civil_date.h"
#include "common/report/workbook.h"
#include "common/base/validation.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

const char* MeasurementLabel(const v1::Target& target) {
  return target.measurement() == v1::COMPUTED ? "系统计算" : "人工填报";
}

// One row's cells, as text, in kReportHeaders order.
std::vector<std::string> Row(int index, const v1::Target& target) {
  const bool known = !target.actual_value().empty();
  return {absl::StrCat(index + 1),
          target.display_name(),
          target.unit(),
          target.target_value(),
          target.actual_value(),
          known ? absl::StrFormat("%.1f", target.percent_of_target()) : "",
          known ? absl::StrFormat("%.1f", target.pace_percent()) : "",
          HealthLabel(target.health()),
          target.health_reason(),
          target.has_as_of() ? FormatDate(target.as_of()) : "",
          MeasurementLabel(target),
          target.responsible_department(),
          target.source_quote()};
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// Columns holding figures, written as numbers where they parse.
bool IsFigureColumn(size_t column) { return column == 0 || (column >= 3 && column <= 6); }

// The fill of a status cell: Excel's own good / neutral / bad colours.
lxw_color_t HealthFill(v1::TargetHealth health) {
  switch (health) {
    case v1::GREEN:
      return 0xC6EFCE;
    case v1::AMBER:
      return 0xFFEB9C;
    case v1::RED:
      return 0xFFC7CE;
    default:
      return 0xD9D9D9;
  }
}

}  // namespace

const char* HealthLabel(v1::TargetHealth health) {
  switch (health) {
    case v1::GREEN:
      return "正常";
    case v1::AMBER:
      return "滞后";
    case v1::RED:
      return "严重滞后";
    default:
      return "未知";
  }
}

std::string TargetsCsv(const google::protobuf::RepeatedPtrField<v1::Target>& targets) {
  std::string csv = "\xEF\xBB\xBF";  // the BOM tells Excel the text is UTF-8
  for (size_t column = 0; column < std::size(kReportHeaders); ++column) {
    absl::StrAppend(&csv, column == 0 ? "" : ",", kReportHeaders[column]);
  }
  csv += "\r\n";
  for (int i = 0; i < targets.size(); ++i) {
    const std::vector<std::string> cells = Row(i, targets[i]);
    for (size_t column = 0; column < cells.size(); ++column) {
      absl::StrAppend(&csv, column == 0 ? "" : ",", CsvField(cells[column]));
    }
    csv += "\r\n";
  }
  return csv;
}

absl::StatusOr<std::string> TargetsXlsx(const google::protobuf::RepeatedPtrField<v1::Target>& targets) {
  return MakeWorkbook([&](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "目标完成情况");
    lxw_format* header = HeaderFormat(workbook);
    lxw_format* wrapped = workbook_add_format(workbook);
    format_set_text_wrap(wrapped);
    format_set_align(wrapped, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* health_formats[4];
    for (int health = 0; health < 4; ++health) {
      health_formats[health] = workbook_add_format(workbook);
      format_set_bg_color(health_formats[health],
                          HealthFill(static_cast<v1::TargetHealth>(health)));
      format_set_align(health_formats[health], LXW_ALIGN_CENTER);
    }
    const double widths[] = {6, 36, 10, 14, 14, 10, 12, 10, 40, 12, 10, 16, 60};
    for (size_t column = 0; column < std::size(kReportHeaders); ++column) {
      worksheet_set_column(sheet, column, column, widths[column], nullptr);
      worksheet_write_string(sheet, 0, column, kReportHeaders[column], header);
    }
    worksheet_freeze_panes(sheet, 1, 0);
    for (int i = 0; i < targets.size(); ++i) {
      const lxw_row_t row = static_cast<lxw_row_t>(i + 1);
      const std::vector<std::string> cells = Row(i, targets[i]);
      for (size_t column = 0; column < cells.size(); ++column) {
        const std::string& cell = cells[column];
        const lxw_col_t col = static_cast<lxw_col_t>(column);
        if (column == 7) {
          const int health = std::clamp(static_cast<int>(targets[i].health()), 0, 3);
          worksheet_write_string(sheet, row, col, cell.c_str(), health_formats[health]);
        } else if (IsFigureColumn(column) && IsDecimal(cell, /*signed_ok=*/true)) {
          worksheet_write_number(sheet, row, col, std::strtod(cell.c_str(), nullptr), nullptr);
        } else if (!cell.empty()) {
          worksheet_write_string(sheet, row, col, cell.c_str(), column >= 8 ? wrapped : nullptr);
        }
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace jiangan::targets
