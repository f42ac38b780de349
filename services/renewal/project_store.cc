#include "services/renewal/project_store.h"

#include <optional>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/field_masks.h"
#include "common/base/fingerprint.h"
#include "common/base/status_macros.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/validation.h"
#include "common/storage/batch_create.h"
#include "common/storage/child_rows.h"
#include "common/storage/resource_page.h"
#include "common/storage/rollup_period.h"
#include "common/storage/schema_migrations.h"
#include "services/renewal/project_rules.h"
#include "services/renewal/project_sql.h"
#include "services/renewal/project_summary.h"

namespace jiangan::renewal {

namespace {

constexpr char kCollection[] = "projects";
// Layouts of the tables below. Version 2 added the report months and phase
// entries that windows read; version 3 the summary rollup; version 4 the
// filter indexes in creation order; version 5 those holding the other
// filters; version 6 the pipe and road kinds; version 7 the rollups by them
// and the window rollups (reports by month, first phase entries of a year).
constexpr int kFirstSchemaVersion = 2;
constexpr int kRollupSchemaVersion = 3;
constexpr int kOrderedIndexSchemaVersion = 4;
constexpr int kFilterIndexSchemaVersion = 5;
constexpr int kKindsSchemaVersion = 6;
constexpr int kSchemaVersion = 7;
// The columns that ListProjects filters on by equality.
constexpr const char* kFilterColumns[] = {"kind", "phase", "sub_district", "zone",
                                          "lead_department"};

absl::StatusOr<std::string> ParseProjectName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, kCollection, field);
}



}  // namespace

struct ProjectStore::StoredProject {
  StoredRow row;
  v1::Project project;
  // Its rollup items, leaving: Rewrite puts them back as they are after.
  RollupChanges rollups;
};

ProjectStore::ProjectStore(SqlDb* writer, ProjectStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      changes_("project_changes", "project_id", v1::Project::descriptor(),
               {"update_time", "etag", "updater", "health", "health_reasons"}),
      readers_(std::make_unique<SqlReaderPool>()) {}

ProjectStore::~ProjectStore() = default;

namespace {

// Schema v6: the pipe and road kinds of the projects stored before it.
absl::Status FillKinds(SqlDb* db) {
  return ProjectRows().FillColumns(
      db, {"pipe_kind", "road_kind"}, v1::Project::default_instance(),
      [](const google::protobuf::Message& message) {
        const auto& project = static_cast<const v1::Project&>(message);
        return std::vector<SqlArg>{int64_t{project.pipe_kind()}, int64_t{project.road_kind()}};
      });
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProjectStore>> ProjectStore::Open(SqlDb* db,
                                                                 ProjectStoreOptions options) {
  std::unique_ptr<ProjectStore> store(new ProjectStore(db, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(
      db, {{SchemaStep{kFirstSchemaVersion, absl::StrCat(SchemaSql(), store->changes_.SchemaSql())},
            // Version 7 makes and fills the rollups anew.
            SchemaStep{kRollupSchemaVersion, ProjectRollup().SchemaSql()},
            SchemaStep{kOrderedIndexSchemaVersion,
                       ProjectRows().OrderedFilterIndexesSql(kFilterColumns)},
            SchemaStep{kFilterIndexSchemaVersion, ProjectRows().FilterIndexesSql(kFilterColumns)},
            SchemaStep{kKindsSchemaVersion, ProjectRows().AddedColumnsSql(kKindsSchemaVersion),
                       FillKinds},
            SchemaStep{kSchemaVersion, RollupSchemaSql(), FillRollups}}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

int64_t ProjectStore::Today() const { return DayNumber(ChinaDayOf(options_.now())); }

void ProjectStore::Present(v1::Project* project, int64_t today) const {
  HealthAssessment health = AssessHealth(HealthInputsOf(*project), today, options_.health);
  project->set_health(health.health);
  project->clear_health_reasons();
  for (std::string& reason : health.reasons) project->add_health_reasons(std::move(reason));
}

// ---- Reads ----------------------------------------------------------------

absl::StatusOr<v1::Project> ProjectStore::Get(const v1::GetProjectRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.name(), "name"));
  const int64_t today = Today();
  return readers_->With([&](SqlDb* db) -> absl::StatusOr<v1::Project> {
    v1::Project project;
    RETURN_IF_ERROR(
        ProjectRows().FindExisting(db, kCollection, id, /*deleted=*/false, &project).status());
    Present(&project, today);
    return project;
  });
}

absl::Status ProjectStore::List(const v1::ListProjectsRequest& request,
                                v1::ListProjectsResponse* response) const {
  const int64_t today = Today();
  ASSIGN_OR_RETURN(SqlWhere where, FilterSql(request.filter(), request.show_deleted(), today, options_.health));
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), request.order_by(),
        {ResourceRows::kColumns, ProjectRows().source(), ProjectOrderFields()}, std::move(where),
        [&](const SqlStatement& row) -> absl::Status {
          v1::Project project;
          RETURN_IF_ERROR(ResourceRows::Decode(row, &project));
          Present(&project, today);
          *response->add_projects() = std::move(project);
          return absl::OkStatus();
        },
        response->mutable_next_page_token());
  });
}

absl::Status ProjectStore::ListProgressReports(const v1::ListProgressReportsRequest& request,
                                               v1::ListProgressReportsResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             {kCollection, "projects", id, false, "progress_reports", "project_id"},
                             response->mutable_progress_reports(),
                             response->mutable_next_page_token());
  });
}

