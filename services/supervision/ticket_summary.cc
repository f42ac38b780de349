#include "services/supervision/ticket_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/supervision/ticket_sql.h"

namespace jiangan::supervision {
namespace {

double Percent(int64_t part, int64_t whole) {
  return whole == 0 ? 0 : std::round(1000.0 * static_cast<double>(part) / whole) / 10;
}

}  // namespace

absl::Status SummarizeDepartments(SqlReaderPool& readers,
                                  const v1::SummarizeDepartmentsRequest& request,
                                  absl::CivilDay today,
                                  v1::SummarizeDepartmentsResponse* response) {
  ASSIGN_OR_RETURN(const std::optional<DayWindow> asked,
                   ParseDayWindow("period_start", request.period_start(), "period_end",
                                  request.period_end()));
  const DayWindow period =
      asked.value_or(DayWindow{absl::CivilDay(today.year(), 1, 1), today});
  RETURN_IF_ERROR(CheckLength("department", request.department(), 0, 100));
  std::map<std::string, v1::DepartmentScore> scores;
  std::map<std::string, int64_t> close_days;
  RETURN_IF_ERROR(readers.With([&](SqlDb* db) -> absl::Status {
    const bool one = !request.department().empty();
    {
      ASSIGN_OR_RETURN(
          SqlStatement rows,
          db->Prepare(absl::StrCat("SELECT assignee_department, received, sums FROM ticket_scores "
                                   "WHERE grouping_set = ? AND issue_day BETWEEN ? AND ?",
                                   one ? " AND assignee_department = ?" : "")));
      rows.BindInt64(1, kScoreSet);
      rows.BindInt64(2, DayNumber(period.first));
      rows.BindInt64(3, DayNumber(period.last));
      if (one) rows.BindText(4, request.department());
      while (true) {
        ASSIGN_OR_RETURN(const bool row, rows.Step());
        if (!row) break;
        v1::DepartmentScore& score = scores[rows.ColumnText(0)];
        int64_t sums[4] = {0, 0, 0, 0};
        RETURN_IF_ERROR(ScoreRollup().AddSums(rows.ColumnBlob(2), sums));
        score.set_received(score.received() + rows.ColumnInt64(1));
        score.set_accepted_on_time(score.accepted_on_time() + sums[0]);
        score.set_responded_on_time(score.responded_on_time() + sums[1]);
        score.set_closed(score.closed() + sums[2]);
        close_days[rows.ColumnText(0)] += sums[3];
      }
    }
    ASSIGN_OR_RETURN(
        SqlStatement overdue,
        db->Prepare(absl::StrCat("SELECT assignee_department, COUNT(*) FROM tickets "
                                 "WHERE waiting = 1 AND deadline_day < ? AND issue_day BETWEEN ? "
                                 "AND ?",
                                 one ? " AND assignee_department = ?" : "",
                                 " GROUP BY assignee_department")));
    overdue.BindInt64(1, DayNumber(today));
    overdue.BindInt64(2, DayNumber(period.first));
    overdue.BindInt64(3, DayNumber(period.last));
    if (one) overdue.BindText(4, request.department());
    while (true) {
      ASSIGN_OR_RETURN(const bool row, overdue.Step());
      if (!row) break;
      scores[overdue.ColumnText(0)].set_overdue_now(overdue.ColumnInt64(1));
    }
    return absl::OkStatus();
  }));
  std::vector<v1::DepartmentScore> ranked;
  for (auto& [department, score] : scores) {
    score.set_department(department);
    score.set_accepted_on_time_percent(Percent(score.accepted_on_time(), score.received()));
    score.set_responded_on_time_percent(Percent(score.responded_on_time(), score.received()));
    score.set_average_days_to_close(
        score.closed() == 0
            ? 0
            : std::round(10.0 * static_cast<double>(close_days[department]) / score.closed()) / 10);
    ranked.push_back(score);
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const v1::DepartmentScore& a, const v1::DepartmentScore& b) {
              return std::make_tuple(-a.responded_on_time_percent(), a.overdue_now(),
                                     a.average_days_to_close(), a.department()) <
                     std::make_tuple(-b.responded_on_time_percent(), b.overdue_now(),
                                     b.average_days_to_close(), b.department());
            });
  for (size_t i = 0; i < ranked.size(); ++i) {
    ranked[i].set_rank(static_cast<int32_t>(i + 1));
    *response->add_scores() = std::move(ranked[i]);
  }
  *response->mutable_period_start() = FromCivilDay(period.first);
  *response->mutable_period_end() = FromCivilDay(period.last);
  *response->mutable_as_of() = FromCivilDay(today);
  return absl::OkStatus();
}

}  // namespace jiangan::supervision
