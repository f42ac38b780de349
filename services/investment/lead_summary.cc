#include "services/investment/lead_summary.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/rollup_period.h"
#include "common/storage/sql_query.h"
#include "services/investment/lead_sql.h"

namespace jiangan::investment {
namespace {

// Days spent in a stage before leaving it: how many stays took each.
using StayDays = absl::btree_map<int64_t, int64_t>;

// The (n/2)-th smallest (from 0) of the n stays, if there are any.
std::optional<int64_t> MedianOf(const StayDays& days) {
  int64_t n = 0;
  for (const auto& [day, count] : days) n += count;
  int64_t before = 0;
  for (const auto& [day, count] : days) {
    before += count;
    if (before > n / 2) return day;
  }
  return std::nullopt;
}

}  // namespace

absl::Status SummarizeLeads(SqlReaderPool& readers, const v1::SummarizeLeadsRequest& request,
                            v1::SummarizeLeadsResponse* response) {
  // Filtering and grouping within the rollups' dimensions, with no window
  // or one that starts a year, a summary reads rows per combination of
  // them; otherwise a row per lead. The rollups hold live leads only and have no "deleted"
  // column, hence no such condition.
  ASSIGN_OR_RETURN(const std::optional<DayWindow> window,
                   ParseDayWindow("window_start", request.window_start(), "window_end",
                                  request.window_end()));
  const bool windowed = window.has_value();
  if (request.window_by_month() && !windowed) {
    return absl::InvalidArgumentError(
        "window_by_month: needs a window (window_start and window_end)");
  }
  const std::optional<LeadRollupSets> sets = RollupSetsFor(request, window);
  const bool from_rollup = sets.has_value();
  ASSIGN_OR_RETURN(const SqlWhere where,
                   FilterSql(request.filter(), /*show_deleted=*/from_rollup));
  if (request.funds_year() != 0 && (request.funds_year() < 1900 || request.funds_year() > 2200)) {
    return absl::InvalidArgumentError(
        absl::StrCat("funds_year: must be 1900 to 2200, got ", request.funds_year()));
  }
  const bool by_month = request.window_by_month();
  const int64_t window_first = windowed ? DayNumber(window->first) : 0;
  const int64_t window_last = windowed ? DayNumber(window->last) : 0;
  ASSIGN_OR_RETURN(const std::vector<LeadDimension> dimensions,
                   (ResolveGroupings<v1::LeadGrouping, LeadDimension>(
                       request.group_by(),
                       [](v1::LeadGrouping g) { return v1::LeadGrouping_Name(g); }, DimensionOf)));
  std::vector<std::string> columns;
  for (const LeadDimension& dimension : dimensions) columns.push_back(dimension.sql);
  const int keys = static_cast<int>(dimensions.size());
  const std::string keys_sql = absl::StrJoin(columns, ", ") + (keys == 0 ? "" : ", ");
  const std::string groups_sql =
      from_rollup ? absl::StrCat("SELECT ", keys_sql,
                                 "stage, furthest_stage, lead_count, sums FROM lead_rollups WHERE "
                                 "grouping_set = ", sets->leads, " AND ", where.sql)
                  : absl::StrCat("SELECT ", keys_sql,
                                 "stage, furthest_stage, 1, intended, signed, arrived FROM leads "
                                 "WHERE ", where.sql);
  const std::string stays_sql =
      from_rollup ? absl::StrCat("SELECT stay_stage, stay_days, stay_count FROM lead_stay_rollups "
                                 "WHERE grouping_set = ", sets->stays, " AND ", where.sql)
                  : absl::StrCat("SELECT stay_stage, stay_days, 1 FROM lead_stage_stays JOIN "
                                 "leads ON leads.seq = lead_stage_stays.lead_seq WHERE ",
                                 where.sql);
  // Sums are added here, exactly, every addition checked for overflow.
  absl::btree_map<std::vector<SqlArg>, v1::LeadGroup> groups;
  int64_t reached[v1::OPERATING + 1] = {};
  int64_t current[v1::LOST + 1] = {};
  std::vector<StayDays> stays(v1::OPERATING + 1);
  int64_t monthly[13] = {};
  absl::btree_map<std::vector<SqlArg>, absl::btree_map<int, int64_t>> stage_entries;
  // With window_by_month: each group's figures by month (year * 100 + month).
  struct MonthFigures {
    int64_t arrived_yuan = 0;
    absl::btree_map<int, int64_t> stage_entries;
  };
  absl::btree_map<std::vector<SqlArg>, absl::btree_map<int64_t, MonthFigures>> months;
  auto month_of = [&](const std::vector<SqlArg>& group, int64_t year_month) -> MonthFigures& {
    return months[group][year_month];
  };
  // Adds to `key`'s group `amount` arrived in `year_month`, and a stage
  // entered by `count` leads on day `day`.
  auto add_arrived = [&](const std::vector<SqlArg>& key, int64_t amount,
                         int64_t year_month) -> absl::Status {
    v1::LeadGroup& group = groups[key];
    int64_t sum = group.window_arrived_yuan();
    RETURN_IF_ERROR(AddChecked(amount, &sum, "window_arrived_yuan"));
    group.set_window_arrived_yuan(sum);
    if (!by_month) return absl::OkStatus();
    return AddChecked(amount, &month_of(key, year_month).arrived_yuan, "window_arrived_yuan");
  };
  auto add_entered = [&](const std::vector<SqlArg>& key, int stage, int64_t count, int64_t day) {
    stage_entries[key][stage] += count;
    if (by_month) month_of(key, YearMonthOf(day)).stage_entries[stage] += count;
  };
  RETURN_IF_ERROR(readers.With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement stmt, db->Prepare(groups_sql));
    Bind(&stmt, 1, where.args);
    std::vector<SqlArg> key(keys);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      for (int k = 0; k < keys; ++k) key[k] = ColumnArg(stmt, k, dimensions[k].text);
      v1::LeadGroup& group = groups[key];
      const int64_t stage = stmt.ColumnInt64(keys);
      const int64_t furthest = stmt.ColumnInt64(keys + 1);
      const int64_t count = stmt.ColumnInt64(keys + 2);
      int64_t values[3] = {};
      if (from_rollup) {
        RETURN_IF_ERROR(LeadRollup().AddSums(stmt.ColumnBlobView(keys + 3), values));
      } else {
        for (int v = 0; v < 3; ++v) values[v] = stmt.ColumnInt64(keys + 3 + v);
      }
      group.set_lead_count(group.lead_count() + count);
      int64_t sum = group.intended_investment_yuan();
      RETURN_IF_ERROR(AddChecked(values[0], &sum, "intended_investment_yuan"));
      group.set_intended_investment_yuan(sum);
      sum = group.signed_investment_yuan();
      RETURN_IF_ERROR(AddChecked(values[1], &sum, "signed_investment_yuan"));
      group.set_signed_investment_yuan(sum);
      sum = group.arrived_investment_yuan();
      RETURN_IF_ERROR(AddChecked(values[2], &sum, "arrived_investment_yuan"));
      group.set_arrived_investment_yuan(sum);
      if (stage >= 0 && stage <= v1::LOST) current[stage] += count;
      for (int s = v1::LEAD; s <= std::min<int64_t>(furthest, v1::OPERATING); ++s) {
        reached[s] += count;
      }
    }
    ASSIGN_OR_RETURN(SqlStatement stay_stmt, db->Prepare(stays_sql));
    Bind(&stay_stmt, 1, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stay_stmt.Step());
      if (!row) break;
      const int64_t stage = stay_stmt.ColumnInt64(0);
      if (stage >= v1::LEAD && stage <= v1::OPERATING) {
        stays[stage][stay_stmt.ColumnInt64(1)] += stay_stmt.ColumnInt64(2);
      }
    }
    if (windowed) {
      // Funds: from the rollup its whole months a row per month and the days
      // of its partial months a row per day; from the ledger a row per entry.
      const std::vector<PeriodPart> parts =
          from_rollup ? PeriodParts(window_first, window_last)
                      : std::vector<PeriodPart>{{false, window_first, window_last}};
      for (const PeriodPart& part : parts) {
        const char* period = part.by_month ? "arrival_month" : "arrival_day";
        ASSIGN_OR_RETURN(
            SqlStatement arrived,
            db->Prepare(absl::StrCat(
                "SELECT ", keys_sql,
                from_rollup
                    ? absl::StrCat("sums, ", period, " FROM lead_funds_rollups WHERE grouping_set = ",
                                   part.by_month ? sets->window_funds_by_month
                                                 : sets->window_funds_by_day,
                                   " AND ")
                    : "amount_yuan, arrival_day FROM funds_entries JOIN leads ON leads.seq = "
                      "funds_entries.lead_seq WHERE ",
                period, " BETWEEN ? AND ? AND ", where.sql)));
        arrived.BindInt64(1, part.by_month ? YearMonthOf(part.first) : part.first);
        arrived.BindInt64(2, part.by_month ? YearMonthOf(part.last) : part.last);
        Bind(&arrived, 3, where.args);
        while (true) {
          ASSIGN_OR_RETURN(const bool row, arrived.Step());
          if (!row) break;
          for (int k = 0; k < keys; ++k) key[k] = ColumnArg(arrived, k, dimensions[k].text);
          int64_t amount = 0;
          if (from_rollup) {
            RETURN_IF_ERROR(FundsRollup().AddSums(arrived.ColumnBlobView(keys), &amount));
          } else {
            amount = arrived.ColumnInt64(keys);
          }
          const int64_t at = arrived.ColumnInt64(keys + 1);
          RETURN_IF_ERROR(add_arrived(key, amount, part.by_month ? at : YearMonthOf(at)));
        }
      }
    }
    if (windowed && from_rollup) {
      // Each lead's first entry of the year into each stage, as the funds.
      for (const PeriodPart& part : PeriodParts(window_first, window_last)) {
        const char* entered = part.by_month ? "enter_month" : "enter_day";
        ASSIGN_OR_RETURN(
            SqlStatement entries,
            db->Prepare(absl::StrCat(
                "SELECT ", keys_sql, "entered_stage, entry_count, ", entered,
                " FROM lead_entry_rollups WHERE grouping_set = ",
                part.by_month ? sets->entries_by_month : sets->entries_by_day, " AND ", entered,
                " BETWEEN ? AND ? AND ", where.sql)));
        entries.BindInt64(1, part.first);
        entries.BindInt64(2, part.last);
        Bind(&entries, 3, where.args);
        while (true) {
          ASSIGN_OR_RETURN(const bool row, entries.Step());
          if (!row) break;
          for (int k = 0; k < keys; ++k) key[k] = ColumnArg(entries, k, dimensions[k].text);
          add_entered(key, static_cast<int>(entries.ColumnInt64(keys)), entries.ColumnInt64(keys + 1),
                      entries.ColumnInt64(keys + 2));
        }
      }
    } else if (windowed) {
      // A lead counts once per stage entered, however often it entered it
      // (a lead reopened from LOST is not a second enterprise): by month, in
      // the month it first entered it in the window.
      ASSIGN_OR_RETURN(
          SqlStatement entries,
          db->Prepare(absl::StrCat(
              "SELECT ", keys_sql, "entered_stage, leads.seq, MIN(enter_day) FROM "
              "lead_stage_entries JOIN leads ON leads.seq = lead_stage_entries.lead_seq "
              "WHERE enter_day BETWEEN ? AND ? AND ",
              where.sql, " GROUP BY ", keys_sql, "entered_stage, leads.seq")));
      entries.BindInt64(1, window_first);
      entries.BindInt64(2, window_last);
      Bind(&entries, 3, where.args);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, entries.Step());
        if (!row) break;
        for (int k = 0; k < keys; ++k) key[k] = ColumnArg(entries, k, dimensions[k].text);
        add_entered(key, static_cast<int>(entries.ColumnInt64(keys)), 1,
                    entries.ColumnInt64(keys + 2));
      }
    }
    if (request.funds_year() == 0) return absl::OkStatus();
    // By arrival day from the ledger, or by month (year * 100 + month) from
    // the rollup.
    const int64_t first = from_rollup ? request.funds_year() * 100 + 1
                                      : DayNumber(absl::CivilDay(request.funds_year(), 1, 1));
    const int64_t last = from_rollup ? request.funds_year() * 100 + 12
                                     : DayNumber(absl::CivilDay(request.funds_year(), 12, 31));
    ASSIGN_OR_RETURN(
        SqlStatement funds,
        db->Prepare(from_rollup
                        ? absl::StrCat("SELECT arrival_month, sums FROM lead_funds_rollups WHERE "
                                       "grouping_set = ", sets->funds_by_month,
                                       " AND arrival_month BETWEEN ? AND ? AND ", where.sql)
                        : absl::StrCat("SELECT arrival_day, amount_yuan FROM funds_entries JOIN "
                                       "leads ON leads.seq = funds_entries.lead_seq WHERE "
                                       "arrival_day BETWEEN ? AND ? AND ",
                                       where.sql)));
    funds.BindInt64(1, first);
    funds.BindInt64(2, last);
    Bind(&funds, 3, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, funds.Step());
      if (!row) break;
      int64_t amount = 0;
      int month = 0;
      if (from_rollup) {
        month = static_cast<int>(funds.ColumnInt64(0) % 100);
        RETURN_IF_ERROR(FundsRollup().AddSums(funds.ColumnBlobView(1), &amount));
      } else {
        month = FromDayNumber(funds.ColumnInt64(0)).month();
        amount = funds.ColumnInt64(1);
      }
      RETURN_IF_ERROR(AddChecked(amount, &monthly[month], "funds_by_month"));
    }
    return absl::OkStatus();
  }));
  if (groups.empty() && keys == 0) groups[{}];
  for (auto& [key, group] : groups) {
    for (int k = 0; k < keys; ++k) dimensions[k].set(key[k], &group);
    for (const auto& [stage, count] : stage_entries[key]) {
      v1::StageEntries* entered = group.add_window_stage_entries();
      entered->set_stage(static_cast<v1::Stage>(stage));
      entered->set_count(count);
    }
    for (const auto& [number, figures] : months[key]) {
      v1::LeadWindowMonth* month = group.add_window_months();
      month->set_year(static_cast<int32_t>(number / 100));
      month->set_month(static_cast<int32_t>(number % 100));
      month->set_arrived_yuan(figures.arrived_yuan);
      for (const auto& [stage, count] : figures.stage_entries) {
        v1::StageEntries* entered = month->add_stage_entries();
        entered->set_stage(static_cast<v1::Stage>(stage));
        entered->set_count(count);
      }
    }
    *response->add_groups() = std::move(group);
  }
  for (int s = v1::LEAD; s <= v1::OPERATING; ++s) {
    v1::FunnelStage* stage = response->add_funnel();
    stage->set_stage(static_cast<v1::Stage>(s));
    stage->set_reached_count(reached[s]);
    stage->set_current_count(current[s]);
    const int64_t previous = s == v1::LEAD ? reached[s] : reached[s - 1];
    stage->set_conversion_percent(
        previous == 0 ? 0.0 : std::round(1000.0 * reached[s] / previous) / 10.0);
    if (std::optional<int64_t> median = MedianOf(stays[s])) {
      stage->set_median_days_in_stage(static_cast<int32_t>(*median));
    }
  }
  response->set_lost_count(current[v1::LOST]);
  int64_t cumulative = 0;
  for (int month = 1; request.funds_year() != 0 && month <= 12; ++month) {
    v1::MonthlyFunds* funds = response->add_funds_by_month();
    funds->set_month(absl::StrFormat("%04d-%02d", request.funds_year(), month));
    funds->set_arrived_yuan(monthly[month]);
    RETURN_IF_ERROR(AddChecked(monthly[month], &cumulative, "funds_by_month.cumulative_yuan"));
    funds->set_cumulative_yuan(cumulative);
  }
  return absl::OkStatus();
}

}  // namespace jiangan::investment
