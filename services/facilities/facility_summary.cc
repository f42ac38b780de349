#include "services/facilities/facility_summary.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/sql_query.h"
#include "services/facilities/facility_rules.h"
#include "services/facilities/facility_sql.h"

namespace jiangan::facilities {

absl::Status SummarizeFacilities(SqlReaderPool& readers, absl::CivilDay today,
                                 const v1::SummarizeFacilitiesRequest& request,
                                 v1::SummarizeFacilitiesResponse* response) {
  // Within the rollups' dimensions a summary reads rows per combination of
  // them; otherwise a row per facility. The rollups hold live facilities
  // only and have no "deleted" column, hence no such condition.
  const std::optional<uint32_t> set = RollupSetFor(request);
  const bool from_rollup = set.has_value();
  ASSIGN_OR_RETURN(const SqlWhere where,
                   FilterSql(request.filter(), /*show_deleted=*/from_rollup));
  ASSIGN_OR_RETURN(const std::optional<DayWindow> period,
                   ParseDayWindow("period_start", request.period_start(), "period_end",
                                  request.period_end()));
  // No period: the current calendar year.
  const int year = today.year();
  const absl::CivilDay first = period.has_value() ? period->first : absl::CivilDay(year, 1, 1);
  const absl::CivilDay last = period.has_value() ? period->last : absl::CivilDay(year, 12, 31);
  *response->mutable_period_start() = FromCivilDay(first);
  *response->mutable_period_end() = FromCivilDay(last);
  ASSIGN_OR_RETURN(const std::vector<FacilityDimension> dimensions,
                   (ResolveGroupings<v1::FacilityGrouping, FacilityDimension>(
                       request.group_by(),
                       [](v1::FacilityGrouping g) { return v1::FacilityGrouping_Name(g); },
                       DimensionOf)));
  std::vector<std::string> keys_sql;
  for (const FacilityDimension& dimension : dimensions) keys_sql.push_back(dimension.sql);
  const int keys = static_cast<int>(dimensions.size());
  const std::string key_columns = keys == 0 ? "" : absl::StrCat(absl::StrJoin(keys_sql, ", "), ", ");

  struct Figures {
    int64_t opened = 0;
    int64_t built = 0;
    absl::btree_map<int, v1::CapacityTotal> units;
  };
  struct Group : Figures {
    int64_t facilities = 0;
    // With period_by_month: each month's figures, by year * 100 + month.
    absl::btree_map<int64_t, Figures> months;
  };
  const bool by_month = request.period_by_month();
  // The figures of `group`'s month of `day` (a day number), or null when
  // not asked for by month.
  auto month_of = [by_month](Group& group, int64_t day) -> Figures* {
    if (!by_month) return nullptr;
    return &group.months[YearMonthOf(day)];
  };
  absl::btree_map<std::vector<SqlArg>, Group> groups;
  const int64_t first_day = DayNumber(first);
  const int64_t last_day = DayNumber(last);
  RETURN_IF_ERROR(readers.With([&](SqlDb* db) -> absl::Status {
    std::vector<SqlArg> key(keys);
    auto read_key = [&](const SqlStatement& stmt) {
      for (int k = 0; k < keys; ++k) key[k] = ColumnArg(stmt, k, dimensions[k].text);
    };
    // A row: the kind, how many facilities, their capacity and in use, and
    // (from the facilities) the day in service; the rollups count openings
    // apart.
    ASSIGN_OR_RETURN(
        SqlStatement stmt,
        db->Prepare(from_rollup
                        ? absl::StrCat("SELECT ", key_columns,
                                       "kind, facility_count, sums FROM facility_rollups "
                                       "WHERE grouping_set = ", *set, " AND ", where.sql)
                        : absl::StrCat("SELECT ", key_columns,
                                       "kind, 1, capacity, in_use, service_day FROM facilities "
                                       "WHERE ", where.sql)));
    Bind(&stmt, 1, where.args);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      read_key(stmt);
      Group& group = groups[key];
      group.facilities += stmt.ColumnInt64(keys + 1);
      if (!from_rollup && !stmt.ColumnIsNull(keys + 4)) {
        const int64_t day = stmt.ColumnInt64(keys + 4);
        if (day >= first_day && day <= last_day) {
          ++group.opened;
          if (Figures* month = month_of(group, day)) ++month->opened;
        }
      }
      int64_t values[2] = {};
      if (from_rollup) {
        RETURN_IF_ERROR(FacilityRollup().AddSums(stmt.ColumnBlobView(keys + 2), values));
      } else {
        values[0] = stmt.ColumnInt64(keys + 2);
        values[1] = stmt.ColumnInt64(keys + 3);
      }
      const v1::CapacityUnit unit = UnitOf(static_cast<v1::FacilityKind>(stmt.ColumnInt64(keys)));
      v1::CapacityTotal& total = group.units[unit];
      total.set_unit(unit);
      int64_t sum = total.capacity();
      RETURN_IF_ERROR(AddChecked(values[0], &sum, "capacity"));
      total.set_capacity(sum);
      sum = total.in_use();
      RETURN_IF_ERROR(AddChecked(values[1], &sum, "in_use"));
      total.set_in_use(sum);
    }
    // A period's whole months a row per month, its other days a row per day.
    const std::vector<PeriodPart> parts = PeriodParts(first_day, last_day);
    // Adds the counts of an event rollup (`table`, its `count` column, its
    // day and month columns) in the period to each group's `figure`.
    auto add_counts = [&](const char* table, const char* count, const char* day,
                          const char* month_column, int64_t Figures::*figure) -> absl::Status {
      for (const PeriodPart& part : parts) {
        const char* when = part.by_month ? month_column : day;
        ASSIGN_OR_RETURN(
            SqlStatement counts,
            db->Prepare(absl::StrCat("SELECT ", key_columns, count, ", ", when, " FROM ", table,
                                     " WHERE grouping_set = ",
                                     *set | (part.by_month ? kMonthBit : kDayBit), " AND ",
                                     when, " BETWEEN ? AND ? AND ", where.sql)));
        counts.BindInt64(1, part.first);
        counts.BindInt64(2, part.last);
        Bind(&counts, 3, where.args);
        while (true) {
          ASSIGN_OR_RETURN(const bool row, counts.Step());
          if (!row) break;
          read_key(counts);
          Group& group = groups[key];
          group.*figure += counts.ColumnInt64(keys);
          if (Figures* month = month_of(group, counts.ColumnInt64(keys + 1))) {
            month->*figure += counts.ColumnInt64(keys);
          }
        }
      }
      return absl::OkStatus();
    };
    if (from_rollup) {
      RETURN_IF_ERROR(add_counts("facility_opening_rollups", "opening_count", "service_day",
                                 "service_month", &Figures::opened));
    }
    // Each reading's rise or fall, or the rollup's sums of both.
    const std::vector<PeriodPart> whole = {{false, first_day, last_day}};
    for (const PeriodPart& part : from_rollup ? parts : whole) {
      ASSIGN_OR_RETURN(
          SqlStatement changes,
          db->Prepare(from_rollup
                          ? absl::StrCat("SELECT ", key_columns, "kind, sums, ",
                                         part.by_month ? "reading_month" : "reading_day",
                                         " FROM capacity_change_rollups WHERE grouping_set = ",
                                         *set | (part.by_month ? kMonthBit : kDayBit), " AND ",
                                         part.by_month ? "reading_month" : "reading_day",
                                         " BETWEEN ? AND ? AND ", where.sql)
                          : absl::StrCat("SELECT ", key_columns,
                                         "kind, change, reading_day FROM capacity_readings JOIN "
                                         "facilities ON "
                                         "facilities.seq = capacity_readings.facility_seq WHERE "
                                         "reading_day BETWEEN ? AND ? AND ",
                                         where.sql)));
      changes.BindInt64(1, part.first);
      changes.BindInt64(2, part.last);
      Bind(&changes, 3, where.args);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, changes.Step());
        if (!row) break;
        read_key(changes);
        int64_t moved[2] = {};  // added, removed
        if (from_rollup) {
          RETURN_IF_ERROR(
              CapacityChangeRollup().AddSums(changes.ColumnBlobView(keys + 1), moved));
        } else {
          const int64_t change = changes.ColumnInt64(keys + 1);
          moved[change >= 0 ? 0 : 1] = change >= 0 ? change : -change;
        }
        const v1::CapacityUnit unit =
            UnitOf(static_cast<v1::FacilityKind>(changes.ColumnInt64(keys)));
        Group& group = groups[key];
        for (Figures* figures : {static_cast<Figures*>(&group),
                                 month_of(group, changes.ColumnInt64(keys + 2))}) {
          if (figures == nullptr) continue;
          v1::CapacityTotal& total = figures->units[unit];
          total.set_unit(unit);
          int64_t sum = total.added();
          RETURN_IF_ERROR(AddChecked(moved[0], &sum, "added"));
          total.set_added(sum);
          sum = total.removed();
          RETURN_IF_ERROR(AddChecked(moved[1], &sum, "removed"));
          total.set_removed(sum);
        }
      }
    }
    if (!request.count_built()) return absl::OkStatus();
    // Built: opened in the period, expanded by a rise dated in it, or back
    // in service in it after being rebuilt; a facility counts once, on its
    // first such day (by month: in that day's month). A period that starts
    // a year reads each facility's first such day of the year from the
    // rollup.
    if (from_rollup && StartsAYear(first_day, last_day)) {
      return add_counts("facility_built_rollups", "built_count", "built_day", "built_month",
                        &Figures::built);
    }
    ASSIGN_OR_RETURN(const SqlWhere live, FilterSql(request.filter(), /*show_deleted=*/false));
    ASSIGN_OR_RETURN(
        SqlStatement built,
        db->Prepare(absl::StrCat(
            "SELECT ", key_columns, "facilities.seq, service_day FROM facilities WHERE "
            "service_day BETWEEN ? AND ? AND ", live.sql, " UNION ALL SELECT ", key_columns,
            "facilities.seq, reading_day FROM capacity_readings JOIN facilities ON "
            "facilities.seq = capacity_readings.facility_seq WHERE reading_day BETWEEN ? AND ? "
            "AND change > 0 AND ", live.sql, " UNION ALL SELECT ", key_columns,
            "facilities.seq, rebuilt_day FROM facility_rebuilds JOIN facilities ON "
            "facilities.seq = facility_rebuilds.facility_seq WHERE rebuilt_day BETWEEN ? AND ? "
            "AND ", live.sql)));
    const int branch = 2 + static_cast<int>(live.args.size());
    for (int at = 1; at <= 1 + 2 * branch; at += branch) {
      built.BindInt64(at, first_day);
      built.BindInt64(at + 1, last_day);
      Bind(&built, at + 2, live.args);
    }
    // Facility -> its group and first day built in the period.
    absl::flat_hash_map<int64_t, std::pair<std::vector<SqlArg>, int64_t>> first_built;
    while (true) {
      ASSIGN_OR_RETURN(const bool row, built.Step());
      if (!row) break;
      read_key(built);
      const int64_t day = built.ColumnInt64(keys + 1);
      auto [it, added] = first_built.try_emplace(built.ColumnInt64(keys), key, day);
      if (!added) it->second.second = std::min(it->second.second, day);
    }
    for (const auto& [seq, facility] : first_built) {
      Group& group = groups[facility.first];
      ++group.built;
      if (Figures* month = month_of(group, facility.second)) ++month->built;
    }
    return absl::OkStatus();
  }));
  if (groups.empty() && keys == 0) groups[{}];
  for (auto& [group_key, group] : groups) {
    v1::FacilityGroup* out = response->add_groups();
    for (int k = 0; k < keys; ++k) dimensions[k].set(group_key[k], out);
    out->set_facility_count(group.facilities);
    out->set_opened_count(group.opened);
    out->set_built_count(group.built);
    for (auto& [unit, total] : group.units) *out->add_capacities() = std::move(total);
    for (auto& [number, figures] : group.months) {
      v1::FacilityPeriodMonth* month = out->add_period_months();
      month->set_year(static_cast<int32_t>(number / 100));
      month->set_month(static_cast<int32_t>(number % 100));
      month->set_opened_count(figures.opened);
      month->set_built_count(figures.built);
      for (auto& [unit, total] : figures.units) *month->add_capacities() = std::move(total);
    }
  }
  return absl::OkStatus();
}

}  // namespace jiangan::facilities
