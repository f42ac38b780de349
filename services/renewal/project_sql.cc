#include "services/renewal/project_sql.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/validation.h"
#include "google/protobuf/util/time_util.h"
#include "services/renewal/health.h"

namespace jiangan::renewal {
namespace {

using google::protobuf::util::TimeUtil;

std::vector<int64_t> ValuesOf(const v1::Quantities& quantities) {
  const auto* descriptor = v1::Quantities::descriptor();
  std::vector<int64_t> values;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    values.push_back(quantities.GetReflection()->GetInt64(quantities, descriptor->field(i)));
  }
  return values;
}

SqlBlob PackTotals(const v1::Quantities& planned, const v1::Quantities& achieved) {
  std::vector<int64_t> values = ValuesOf(planned);
  const std::vector<int64_t> second = ValuesOf(achieved);
  values.insert(values.end(), second.begin(), second.end());
  return PackValues(values);
}

}  // namespace

int QuantityCount() { return v1::Quantities::descriptor()->field_count(); }

SqlBlob PackQuantities(const v1::Quantities& quantities) {
  return PackValues(ValuesOf(quantities));
}

namespace {

// The columns derived from a project, in binding order, with their types.
constexpr SqlColumn kDerivedColumns[] = {
    {"deleted", "INTEGER NOT NULL"},      {"kind", "INTEGER NOT NULL"},
    {"phase", "INTEGER NOT NULL"},        {"sub_district", "TEXT NOT NULL"},
    {"zone", "TEXT NOT NULL"},            {"lead_department", "TEXT NOT NULL"},
    {"display_name", "TEXT NOT NULL"},    {"create_us", "INTEGER NOT NULL"},
    {"update_us", "INTEGER NOT NULL"},    {"start_day", "INTEGER NOT NULL"},
    {"end_day", "INTEGER NOT NULL"},      {"open_milestone_day", "INTEGER NOT NULL"},
    {"percent", "INTEGER NOT NULL"},      {"at_risk", "INTEGER NOT NULL"},
    {"completion_year", "INTEGER NOT NULL"}, {"totals", "BLOB NOT NULL"},
    // Schema v6: what the district's targets filter pipes and roads by.
    {"pipe_kind", "INTEGER NOT NULL DEFAULT 0", 6},
    {"road_kind", "INTEGER NOT NULL DEFAULT 0", 6}};

}  // namespace

const ResourceRows& ProjectRows() {
  static const auto* rows = new ResourceRows("projects", "project_payloads", kDerivedColumns);
  return *rows;
}

std::string SchemaSql() {
  return absl::StrCat(
      ProjectRows().SchemaSql(),
      "CREATE INDEX IF NOT EXISTS projects_kind ON projects(kind);"
      "CREATE INDEX IF NOT EXISTS projects_phase ON projects(phase);"
      "CREATE INDEX IF NOT EXISTS projects_sub_district ON projects(sub_district);"
      "CREATE INDEX IF NOT EXISTS projects_zone ON projects(zone);"
      "CREATE INDEX IF NOT EXISTS projects_lead_department ON projects(lead_department);"
      "CREATE INDEX IF NOT EXISTS projects_display_name ON projects(display_name);"
      "CREATE INDEX IF NOT EXISTS projects_update_us ON projects(update_us);"
      "CREATE INDEX IF NOT EXISTS projects_end_day ON projects(end_day);"
      // A report's month (the day number of its first day) and its packed
      // quantities let a window on months be summed without its payload.
      "CREATE TABLE IF NOT EXISTS progress_reports (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "project_id TEXT NOT NULL, request_id TEXT, payload BLOB NOT NULL, "
      "project_seq INTEGER NOT NULL, month_day INTEGER NOT NULL, reported BLOB NOT NULL, "
      "UNIQUE (project_id, request_id));"
      "CREATE INDEX IF NOT EXISTS progress_reports_project ON progress_reports(project_id, seq);"
      "CREATE INDEX IF NOT EXISTS progress_reports_month ON progress_reports(month_day);"
      // Every phase each project entered and the day: windows count them.
      "CREATE TABLE IF NOT EXISTS project_phase_entries (project_seq INTEGER NOT NULL, "
      "entered_phase INTEGER NOT NULL, enter_day INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS project_phase_entries_day ON project_phase_entries(enter_day);");
}


