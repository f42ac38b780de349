#include "services/renewal/project_summary.h"

#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/rollup.h"
#include "common/storage/rollup_period.h"
#include "common/storage/sql_query.h"
#include "services/renewal/project_sql.h"

namespace jiangan::renewal {
namespace {

// A window's figures: the reported quantities and the phases entered.
struct WindowTotals {
  std::vector<int64_t> sums;
  absl::btree_map<int, int64_t> phase_entries;
};

struct GroupTotals {
  int64_t count = 0;
  std::vector<int64_t> sums;
  // With a window: its figures, and with window_by_month each month's, by
  // year * 100 + month.
  WindowTotals window;
  absl::btree_map<int64_t, WindowTotals> months;
};



// Adds the `count` packed quantities of `packed` from value `first` on to
// sums[0..count), each addition checked; `what` names them for the error.
absl::Status AddPacked(absl::string_view packed, int first, int count, const char* what,
                       int64_t* sums) {
  if (packed.size() < static_cast<size_t>(8 * (first + count))) {
    return absl::DataLossError("stored quantities have the wrong size");
  }
  for (int q = 0; q < count; ++q) {
    const auto* field = v1::Quantities::descriptor()->field(q);
    RETURN_IF_ERROR(AddChecked(PackedValueAt(packed, first + q), &sums[q],
                               absl::StrCat(what, ".", field->name())));
  }
  return absl::OkStatus();
}

void SetQuantities(const int64_t* values, v1::Quantities* quantities) {
  const auto* descriptor = quantities->GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    quantities->GetReflection()->SetInt64(quantities, descriptor->field(i), values[i]);
  }
}

// Sets `quantities` and `entered` from a window's `totals` of `count`
// quantities.
void SetWindowFigures(WindowTotals& totals, int count, v1::Quantities* quantities,
                      google::protobuf::RepeatedPtrField<v1::PhaseEntries>* entered) {
  totals.sums.resize(count);
  SetQuantities(totals.sums.data(), quantities);
  for (const auto& [phase, projects] : totals.phase_entries) {
    v1::PhaseEntries* entry = entered->Add();
    entry->set_phase(static_cast<v1::ProjectPhase>(phase));
    entry->set_count(projects);
  }
}

}  // namespace

