#include "services/renewal/project_store.h"

#include <optional>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/fingerprint.h"
#include "common/base/message_diff.h"
#include "common/base/resource_name.h"
#include "common/base/validation.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/renewal/project_rules.h"
#include "services/renewal/project_sql.h"
#include "common/base/status_macros.h"
#include "common/storage/child_rows.h"

namespace jiangan::renewal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::TimeUtil;

constexpr char kCollection[] = "projects";
// Layout of the tables below; PRAGMA user_version holds it.
constexpr int kSchemaVersion = 1;

absl::StatusOr<std::string> ParseProjectName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, kCollection, field);
}

// Sums of one group, planned quantities then achieved ones.
struct GroupTotals {
  int64_t count = 0;
  std::vector<int64_t> sums;
};

void SetQuantities(const int64_t* values, v1::Quantities* quantities) {
  const auto* descriptor = quantities->GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    quantities->GetReflection()->SetInt64(quantities, descriptor->field(i), values[i]);
  }
}

constexpr char kRowColumns[] = "seq, id, version, deleted, payload";
constexpr char kRowSource[] = "projects JOIN project_payloads USING (seq)";

absl::StatusOr<v1::Project> DecodeProject(const SqliteStatement& stmt) {
  v1::Project project;
  if (!project.ParseFromString(stmt.ColumnBlob(4))) {
    return absl::DataLossError(
        absl::StrCat("stored project ", stmt.ColumnText(1), " does not parse"));
  }
  return project;
}

absl::Status NotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(kCollection, "/", id, " does not exist"));
}

}  // namespace

struct ProjectStore::StoredProject {
  int64_t seq = 0;
  std::string id;
  int64_t version = 0;
  bool deleted = false;
  v1::Project project;
};

ProjectStore::ProjectStore(SqliteDb* writer, ProjectStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      changes_("project_changes", "project_id", v1::Project::descriptor(),
               {"update_time", "etag", "updater", "health", "health_reasons"}),
      health_function_(HealthSqlFunction(options_.health)),
      readers_(std::make_unique<SqliteReaderPool>()) {}

ProjectStore::~ProjectStore() = default;

absl::StatusOr<std::unique_ptr<ProjectStore>> ProjectStore::Open(SqliteDb* db,
                                                                 ProjectStoreOptions options) {
  std::unique_ptr<ProjectStore> store(new ProjectStore(db, std::move(options)));
  // A database from before this schema (user_version 0 with a projects
  // table) is refused with a clear message rather than failing on the first
  // write; later layouts will migrate from kSchemaVersion.
  {
    auto version = db->Prepare("PRAGMA user_version");
    auto tables = db->Prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'projects'");
    if (!version.ok() || !tables.ok() || !version->Step().ok() || !tables->Step().ok()) {
      return absl::InternalError("cannot read the database schema");
    }
    if (version->ColumnInt64(0) != kSchemaVersion && tables->ColumnInt64(0) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          db->path(), " holds projects in layout ", version->ColumnInt64(0), ", not ",
          kSchemaVersion, "; move it away and load the seed again"));
    }
  }
  absl::Status created = db->Exec(absl::StrCat(SchemaSql(kSchemaVersion), store->changes_.SchemaSql()));
  if (!created.ok()) return created;
  if (absl::Status registered =
          db->RegisterIntFunction(kHealthSqlFunction, 7, &store->health_function_);
      !registered.ok()) {
    return registered;
  }
  const SqliteDb::IntFunction* health = &store->health_function_;
  if (absl::Status opened = store->readers_->Open(
          db->path(), std::max(1, store->options_.reader_connections),
          [health](SqliteDb* reader) {
            return reader->RegisterIntFunction(kHealthSqlFunction, 7, health);
          });
      !opened.ok()) {
    return opened;
  }
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
  auto id = ParseProjectName(request.name(), "name");
  if (!id.ok()) return id.status();
  const int64_t today = Today();
  return readers_->With([&](SqliteDb* db) -> absl::StatusOr<v1::Project> {
    auto stmt = db->Prepare(absl::StrCat("SELECT ", kRowColumns, " FROM ", kRowSource,
                                         " WHERE id = ? AND deleted = 0"));
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, *id);
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return NotFound(*id);
    auto project = DecodeProject(*stmt);
    if (project.ok()) Present(&*project, today);
    return project;
  });
}