absl::Status ProjectStore::ListHistory(const v1::ListProjectHistoryRequest& request,
                                      v1::ListProjectHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return changes_.ListPage(db, page_tokens_, request, request.page_size(), request.page_token(),
                             kCollection, id, response->mutable_changes(),
                             response->mutable_next_page_token());
  });
}

absl::Status ProjectStore::Summarize(const v1::SummarizeProjectsRequest& request,
                                     v1::SummarizeProjectsResponse* response) const {
  return SummarizeProjects(*readers_, Today(), options_.health, request, response);
}

// ---- Writes ---------------------------------------------------------------

absl::Status ProjectStore::RecordChange(const Identity& caller, absl::string_view method,
                                        absl::string_view project_id, const v1::Project& before,
                                        const v1::Project& after) {
  return changes_.Record(writer_, project_id, Micros(after.update_time()), caller.principal,
                         method, before, after);
}

absl::Status ProjectStore::Rewrite(const Identity& caller, absl::string_view method,
                                   const StoredProject& before, v1::Project project,
                                   v1::Project* written) {
  const int64_t version = before.row.version + 1;
  project.clear_health();
  project.clear_health_reasons();
  project.set_updater(caller.principal);
  *project.mutable_update_time() = TimestampOf(options_.now());
  project.set_etag(VersionEtag(before.row.seq, version));
  RETURN_IF_ERROR(
      ProjectRows().Update(writer_, before.row.seq, version, DerivedValues(project), project));
  RETURN_IF_ERROR(RecordPhaseEntries(before.row.seq, before.project.phase_history_size(), project));
  RollupChanges rollups = before.rollups;
  RETURN_IF_ERROR(
      GatherRollupItems(writer_, before.row.seq, project, +1, /*reports=*/true, &rollups));
  RETURN_IF_ERROR(rollups.Write(writer_));
  RETURN_IF_ERROR(RecordChange(caller, method, before.row.id, before.project, project));
  *written = std::move(project);
  return absl::OkStatus();
}