namespace {

// The projects' dimensions, the first eight of every rollup.
std::vector<SqlColumn> ProjectDimensionsAnd(std::initializer_list<SqlColumn> extra) {
  std::vector<SqlColumn> columns = {{"kind", "INTEGER NOT NULL"},
                                    {"phase", "INTEGER NOT NULL"},
                                    {"sub_district", "TEXT NOT NULL"},
                                    {"zone", "TEXT NOT NULL"},
                                    {"lead_department", "TEXT NOT NULL"},
                                    {"completion_year", "INTEGER NOT NULL"},
                                    {"pipe_kind", "INTEGER NOT NULL"},
                                    {"road_kind", "INTEGER NOT NULL"}};
  columns.insert(columns.end(), extra);
  return columns;
}

// The project rollup's sets, from the fewest combinations to the most; an
// event rollup keeps each with its own bits.
constexpr uint32_t kProjectSets[] = {
    0b00100011,    // kind, phase, completion_year
    0b00001011,    // kind, phase, zone
    0b00010011,    // kind, phase, lead_department
    0b00000111,    // kind, phase, sub_district
    0b11000111,    // kind, phase, sub_district, pipe_kind, road_kind
    0b11111111};   // everything

std::vector<uint32_t> ProjectSetsWith(std::initializer_list<uint32_t> own) {
  std::vector<uint32_t> sets;
  for (uint32_t bits : own) {
    for (uint32_t set : kProjectSets) sets.push_back(set | bits);
  }
  return sets;
}

}  // namespace

const Rollup& ProjectRollup() {
  static const Rollup* rollup = [] {
    std::vector<std::string> sums;
    for (const char* half : {"project.planned.", "project.achieved."}) {
      const auto* descriptor = v1::Quantities::descriptor();
      for (int i = 0; i < descriptor->field_count(); ++i) {
        sums.push_back(absl::StrCat(half, descriptor->field(i)->name()));
      }
    }
    return new Rollup(RollupLayout{.table = "project_rollups",
                                   .dimensions = ProjectDimensionsAnd({}),
                                   .sets = ProjectSetsWith({0}),
                                   .count_column = "project_count",
                                   .sums_column = "totals",
                                   .sum_names = std::move(sums)});
  }();
  return *rollup;
}

const Rollup& ReportRollup() {
  static const Rollup* rollup = [] {
    std::vector<std::string> sums;
    const auto* descriptor = v1::Quantities::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      sums.push_back(absl::StrCat("progress_report.achieved.", descriptor->field(i)->name()));
    }
    return new Rollup(
        RollupLayout{.table = "project_report_rollups",
                     .dimensions = ProjectDimensionsAnd({{"month_day", "INTEGER NOT NULL"}}),
                     .sets = ProjectSetsWith({kReportMonthBit}),
                     .count_column = "report_count",
                     .sums_column = "reported",
                     .sum_names = std::move(sums)});
  }();
  return *rollup;
}

const Rollup& PhaseEntryRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "project_entry_rollups",
      .dimensions = ProjectDimensionsAnd({{"entered_phase", "INTEGER NOT NULL"},
                                          {"enter_day", "INTEGER NOT NULL"},
                                          {"enter_month", "INTEGER NOT NULL"}}),
      .sets = ProjectSetsWith(
          {kEnteredPhaseBit | kEnterDayBit, kEnteredPhaseBit | kEnterMonthBit}),
      .count_column = "entry_count",
      .sums_column = "sums",
      .sum_names = {}});
  return *rollup;
}

std::string RollupSchemaSql() {
  // Made anew, so that a file whose version was set back fills them once.
  return absl::StrCat(
      "DROP TABLE IF EXISTS project_rollups;"
      "DROP TABLE IF EXISTS project_report_rollups;"
      "DROP TABLE IF EXISTS project_entry_rollups;",
      ProjectRollup().SchemaSql(), ReportRollup().SchemaSql(), PhaseEntryRollup().SchemaSql(),
      ReportRollup().PeriodIndexSql("month_day"), PhaseEntryRollup().PeriodIndexSql("enter_day"),
      PhaseEntryRollup().PeriodIndexSql("enter_month"),
      "CREATE INDEX IF NOT EXISTS progress_reports_project_seq ON progress_reports(project_seq);");
}