absl::Status ProjectStore::List(const v1::ListProjectsRequest& request,
                                v1::ListProjectsResponse* response) const {
  auto size = ResolvePageSize(request.page_size());
  if (!size.ok()) return size.status();
  auto ordering = ParseOrderBy(request.order_by(), ProjectOrderFields());
  if (!ordering.ok()) return ordering.status();
  const uint64_t query = QueryFingerprint(request);
  auto cursor = page_tokens_.Decode(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  const int64_t today = Today();
  auto where = FilterSql(request.filter(), request.show_deleted(), today);
  if (!where.ok()) return where.status();
  if (absl::Status applied = ApplyCursor(*ordering, *cursor, &*where); !applied.ok()) {
    return applied;
  }
  const std::string sql =
      absl::StrCat("SELECT ", kRowColumns, ", ", ordering->column, " FROM ", kRowSource,
                   " WHERE ", where->sql, " ", OrderBySql(*ordering), " LIMIT ?");
  return readers_->With([&](SqliteDb* db) -> absl::Status {
    auto stmt = db->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    Bind(&*stmt, 1, where->args);
    stmt->BindInt64(static_cast<int>(where->args.size()) + 1, *size + 1);
    int count = 0;
    std::string last_cursor;
    while (true) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      // The row past the page only tells that another page follows.
      if (!*row || ++count > *size) break;
      auto project = DecodeProject(*stmt);
      if (!project.ok()) return project.status();
      Present(&*project, today);
      *response->add_projects() = *std::move(project);
      SqlArg key = ColumnArg(*stmt, 5, ordering->text);
      last_cursor = MakeCursor(*ordering, stmt->ColumnInt64(0), key);
    }
    if (count > *size) response->set_next_page_token(page_tokens_.Encode(last_cursor, query));
    return absl::OkStatus();
  });
}

absl::Status ProjectStore::ListProgressReports(const v1::ListProgressReportsRequest& request,
                                               v1::ListProgressReportsResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.parent(), "parent"));
  const ChildRowsQuery query{kCollection, "projects", id, /*deleted_parent_ok=*/false,
                             "progress_reports", "project_id", "payload"};
  return readers_->With([&](SqliteDb* db) {
    return ListChildRows(
        db, page_tokens_, request, request.page_size(), request.page_token(), query,
        [response](const SqliteStatement& row) {
          return response->add_progress_reports()->ParseFromString(row.ColumnBlob(1));
        },
        response->mutable_next_page_token());
  });
}

absl::Status ProjectStore::ListHistory(const v1::ListProjectHistoryRequest& request,
                                       v1::ListProjectHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseProjectName(request.parent(), "parent"));
  const ChildRowsQuery query{kCollection,         "projects",    id, /*deleted_parent_ok=*/true,
                             changes_.table(), changes_.owner_column(), ChangeLog::kColumns};
  return readers_->With([&](SqliteDb* db) {
    return ListChildRows(
        db, page_tokens_, request, request.page_size(), request.page_token(), query,
        [this, response](const SqliteStatement& row) {
          return changes_.Render(row, response->add_changes());
        },
        response->mutable_next_page_token());
  });
}