absl::Status SummarizeProjects(SqlReaderPool& readers, int64_t today,
                               const HealthThresholds& health,
                               const v1::SummarizeProjectsRequest& request,
                               v1::SummarizeProjectsResponse* response) {
  ASSIGN_OR_RETURN(const std::optional<DayWindow> window,
                   ParseDayWindow("window_start", request.window_start(), "window_end",
                                  request.window_end()));
  const bool windowed = window.has_value();
  if (request.window_by_month() && !windowed) {
    return absl::InvalidArgumentError(
        "window_by_month: needs a window (window_start and window_end)");
  }
  // Within the rollups' dimensions, with no window or one that starts a
  // year, a summary reads a row per combination of them; otherwise a row
  // per project. The rollups hold live projects only and have no "deleted"
  // column, hence no such condition.
  const std::optional<uint32_t> rollup_set = RollupSetFor(request, window);
  const bool from_rollup = rollup_set.has_value();
  ASSIGN_OR_RETURN(const SqlWhere where,
                   FilterSql(request.filter(), /*show_deleted=*/from_rollup, today, health));
  ASSIGN_OR_RETURN(
      const std::vector<Dimension> dimensions,
      (ResolveGroupings<v1::ProjectGrouping, Dimension>(
          request.group_by(), [](v1::ProjectGrouping g) { return v1::ProjectGrouping_Name(g); },
          [&](v1::ProjectGrouping g) { return DimensionOf(g, today, health); })));
  const bool by_month = request.window_by_month();
  const int64_t window_first = windowed ? DayNumber(window->first) : 0;
  const int64_t window_last = windowed ? DayNumber(window->last) : 0;
  // SQL's SUM() over two dozen columns costs several times the scan, so the
  // rows' packed totals are summed here, exactly, every addition checked for
  // overflow.
  std::vector<std::string> columns;
  for (const Dimension& dimension : dimensions) columns.push_back(dimension.sql);
  const std::string keys_sql = columns.empty() ? "" : absl::StrCat(absl::StrJoin(columns, ", "), ", ");
  const std::string sql =
      from_rollup
          ? absl::StrCat("SELECT ", keys_sql,
                         "project_count, totals FROM project_rollups WHERE grouping_set = ",
                         rollup_set.value_or(0), " AND ", where.sql)
          : absl::StrCat("SELECT ", keys_sql, "1, totals FROM projects WHERE ", where.sql);
  *response->mutable_as_of() = FromCivilDay(FromDayNumber(today));
  const int quantity_count = QuantityCount();
  const int keys = static_cast<int>(dimensions.size());
  absl::btree_map<std::vector<SqlArg>, GroupTotals> groups;
  RETURN_IF_ERROR(readers.With([&](SqlDb* db) -> absl::Status {
    std::vector<SqlArg> key(keys);
    auto read_key = [&](const SqlStatement& stmt) {
      for (int k = 0; k < keys; ++k) key[k] = ColumnArg(stmt, k, dimensions[k].text);
    };
    ASSIGN_OR_RETURN(SqlStatement stmt, db->Prepare(sql));
    Bind(&stmt, 1, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      read_key(stmt);
      GroupTotals& group = groups[key];
      group.count += stmt.ColumnInt64(keys);
      const absl::string_view totals = stmt.ColumnBlobView(keys + 1);
      if (group.sums.empty()) group.sums.resize(2 * quantity_count);
      RETURN_IF_ERROR(AddPacked(totals, 0, quantity_count, "planned", group.sums.data()));
      RETURN_IF_ERROR(AddPacked(totals, quantity_count, quantity_count, "achieved",
                                group.sums.data() + quantity_count));
    }
    if (!windowed) return absl::OkStatus();
    auto add_reported = [&](GroupTotals& group, int64_t month_day, absl::string_view reported) {
      for (WindowTotals* totals :
           {&group.window, by_month ? &group.months[YearMonthOf(month_day)] : nullptr}) {
        if (totals == nullptr) continue;
        if (totals->sums.empty()) totals->sums.resize(quantity_count);
        RETURN_IF_ERROR(
            AddPacked(reported, 0, quantity_count, "window_achieved", totals->sums.data()));
      }
      return absl::OkStatus();
    };
    auto add_entered = [&](GroupTotals& group, int phase, int64_t day, int64_t projects) {
      group.window.phase_entries[phase] += projects;
      if (by_month) group.months[YearMonthOf(day)].phase_entries[phase] += projects;
    };
    // Reports are monthly: the rollup's months are the window's.
    ASSIGN_OR_RETURN(
        SqlStatement reports,
        db->Prepare(absl::StrCat(
            "SELECT ", keys_sql, "reported, month_day FROM ",
            from_rollup ? absl::StrCat("project_report_rollups WHERE grouping_set = ",
                                       *rollup_set | kReportMonthBit, " AND ")
                        : "progress_reports JOIN projects ON projects.seq = "
                          "progress_reports.project_seq WHERE ",
            "month_day BETWEEN ? AND ? AND ", where.sql)));
    reports.BindInt64(1, window_first);
    reports.BindInt64(2, window_last);
    Bind(&reports, 3, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, reports.Step());
      if (!row) break;
      read_key(reports);
      RETURN_IF_ERROR(add_reported(groups[key], reports.ColumnInt64(keys + 1),
                                   reports.ColumnBlobView(keys)));
    }
    if (from_rollup) {
      // Phase entries: whole months a row per month, edge days a row per day.
      for (const PeriodPart& part : PeriodParts(window_first, window_last)) {
        const char* period = part.by_month ? "enter_month" : "enter_day";
        ASSIGN_OR_RETURN(
            SqlStatement entries,
            db->Prepare(absl::StrCat(
                "SELECT ", keys_sql, "entered_phase, entry_count, ", period,
                " FROM project_entry_rollups WHERE grouping_set = ",
                *rollup_set | kEnteredPhaseBit | (part.by_month ? kEnterMonthBit : kEnterDayBit),
                " AND ", period, " BETWEEN ? AND ? AND ", where.sql)));
        entries.BindInt64(1, part.first);
        entries.BindInt64(2, part.last);
        Bind(&entries, 3, where.args);
        while (true) {
          ASSIGN_OR_RETURN(const bool row, entries.Step());
          if (!row) break;
          read_key(entries);
          add_entered(groups[key], static_cast<int>(entries.ColumnInt64(keys)),
                      entries.ColumnInt64(keys + 2), entries.ColumnInt64(keys + 1));
        }
      }
      return absl::OkStatus();
    }
    // A project counts once per phase entered, however often it entered it:
    // by month, in the month it first entered it in the window.
    ASSIGN_OR_RETURN(
        SqlStatement entries,
        db->Prepare(absl::StrCat(
            "SELECT ", keys_sql, "entered_phase, projects.seq, MIN(enter_day)",
            " FROM project_phase_entries JOIN projects ON projects.seq = "
            "project_phase_entries.project_seq WHERE enter_day BETWEEN ? AND ? AND ",
            where.sql, " GROUP BY ", keys_sql, "entered_phase, projects.seq")));
    entries.BindInt64(1, window_first);
    entries.BindInt64(2, window_last);
    Bind(&entries, 3, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, entries.Step());
      if (!row) break;
      read_key(entries);
      add_entered(groups[key], static_cast<int>(entries.ColumnInt64(keys)),
                  entries.ColumnInt64(keys + 2), 1);
    }
    return absl::OkStatus();
  }));
  if (groups.empty() && keys == 0) groups[{}];
  for (auto& [key, totals] : groups) {
    v1::ProjectGroup* group = response->add_groups();
    for (int k = 0; k < keys; ++k) dimensions[k].set(key[k], group);
    group->set_project_count(totals.count);
    totals.sums.resize(2 * quantity_count);
    SetQuantities(totals.sums.data(), group->mutable_planned());
    SetQuantities(totals.sums.data() + quantity_count, group->mutable_achieved());
    if (!windowed) continue;
    SetWindowFigures(totals.window, quantity_count, group->mutable_window_achieved(),
                     group->mutable_window_phase_entries());
    for (auto& [month, figures] : totals.months) {
      v1::ProjectWindowMonth* out = group->add_window_months();
      out->set_year(static_cast<int32_t>(month / 100));
      out->set_month(static_cast<int32_t>(month % 100));
      SetWindowFigures(figures, quantity_count, out->mutable_achieved(),
                       out->mutable_phase_entries());
    }
  }
  return absl::OkStatus();
}

}  // namespace jiangan::renewal