std::optional<uint32_t> RollupSetFor(const v1::SummarizeProjectsRequest& request,
                                     const std::optional<DayWindow>& window) {
  const v1::ProjectFilter& filter = request.filter();
  if (filter.healths_size() > 0 || !filter.display_name_contains().empty() ||
      filter.has_updated_since()) {
    return std::nullopt;
  }
  if (window.has_value() && !StartsAYear(DayNumber(window->first), DayNumber(window->last))) {
    return std::nullopt;  // a project's first entry of the year may fall before the window
  }
  const Rollup& rollup = ProjectRollup();
  uint32_t needed = 0;
  if (filter.kinds_size() > 0) needed |= rollup.Bit("kind");
  if (filter.phases_size() > 0) needed |= rollup.Bit("phase");
  if (!filter.sub_district().empty()) needed |= rollup.Bit("sub_district");
  if (!filter.zone().empty()) needed |= rollup.Bit("zone");
  if (!filter.lead_department().empty()) needed |= rollup.Bit("lead_department");
  if (filter.pipe_kinds_size() > 0) needed |= rollup.Bit("pipe_kind");
  if (filter.road_kinds_size() > 0) needed |= rollup.Bit("road_kind");
  for (int grouping : request.group_by()) {
    switch (grouping) {
      case v1::BY_KIND: needed |= rollup.Bit("kind"); break;
      case v1::BY_PHASE: needed |= rollup.Bit("phase"); break;
      case v1::BY_SUB_DISTRICT: needed |= rollup.Bit("sub_district"); break;
      case v1::BY_ZONE: needed |= rollup.Bit("zone"); break;
      case v1::BY_LEAD_DEPARTMENT: needed |= rollup.Bit("lead_department"); break;
      case v1::BY_COMPLETION_YEAR: needed |= rollup.Bit("completion_year"); break;
      default: return std::nullopt;  // health moves with the calendar; projects are rows
    }
  }
  return rollup.SetCovering(needed);
}

int64_t Micros(const google::protobuf::Timestamp& time) {
  return TimeUtil::TimestampToMicroseconds(time);
}

std::vector<SqlArg> DerivedValues(const v1::Project& project) {
  const HealthInputs health = HealthInputsOf(project);
  int64_t completion_year = 0;
  if (project.phase() == v1::COMPLETED && !IsEmptyDate(project.actual_completion_date())) {
    completion_year = project.actual_completion_date().year();
  } else {
    completion_year = project.planned_completion_date().year();
  }
  std::vector<SqlArg> values = {
      int64_t{project.has_delete_time()},
      int64_t{project.kind()},
      int64_t{project.phase()},
      project.sub_district(),
      project.zone(),
      project.lead_department(),
      project.display_name(),
      Micros(project.create_time()),
      Micros(project.update_time()),
      health.start_day.value_or(kNoDay),
      health.planned_completion_day.value_or(kNoDay),
      health.earliest_open_milestone_day.value_or(kNoDay),
      int64_t{project.percent_complete()},
      int64_t{project.at_risk()},
      completion_year,
      PackTotals(project.planned(), project.achieved()),
      int64_t{project.pipe_kind()},
      int64_t{project.road_kind()}};
  return values;
}

std::string HealthSql(int64_t today, const HealthThresholds& thresholds) {
  // AssessHealth's schedule rule, scaled by the plan's span so that every
  // comparison is between integers. kNoDay stands for a missing day.
  const std::string span =
      "(CASE WHEN end_day - start_day > 1 THEN end_day - start_day ELSE 1 END)";
  const std::string since_start = absl::StrCat("(", today, " - start_day)");
  const std::string elapsed =
      absl::StrCat("(CASE WHEN ", since_start, " < 0 THEN 0 WHEN ", since_start, " > ", span,
                   " THEN ", span, " ELSE ", since_start, " END)");
  const std::string expected =
      absl::StrCat("(CASE WHEN end_day <= start_day THEN (CASE WHEN ", today,
                   " >= end_day THEN 100 * ", span, " ELSE 0 END) ELSE 100 * ", elapsed, " END)");
  const std::string lag = absl::StrCat("(", expected, " - percent * ", span, ")");
  const std::string scheduled =
      absl::StrCat("phase IN (", v1::APPROVED, ", ", v1::UNDER_CONSTRUCTION,
                   ") AND start_day <> ", kNoDay, " AND end_day <> ", kNoDay);
  const std::string overdue =
      absl::StrCat("open_milestone_day <> ", kNoDay, " AND open_milestone_day < ", today);
  return absl::StrCat(
      "(CASE phase WHEN ", v1::CANCELLED, " THEN ", v1::HEALTH_UNSPECIFIED, " WHEN ",
      v1::COMPLETED, " THEN ", v1::GREEN, " WHEN ", v1::SUSPENDED, " THEN ", v1::RED,
      " ELSE CASE WHEN (", scheduled, " AND ", lag, " > ", thresholds.red_lag_points, " * ", span,
      ") OR (", overdue, " AND ", today, " - open_milestone_day > ",
      thresholds.red_milestone_overdue_days, ") THEN ", v1::RED, " WHEN (", scheduled, " AND ",
      lag, " >= ", thresholds.amber_lag_points, " * ", span, ") OR (", overdue,
      ") OR at_risk <> 0 THEN ", v1::AMBER, " ELSE ", v1::GREEN, " END END)");
}