absl::Status ProjectStore::Summarize(const v1::SummarizeProjectsRequest& request,
                                     v1::SummarizeProjectsResponse* response) const {
  const int64_t today = Today();
  auto where = FilterSql(request.filter(), /*show_deleted=*/false, today);
  if (!where.ok()) return where.status();
  std::vector<Dimension> dimensions;
  absl::flat_hash_set<int> seen;
  for (int i = 0; i < request.group_by_size(); ++i) {
    const auto grouping = static_cast<v1::ProjectGrouping>(request.group_by(i));
    if (!seen.insert(grouping).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "group_by[", i, "]: ", v1::ProjectGrouping_Name(grouping), " is named twice"));
    }
    auto dimension = DimensionOf(grouping, today);
    if (!dimension.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by[", i, "]: ", dimension.status().message()));
    }
    dimensions.push_back(*std::move(dimension));
  }
  // SQLite's SUM() over two dozen columns costs several times the scan, so
  // the rows' packed totals are summed here, exactly, every addition checked
  // for overflow.
  std::vector<std::string> columns;
  for (const Dimension& dimension : dimensions) columns.push_back(dimension.sql);
  columns.push_back("totals");
  const std::string sql = absl::StrCat("SELECT ", absl::StrJoin(columns, ", "),
                                       " FROM projects WHERE ", where->sql);
  *response->mutable_as_of() = FromCivilDay(FromDayNumber(today));
  const int quantity_count = QuantityCount();
  const int keys = static_cast<int>(dimensions.size());
  absl::btree_map<std::vector<SqlArg>, GroupTotals> groups;
  absl::Status scanned = readers_->With([&](SqliteDb* db) -> absl::Status {
    auto stmt = db->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    Bind(&*stmt, 1, where->args);
    std::vector<SqlArg> key(keys);
    while (true) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      for (int k = 0; k < keys; ++k) {
        key[k] = dimensions[k].text ? SqlArg(stmt->ColumnText(k)) : SqlArg(stmt->ColumnInt64(k));
      }
      const absl::string_view totals = stmt->ColumnBlobView(keys);
      if (totals.size() != static_cast<size_t>(16 * quantity_count)) {
        return absl::DataLossError("a project's stored totals have the wrong size");
      }
      GroupTotals& group = groups[key];
      if (group.sums.empty()) group.sums.resize(2 * quantity_count);
      ++group.count;
      for (int q = 0; q < 2 * quantity_count; ++q) {
        const auto value = TotalAt(totals, q);
        if (__builtin_add_overflow(group.sums[q], value, &group.sums[q])) {
          const auto* field = v1::Quantities::descriptor()->field(q % quantity_count);
          return absl::OutOfRangeError(absl::StrCat(
              q < quantity_count ? "planned." : "achieved.", field->name(),
              ": the sum exceeds the 64-bit integer range"));
        }
      }
    }
    return absl::OkStatus();
  });
  if (!scanned.ok()) return scanned;
  if (groups.empty() && keys == 0) groups[{}].sums.resize(2 * quantity_count);
  for (const auto& [key, totals] : groups) {
    v1::ProjectGroup* group = response->add_groups();
    for (int k = 0; k < keys; ++k) dimensions[k].set(key[k], group);
    group->set_project_count(totals.count);
    SetQuantities(totals.sums.data(), group->mutable_planned());
    SetQuantities(totals.sums.data() + quantity_count, group->mutable_achieved());
  }
  return absl::OkStatus();
}

// ---- Writes ---------------------------------------------------------------