absl::Status ProjectStore::RecordPhaseEntries(int64_t seq, int known,
                                              const v1::Project& project) {
  for (int i = known; i < project.phase_history_size(); ++i) {
    const v1::PhaseChange& change = project.phase_history(i);
    ASSIGN_OR_RETURN(SqlStatement insert, writer_->Prepare(kInsertPhaseEntrySql));
    insert.BindInt64(1, seq);
    insert.BindInt64(2, change.phase());
    insert.BindInt64(3, DayNumber(EnterDayOf(change)));
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<ProjectStore::StoredProject> ProjectStore::LoadForChange(const Identity& caller,
                                                                       absl::string_view id,
                                                                       bool deleted) {
  StoredProject stored;
  ASSIGN_OR_RETURN(stored.row,
                   ProjectRows().FindExisting(writer_, kCollection, id, deleted, &stored.project));
  RETURN_IF_ERROR(CheckCanChange(caller, stored.project.lead_department(), stored.project.name()));
  RETURN_IF_ERROR(GatherRollupItems(writer_, stored.row.seq, stored.project, -1,
                                    /*reports=*/true, &stored.rollups));
  return stored;
}

absl::Status ProjectStore::GatherRollupItems(SqlDb* db, int64_t seq, const v1::Project& project,
                                             int sign, bool reports, RollupChanges* changes) {
  if (project.has_delete_time()) return absl::OkStatus();
  const std::vector<SqlArg> derived = DerivedValues(project);
  static const int totals = ProjectRows().DerivedIndex("totals");
  RollupItem item{ProjectRollup().DimensionsOf(ProjectRows(), derived), {}};
  const absl::string_view packed = std::get<SqlBlob>(derived[totals]).bytes;
  for (size_t i = 0; i < ProjectRollup().layout().sum_names.size(); ++i) {
    item.values.push_back(PackedValueAt(packed, static_cast<int>(i)));
  }
  RETURN_IF_ERROR(ProjectRollup().Record(item, sign, changes));
  // The days of the phase entries table: each phase entered on its day.
  std::vector<std::pair<int64_t, int64_t>> entries;
  for (const v1::PhaseChange& change : project.phase_history()) {
    entries.emplace_back(change.phase(), DayNumber(EnterDayOf(change)));
  }
  for (const auto& [phase, day] : FirstEntriesEachYear(std::move(entries))) {
    RETURN_IF_ERROR(PhaseEntryRollup().Record(
        RollupItem{PhaseEntryRollup().DimensionsOf(ProjectRows(), derived,
                                                   {{"entered_phase", phase},
                                                    {"enter_day", day},
                                                    {"enter_month", MonthStartOf(day)}}),
                   {}},
        sign, changes));
  }
  if (!reports) return absl::OkStatus();
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare("SELECT month_day, reported FROM progress_reports "
                               "WHERE project_seq = ?"));
  stmt.BindInt64(1, seq);
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    RollupItem report{ReportRollup().DimensionsOf(ProjectRows(), derived,
                                                  {{"month_day", stmt.ColumnInt64(0)}}),
                      {}};
    const absl::string_view reported = stmt.ColumnBlobView(1);
    for (int q = 0; q < QuantityCount(); ++q) {
      report.values.push_back(PackedValueAt(reported, q));
    }
    RETURN_IF_ERROR(ReportRollup().Record(report, sign, changes));
  }
  return absl::OkStatus();
}

absl::Status ProjectStore::FillRollups(SqlDb* db) {
  RollupChanges changes;
  // The projects and their phase entries, then the reports: no statement
  // runs while another is half-read.
  RETURN_IF_ERROR(ProjectRows().ForEachResource(
      db, v1::Project::default_instance(),
      [&changes](int64_t seq, const google::protobuf::Message& project) {
        return GatherRollupItems(nullptr, seq, static_cast<const v1::Project&>(project), +1,
                                 /*reports=*/false, &changes);
      }));
  const int dimensions = static_cast<int>(ProjectRollup().layout().dimensions.size());
  RETURN_IF_ERROR(ReportRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", ReportRollup().DimensionsSql(dimensions),
                   ", month_day, reported FROM progress_reports JOIN projects ON projects.seq = "
                   "progress_reports.project_seq WHERE deleted = 0"),
      dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->dimensions.push_back(row.ColumnInt64(first));
        const absl::string_view reported = row.ColumnBlobView(first + 1);
        for (int q = 0; q < QuantityCount(); ++q) {
          item->values.push_back(PackedValueAt(reported, q));
        }
      },
      &changes));
  return changes.Write(db);
}