absl::StatusOr<SqlWhere> FilterSql(const v1::ProjectFilter& filter, bool show_deleted,
                                   int64_t today, const HealthThresholds& thresholds) {
  SqlWhere where;
  if (!show_deleted) where.And("deleted = 0");
  if (filter.kinds_size() > 0) {
    auto list = EnumList("filter.kinds", filter.kinds(), v1::ProjectKind_IsValid);
    if (!list.ok()) return list.status();
    where.And(absl::StrCat("kind IN ", *list));
  }
  if (filter.phases_size() > 0) {
    auto list =
        EnumList("filter.phases", filter.phases(), v1::ProjectPhase_IsValid);
    if (!list.ok()) return list.status();
    where.And(absl::StrCat("phase IN ", *list));
  }
  if (filter.healths_size() > 0) {
    auto list = EnumList("filter.healths", filter.healths(), v1::Health_IsValid);
    if (!list.ok()) return list.status();
    where.And(absl::StrCat(HealthSql(today, thresholds), " IN ", *list));
  }
  if (filter.pipe_kinds_size() > 0) {
    auto list = EnumList("filter.pipe_kinds", filter.pipe_kinds(), v1::PipeKind_IsValid);
    if (!list.ok()) return list.status();
    where.And(absl::StrCat("pipe_kind IN ", *list));
  }
  if (filter.road_kinds_size() > 0) {
    auto list = EnumList("filter.road_kinds", filter.road_kinds(), v1::RoadKind_IsValid);
    if (!list.ok()) return list.status();
    where.And(absl::StrCat("road_kind IN ", *list));
  }
  if (!filter.sub_district().empty()) where.And("sub_district = ?", {filter.sub_district()});
  if (!filter.zone().empty()) where.And("zone = ?", {filter.zone()});
  if (!filter.lead_department().empty()) {
    where.And("lead_department = ?", {filter.lead_department()});
  }
  if (!filter.display_name_contains().empty()) {
    if (absl::Status valid = CheckLength("filter.display_name_contains",
                                         filter.display_name_contains(), 1, 100);
        !valid.ok()) {
      return valid;
    }
    where.And("instr(display_name, ?) > 0", {filter.display_name_contains()});
  }
  if (filter.has_updated_since()) {
    if (filter.updated_since().seconds() < TimeUtil::kTimestampMinSeconds ||
        filter.updated_since().seconds() > TimeUtil::kTimestampMaxSeconds ||
        filter.updated_since().nanos() < 0 || filter.updated_since().nanos() > 999999999) {
      return absl::InvalidArgumentError("filter.updated_since: is not a valid timestamp");
    }
    where.And("update_us >= ?", {Micros(filter.updated_since())});
  }
  return where;
}

absl::Span<const OrderField> ProjectOrderFields() {
  static constexpr OrderField kFields[] = {
      {"create_time", "seq"},
      {"display_name", "display_name", /*text=*/true},
      {"update_time", "update_us"},
      {"planned_completion_date", "end_day"},
  };
  return kFields;
}

absl::StatusOr<Dimension> DimensionOf(v1::ProjectGrouping grouping, int64_t today,
                                      const HealthThresholds& thresholds) {
  auto number = [](const SqlArg& value) { return std::get<int64_t>(value); };
  auto text = [](const SqlArg& value) { return std::get<std::string>(value); };
  switch (grouping) {
    case v1::BY_KIND:
      return Dimension{"kind", false, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_kind(static_cast<v1::ProjectKind>(number(v)));
                       }};
    case v1::BY_PHASE:
      return Dimension{"phase", false, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_phase(static_cast<v1::ProjectPhase>(number(v)));
                       }};
    case v1::BY_SUB_DISTRICT:
      return Dimension{"sub_district", true, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_sub_district(text(v));
                       }};
    case v1::BY_ZONE:
      return Dimension{"zone", true,
                       [=](const SqlArg& v, v1::ProjectGroup* g) { g->set_zone(text(v)); }};
    case v1::BY_LEAD_DEPARTMENT:
      return Dimension{"lead_department", true, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_lead_department(text(v));
                       }};
    case v1::BY_HEALTH:
      return Dimension{HealthSql(today, thresholds), false, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_health(static_cast<v1::Health>(number(v)));
                       }};
    case v1::BY_COMPLETION_YEAR:
      return Dimension{"completion_year", false, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_completion_year(static_cast<int32_t>(number(v)));
                       }};
    case v1::BY_PROJECT:
      return Dimension{"projects.id", true, [=](const SqlArg& v, v1::ProjectGroup* g) {
                         g->set_project(absl::StrCat("projects/", text(v)));
                       }};
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          static_cast<int>(grouping), " is not a ProjectGrouping other than UNSPECIFIED"));
  }
}

}  // namespace jiangan::renewal