absl::StatusOr<ProjectStore::StoredProject> ProjectStore::LoadForWrite(absl::string_view id) {
  auto stmt = writer_->Prepare(
      absl::StrCat("SELECT ", kRowColumns, " FROM ", kRowSource, " WHERE id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return NotFound(id);
  auto project = DecodeProject(*stmt);
  if (!project.ok()) return project.status();
  return StoredProject{stmt->ColumnInt64(0), stmt->ColumnText(1), stmt->ColumnInt64(2),
                       stmt->ColumnInt64(3) != 0, *std::move(project)};
}

absl::Status ProjectStore::RecordChange(const Identity& caller, absl::string_view method,
                                        absl::string_view project_id, const v1::Project& before,
                                        const v1::Project& after) {
  return changes_.Record(writer_, project_id, Micros(after.update_time()), caller.principal,
                         method, before, after);
}

absl::Status ProjectStore::Rewrite(const Identity& caller, absl::string_view method,
                                   const StoredProject& before, v1::Project project,
                                   v1::Project* written) {
  const int64_t version = before.version + 1;
  project.clear_health();
  project.clear_health_reasons();
  project.set_updater(caller.principal);
  *project.mutable_update_time() = TimestampOf(options_.now());
  project.set_etag(VersionEtag(before.seq, version));
  auto update = writer_->Prepare(UpdateProjectSql());
  if (!update.ok()) return update.status();
  update->BindInt64(1, version);
  std::vector<SqlArg> values = DerivedValues(project);
  Bind(&*update, 2, values);
  update->BindInt64(2 + static_cast<int>(values.size()), before.seq);
  if (absl::Status run = update->Run(); !run.ok()) return run;
  auto payload = writer_->Prepare("UPDATE project_payloads SET payload = ? WHERE seq = ?");
  if (!payload.ok()) return payload.status();
  payload->BindBlob(1, project.SerializeAsString());
  payload->BindInt64(2, before.seq);
  if (absl::Status run = payload->Run(); !run.ok()) return run;
  if (absl::Status recorded = RecordChange(caller, method, before.id, before.project, project);
      !recorded.ok()) {
    return recorded;
  }
  *written = std::move(project);
  return absl::OkStatus();
}

absl::StatusOr<ProjectStore::StoredProject> ProjectStore::LoadForChange(const Identity& caller,
                                                                       absl::string_view id,
                                                                       bool deleted) {
  auto stored = LoadForWrite(id);
  if (!stored.ok()) return stored.status();
  if (stored->deleted && !deleted) return NotFound(id);
  if (!stored->deleted && deleted) {
    return absl::FailedPreconditionError(
        absl::StrCat("name: ", stored->project.name(), " is not deleted"));
  }
  if (absl::Status allowed =
          CheckCanChange(caller, stored->project.lead_department(), stored->project.name());
      !allowed.ok()) {
    return allowed;
  }
  return stored;
}

absl::StatusOr<v1::Project> ProjectStore::Create(const Identity& caller,
                                                 const v1::CreateProjectRequest& request) {
  if (absl::Status valid = CheckRequestId(request.request_id()); !valid.ok()) return valid;
  std::string id = request.project_id();
  if (id.empty()) {
    id = GenerateResourceId();
  } else if (absl::Status valid = ValidateResourceId(id, "project_id"); !valid.ok()) {
    return valid;
  }
  const absl::Time now = options_.now();
  v1::Project project = request.project();
  ClearOutputOnlyFields(&project);
  if (project.phase() == v1::PROJECT_PHASE_UNSPECIFIED) project.set_phase(v1::PLANNING);
  if (absl::Status valid = ValidateProject(project, ChinaDayOf(now)); !valid.ok()) return valid;
  const std::string name = absl::StrCat(kCollection, "/", id);
  if (absl::Status allowed = CheckCanChange(caller, project.lead_department(), name);
      !allowed.ok()) {
    return allowed;
  }

  v1::Project result;
  absl::MutexLock lock(&write_mu_);
  absl::Status status = writer_->InTransaction([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      auto earlier = writer_->Prepare(
          absl::StrCat("SELECT ", kRowColumns, " FROM ", kRowSource, " WHERE request_id = ?"));
      if (!earlier.ok()) return earlier.status();
      earlier->BindText(1, request.request_id());
      auto found = earlier->Step();
      if (!found.ok()) return found.status();
      if (*found) {
        auto stored = DecodeProject(*earlier);
        if (!stored.ok()) return stored.status();
        result = *std::move(stored);
        return absl::OkStatus();
      }
    }
    auto taken = writer_->Prepare("SELECT 1 FROM projects WHERE id = ?");
    if (!taken.ok()) return taken.status();
    taken->BindText(1, id);
    auto exists = taken->Step();
    if (!exists.ok()) return exists.status();
    if (*exists) return absl::AlreadyExistsError(absl::StrCat(name, " already exists"));
    auto next_seq = writer_->Prepare(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'projects'), 0) + 1");
    if (!next_seq.ok()) return next_seq.status();
    if (auto stepped = next_seq->Step(); !stepped.ok()) return stepped.status();
    const int64_t seq = next_seq->ColumnInt64(0);

    ApplyConsequences(nullptr, now, &project);
    project.set_name(name);
    *project.mutable_create_time() = TimestampOf(now);
    *project.mutable_update_time() = project.create_time();
    project.set_creator(caller.principal);
    project.set_updater(caller.principal);
    project.set_etag(VersionEtag(seq, 1));

    auto insert = writer_->Prepare(InsertProjectSql());
    if (!insert.ok()) return insert.status();
    insert->BindInt64(1, seq);
    insert->BindText(2, id);
    if (request.request_id().empty()) {
      insert->BindNull(3);
    } else {
      insert->BindText(3, request.request_id());
    }
    insert->BindInt64(4, 1);
    Bind(&*insert, 5, DerivedValues(project));
    if (absl::Status run = insert->Run(); !run.ok()) return run;
    auto payload = writer_->Prepare("INSERT INTO project_payloads (seq, payload) VALUES (?, ?)");
    if (!payload.ok()) return payload.status();
    payload->BindInt64(1, seq);
    payload->BindBlob(2, project.SerializeAsString());
    if (absl::Status run = payload->Run(); !run.ok()) return run;
    if (absl::Status recorded = RecordChange(caller, "CreateProject", id, v1::Project(), project);
        !recorded.ok()) {
      return recorded;
    }
    result = project;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  Present(&result, DayNumber(ChinaDayOf(now)));
  return result;
}

absl::StatusOr<v1::Project> ProjectStore::Update(const Identity& caller,
                                                 const v1::UpdateProjectRequest& request) {
  auto id = ParseProjectName(request.project().name(), "project.name");
  if (!id.ok()) return id.status();
  if (absl::Status valid = CheckUpdateMask(request.update_mask()); !valid.ok()) return valid;
  return ChangeProject(
      caller, "UpdateProject", *id, /*deleted=*/false,
      [&](const StoredProject& stored, absl::Time now, v1::Project* merged) -> absl::Status {
        const v1::Project& before = stored.project;
        if (!request.project().etag().empty() && request.project().etag() != before.etag()) {
          return absl::AbortedError(absl::StrCat(
              "project.etag: \"", request.project().etag(), "\" is not the current etag \"",
              before.etag(), "\"; read the project again and retry"));
        }
        *merged = before;
        google::protobuf::util::FieldMaskUtil::MergeOptions merge;
        merge.set_replace_message_fields(true);
        merge.set_replace_repeated_fields(true);
        google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.project(),
                                                              request.update_mask(), merge, merged);
        // Field rules first: a transition is only judged between real phases.
        if (absl::Status valid = ValidateProject(*merged, ChinaDayOf(now)); !valid.ok()) {
          return valid;
        }
        if (absl::Status allowed = CheckPhaseTransition(before.phase(), merged->phase());
            !allowed.ok()) {
          return allowed;
        }
        if (merged->lead_department() != before.lead_department()) {
          if (absl::Status allowed =
                  CheckCanChange(caller, merged->lead_department(), before.name());
              !allowed.ok()) {
            return allowed;
          }
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
  absl::MutexLock lock(&write_mu_);
  absl::Status status = writer_->InTransaction([&]() -> absl::Status {
    auto stored = LoadForChange(caller, id, deleted);
    if (!stored.ok()) return stored.status();
    v1::Project next;
    if (absl::Status changed = change(*stored, now, &next); !changed.ok()) return changed;
    return Rewrite(caller, method, *stored, std::move(next), &result);
  });
  if (!status.ok()) return status;
  Present(&result, DayNumber(ChinaDayOf(now)));
  return result;
}

absl::StatusOr<v1::Project> ProjectStore::Delete(const Identity& caller,
                                                 const v1::DeleteProjectRequest& request) {
  auto id = ParseProjectName(request.name(), "name");
  if (!id.ok()) return id.status();
  return ChangeProject(
      caller, "DeleteProject", *id, /*deleted=*/false,
      [&](const StoredProject& stored, absl::Time now, v1::Project* next) -> absl::Status {
        if (!request.etag().empty() && request.etag() != stored.project.etag()) {
          return absl::AbortedError(absl::StrCat("etag: \"", request.etag(),
                                                 "\" is not the current etag \"",
                                                 stored.project.etag(), "\""));
        }
        *next = stored.project;
        *next->mutable_delete_time() = TimestampOf(now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Project> ProjectStore::Undelete(const Identity& caller,
                                                   const v1::UndeleteProjectRequest& request) {
  auto id = ParseProjectName(request.name(), "name");
  if (!id.ok()) return id.status();
  return ChangeProject(caller, "UndeleteProject", *id, /*deleted=*/true,
                       [](const StoredProject& stored, absl::Time, v1::Project* next) {
                         *next = stored.project;
                         next->clear_delete_time();
                         return absl::OkStatus();
                       });
}

absl::StatusOr<v1::ProgressReport> ProjectStore::ReportProgress(
    const Identity& caller, const v1::ReportProgressRequest& request) {
  auto id = ParseProjectName(request.parent(), "parent");
  if (!id.ok()) return id.status();
  if (absl::Status valid = CheckRequestId(request.request_id()); !valid.ok()) return valid;
  const absl::Time now = options_.now();
  v1::ProgressReport result;
  absl::MutexLock lock(&write_mu_);
  absl::Status status = writer_->InTransaction([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      auto earlier = writer_->Prepare(
          "SELECT payload FROM progress_reports WHERE project_id = ? AND request_id = ?");
      if (!earlier.ok()) return earlier.status();
      earlier->BindText(1, *id);
      earlier->BindText(2, request.request_id());
      auto found = earlier->Step();
      if (!found.ok()) return found.status();
      if (*found) {
        if (!result.ParseFromString(earlier->ColumnBlob(0))) {
          return absl::DataLossError("a stored progress report does not parse");
        }
        return absl::OkStatus();
      }
    }
    auto stored = LoadForChange(caller, *id, /*deleted=*/false);
    if (!stored.ok()) return stored.status();
    v1::ProgressReport report = request.progress_report();
    if (absl::Status valid = ValidateProgressReport(report, stored->project, ChinaDayOf(now));
        !valid.ok()) {
      return valid;
    }
    v1::Project project = stored->project;
    if (absl::Status added = AddQuantities(report.achieved(), project.mutable_achieved());
        !added.ok()) {
      return added;
    }
    project.set_percent_complete(report.percent_complete());
    report.set_name(absl::StrCat(project.name(), "/progressReports/", GenerateResourceId()));
    report.set_reporter(caller.principal);
    *report.mutable_create_time() = TimestampOf(now);
    auto insert = writer_->Prepare(
        "INSERT INTO progress_reports (project_id, request_id, payload) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, *id);
    if (request.request_id().empty()) {
      insert->BindNull(2);
    } else {
      insert->BindText(2, request.request_id());
    }
    insert->BindBlob(3, report.SerializeAsString());
    if (absl::Status run = insert->Run(); !run.ok()) return run;
    v1::Project written;
    if (absl::Status rewritten =
            Rewrite(caller, "ReportProgress", *stored, std::move(project), &written);
        !rewritten.ok()) {
      return rewritten;
    }
    result = std::move(report);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace jiangan::renewal