absl::StatusOr<ProjectStore::NewProject> ProjectStore::CheckCreate(
    const Identity& caller, const v1::CreateProjectRequest& request, absl::Time now) const {
  NewProject created;
  created.request = &request;
  ASSIGN_OR_RETURN(created.id,
                   ResolveNewId(request.project_id(), "project_id", request.request_id()));
  created.project = request.project();
  ClearOutputOnlyFields(&created.project);
  if (created.project.phase() == v1::PROJECT_PHASE_UNSPECIFIED) {
    created.project.set_phase(v1::PLANNING);
  }
  RETURN_IF_ERROR(ValidateProject(created.project, ChinaDayOf(now)));
  const type::v1::Date sent_phase_date = request.project().phase_date();
  RETURN_IF_ERROR(SettlePhaseDate(nullptr, &sent_phase_date, ChinaDayOf(now), &created.project));
  created.name = absl::StrCat(kCollection, "/", created.id);
  RETURN_IF_ERROR(CheckCanChange(caller, created.project.lead_department(), created.name));
  return created;
}

absl::StatusOr<v1::Project> ProjectStore::Insert(const Identity& caller, NewProject created,
                                                 absl::Time now, RollupChanges* rollup) {
  const v1::CreateProjectRequest& request = *created.request;
  v1::Project& project = created.project;
  if (!request.request_id().empty()) {
    v1::Project earlier;
    ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                     ProjectRows().Find(writer_, "request_id", request.request_id(), &earlier));
    if (found.has_value()) return earlier;
  }
  RETURN_IF_ERROR(ProjectRows().CheckIdFree(writer_, created.id, created.name));
  ASSIGN_OR_RETURN(const int64_t seq, ProjectRows().NextSeq(writer_));
  ApplyConsequences(nullptr, now, &project);
  StampCreated(created.name, now, caller.principal, seq, &project);
  const std::vector<SqlArg> derived = DerivedValues(project);
  RETURN_IF_ERROR(
      ProjectRows().Insert(writer_, seq, created.id, request.request_id(), derived, project));
  RETURN_IF_ERROR(RecordPhaseEntries(seq, 0, project));
  RETURN_IF_ERROR(GatherRollupItems(writer_, seq, project, +1, /*reports=*/false, rollup));
  RETURN_IF_ERROR(RecordChange(caller, "CreateProject", created.id, v1::Project(), project));
  return project;
}

absl::StatusOr<v1::Project> ProjectStore::Create(const Identity& caller,
                                                 const v1::CreateProjectRequest& request) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(NewProject created, CheckCreate(caller, request, now));
  v1::Project result;
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
      RollupChanges rollup;
      ASSIGN_OR_RETURN(result, Insert(caller, std::move(created), now, &rollup));
      return rollup.Write(writer_);
    }));
  }
  Present(&result, DayNumber(ChinaDayOf(now)));
  return result;
}

