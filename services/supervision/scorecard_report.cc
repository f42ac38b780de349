#include "services/supervision/scorecard_report.h"

#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/report/workbook.h"

namespace jiangan::supervision {
namespace {

constexpr const char* kHeaders[] = {"排名",       "承办单位",       "收到督办单", "按时签收",
                                    "按时签收率(%)", "按时反馈",     "按时反馈率(%)", "已销号",
                                    "当前超期",   "平均办结天数"};

}  // namespace

absl::StatusOr<type::v1::File> ScorecardWorkbook(
    const v1::SummarizeDepartmentsResponse& scorecard) {
  const std::string start = FormatDate(scorecard.period_start());
  const std::string end = FormatDate(scorecard.period_end());
  ASSIGN_OR_RETURN(std::string bytes, MakeWorkbook([&](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "督办考核");
    lxw_format* title = workbook_add_format(workbook);
    format_set_bold(title);
    format_set_font_size(title, 14);
    const std::string heading =
        absl::StrCat("江岸区督办考核通报（", start, "至", end, "下发，截至",
                     FormatDate(scorecard.as_of()), "）");
    worksheet_merge_range(sheet, 0, 0, 0, std::size(kHeaders) - 1, heading.c_str(), title);
    lxw_format* header = HeaderFormat(workbook);
    const double widths[] = {6, 28, 12, 10, 14, 10, 14, 10, 10, 14};
    for (size_t column = 0; column < std::size(kHeaders); ++column) {
      worksheet_set_column(sheet, column, column, widths[column], nullptr);
      worksheet_write_string(sheet, 1, column, kHeaders[column], header);
    }
    worksheet_freeze_panes(sheet, 2, 0);
    for (int i = 0; i < scorecard.scores_size(); ++i) {
      const v1::DepartmentScore& score = scorecard.scores(i);
      const lxw_row_t row = static_cast<lxw_row_t>(i + 2);
      const double figures[] = {static_cast<double>(score.rank()),
                                0,
                                static_cast<double>(score.received()),
                                static_cast<double>(score.accepted_on_time()),
                                score.accepted_on_time_percent(),
                                static_cast<double>(score.responded_on_time()),
                                score.responded_on_time_percent(),
                                static_cast<double>(score.closed()),
                                static_cast<double>(score.overdue_now()),
                                score.average_days_to_close()};
      for (size_t column = 0; column < std::size(figures); ++column) {
        if (column == 1) {
          worksheet_write_string(sheet, row, 1, score.department().c_str(), nullptr);
        } else {
          worksheet_write_number(sheet, row, column, figures[column], nullptr);
        }
      }
    }
    return absl::OkStatus();
  }));
  type::v1::File file;
  file.set_filename(absl::StrCat("江岸区督办考核通报_", start, "_", end, ".xlsx"));
  file.set_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  file.set_content(std::move(bytes));
  return file;
}

}  // namespace jiangan::supervision