absl::Status ProjectStore::BatchCreate(const Identity& caller,
                                       const v1::BatchCreateProjectsRequest& request,
                                       v1::BatchCreateProjectsResponse* response) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(
      std::vector<v1::Project> made,
      (CreateAllOrNone<NewProject, v1::Project>(
          request.requests_size(), "projects", writer_, &write_mu_,
          [&](int i) { return CheckCreate(caller, request.requests(i), now); },
          [&](NewProject checked, RollupChanges* changes) {
            return Insert(caller, std::move(checked), now, changes);
          })));
  const int64_t today = DayNumber(ChinaDayOf(now));
  for (v1::Project& project : made) {
    Present(&project, today);
    *response->add_projects() = std::move(project);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Project> ProjectStore::Update(const Identity& caller,
                                                 const v1::UpdateProjectRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.project().name(), "project.name"));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask()));
  return ChangeProject(
      caller, "UpdateProject", id, /*deleted=*/false,
      [&](const StoredProject& stored, absl::Time now, v1::Project* merged) -> absl::Status {
        const v1::Project& before = stored.project;
        RETURN_IF_ERROR(CheckEtag("project.etag", request.project().etag(), before.etag()));
        *merged = before;
        MergeMasked(request.project(), request.update_mask(), merged);
        // Field rules first: a transition is only judged between real phases.
        RETURN_IF_ERROR(ValidateProject(*merged, ChinaDayOf(now)));
        RETURN_IF_ERROR(CheckPhaseTransition(before.phase(), merged->phase()));
        // The day of a change of phase comes with it.
        const bool date_sent = MaskNames(request.update_mask(), "phase_date") ||
                               MaskNames(request.update_mask(), "phase");
        const type::v1::Date sent_phase_date = request.project().phase_date();
        RETURN_IF_ERROR(SettlePhaseDate(&before, date_sent ? &sent_phase_date : nullptr,
                                        ChinaDayOf(now), merged));
        if (merged->lead_department() != before.lead_department()) {
          RETURN_IF_ERROR(CheckCanChange(caller, merged->lead_department(), before.name()));
        }
        ApplyConsequences(&before, now, merged);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Project> ProjectStore::ChangeProject(
    const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
    const std::function<absl::Status(const StoredProject& stored, absl::Time now,
                                     v1::Project* next)>& change) {
  const absl::Time now = options_.now();
  v1::Project result;
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
      ASSIGN_OR_RETURN(const StoredProject stored, LoadForChange(caller, id, deleted));
      v1::Project next;
      RETURN_IF_ERROR(change(stored, now, &next));
      return Rewrite(caller, method, stored, std::move(next), &result);
    }));
  }
  Present(&result, DayNumber(ChinaDayOf(now)));
  return result;
}

absl::StatusOr<v1::Project> ProjectStore::Delete(const Identity& caller,
                                                 const v1::DeleteProjectRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.name(), "name"));
  return ChangeProject(
      caller, "DeleteProject", id, /*deleted=*/false,
      [&](const StoredProject& stored, absl::Time now, v1::Project* next) -> absl::Status {
        RETURN_IF_ERROR(CheckEtag("etag", request.etag(), stored.project.etag()));
        *next = SoftDeleted(stored.project, now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Project> ProjectStore::Undelete(const Identity& caller,
                                                   const v1::UndeleteProjectRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.name(), "name"));
  return ChangeProject(caller, "UndeleteProject", id, /*deleted=*/true,
                       [](const StoredProject& stored, absl::Time, v1::Project* next) {
                         *next = Restored(stored.project);
                         return absl::OkStatus();
                       });
}

absl::StatusOr<v1::ProgressReport> ProjectStore::ReportProgress(
    const Identity& caller, const v1::ReportProgressRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.parent(), "parent"));
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const absl::Time now = options_.now();
  v1::ProgressReport result;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const bool earlier,
                     FindChildByRequestId(writer_, "progress_reports", "project_id", id,
                                          request.request_id(), &result));
    if (earlier) return absl::OkStatus();
    ASSIGN_OR_RETURN(const StoredProject stored, LoadForChange(caller, id, /*deleted=*/false));
    v1::ProgressReport report = request.progress_report();
    RETURN_IF_ERROR(ValidateProgressReport(report, stored.project, ChinaDayOf(now)));
    v1::Project project = stored.project;
    RETURN_IF_ERROR(AddQuantities(report.achieved(), project.mutable_achieved()));
    project.set_percent_complete(report.percent_complete());
    report.set_name(absl::StrCat(project.name(), "/progressReports/", GenerateResourceId()));
    report.set_reporter(caller.principal);
    *report.mutable_create_time() = TimestampOf(now);
    absl::CivilMonth month;
    if (!absl::ParseCivilTime(report.period(), &month)) {
      return absl::InvalidArgumentError(
          absl::StrCat("progress_report.period: \"", report.period(), "\" is not YYYY-MM"));
    }
    RETURN_IF_ERROR(InsertChildRow(writer_, "progress_reports", "project_id", id,
                                   request.request_id(), report,
                                   {{"project_seq", stored.row.seq},
                                    {"month_day", DayNumber(absl::CivilDay(month))},
                                    {"reported", PackQuantities(report.achieved())}}));
    v1::Project written;
    RETURN_IF_ERROR(Rewrite(caller, "ReportProgress", stored, std::move(project), &written));
    result = std::move(report);
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace jiangan::renewal
