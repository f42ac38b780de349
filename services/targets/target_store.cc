#include "services/targets/target_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/fingerprint.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/child_rows.h"
#include "common/storage/schema_migrations.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/targets/assignment_rules.h"
#include "services/targets/target_catalog.h"
#include "services/targets/value_rules.h"
#include "services/targets/target_sql.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

// Version 1: values; version 2: department assignments; version 3: the
// catalog, which was read from its file at every start before.
constexpr int kValuesSchemaVersion = 1;
constexpr int kAssignmentsSchemaVersion = 2;
constexpr int kSchemaVersion = 3;
constexpr char kCollection[] = "targets";
// Who changes a target loaded from a file, in its history.
constexpr char kFilePrincipal[] = "catalog-file";

// `status` about field `field` of the request: its message prefixed with
// "{field}.", e.g. "target.unit: is required".
absl::Status AboutField(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(field, ".", status.message()));
}

// Every target of the catalog as read on `db`, in catalog order.
absl::StatusOr<std::vector<v1::Target>> ReadCatalog(SqlDb* db) {
  ASSIGN_OR_RETURN(SqlStatement rows, db->Prepare(kCatalogSql));
  std::vector<v1::Target> catalog;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) return catalog;
    v1::Target& target = catalog.emplace_back();
    if (!target.ParseFromString(rows.ColumnBlob(2))) {
      return absl::DataLossError("a row of targets does not parse");
    }
    target.set_etag(VersionEtag(rows.ColumnInt64(0), rows.ColumnInt64(1)));
  }
}

// `target` as the catalog keeps it: without answers or etag.
v1::Target CatalogEntry(v1::Target target) {
  ClearOutputOnly(kTargetOutputOnly, &target);
  return target;
}

}  // namespace

TargetStore::TargetStore(SqlDb* writer, TargetStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      changes_(kTargetChangesTable, kTargetColumn, v1::Target::descriptor(), kTargetOutputOnly),
      readers_(std::make_unique<SqlReaderPool>()) {}

absl::StatusOr<std::unique_ptr<TargetStore>> TargetStore::Open(SqlDb* db,
                                                               TargetStoreOptions options) {
  std::unique_ptr<TargetStore> store(new TargetStore(db, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(
      db, {SchemaStep{kValuesSchemaVersion, ValuesSchemaSql()},
           SchemaStep{kAssignmentsSchemaVersion, AssignmentsSchemaSql()},
           SchemaStep{kSchemaVersion,
                      absl::StrCat(TargetsSchemaSql(), store->changes_.SchemaSql())}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

absl::StatusOr<TargetStore::Parent> TargetStore::FindTarget(SqlDb* db, absl::string_view name,
                                                            absl::string_view field) const {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, field));
  ASSIGN_OR_RETURN(SqlStatement row, db->Prepare(kTargetRowSql));
  row.BindText(1, id);
  ASSIGN_OR_RETURN(const bool found, row.Step());
  if (!found) return absl::NotFoundError(absl::StrCat(name, " is not a target of the catalog"));
  Parent parent;
  if (!parent.target.ParseFromString(row.ColumnBlob(2))) {
    return absl::DataLossError(absl::StrCat("the row of ", name, " does not parse"));
  }
  parent.target.set_etag(VersionEtag(row.ColumnInt64(0), row.ColumnInt64(1)));
  if (!row.ColumnIsNull(3)) parent.loaded = row.ColumnBlob(3);
  parent.position = row.ColumnInt64(4);
  parent.id = std::move(id);
  return parent;
}

absl::StatusOr<TargetStore::Parent> TargetStore::ReadTarget(absl::string_view name,
                                                            absl::string_view field) const {
  return readers_->With([&](SqlDb* db) { return FindTarget(db, name, field); });
}

absl::StatusOr<v1::Target> TargetStore::Find(absl::string_view name,
                                             absl::string_view field) const {
  ASSIGN_OR_RETURN(Parent found, ReadTarget(name, field));
  return std::move(found.target);
}

absl::StatusOr<std::vector<v1::Target>> TargetStore::Catalog() const {
  return readers_->With([](SqlDb* db) { return ReadCatalog(db); });
}

absl::Status TargetStore::WriteTarget(const std::string& id, const Parent* before,
                                      const v1::Target& after, int64_t position,
                                      const std::string* loaded, absl::string_view principal,
                                      absl::string_view method, absl::string_view request_id) {
  const v1::Target entry = CatalogEntry(after);
  ASSIGN_OR_RETURN(SqlStatement write,
                   writer_->Prepare(before == nullptr ? kInsertTargetSql : kUpdateTargetSql));
  // A change through the API keeps what the file gave last.
  const std::string* file_entry =
      loaded != nullptr ? loaded : (before != nullptr && !before->loaded.empty() ? &before->loaded
                                                                                 : nullptr);
  int next = 1;
  if (before == nullptr) {
    write.BindText(next++, id);
    write.BindInt64(next++, entry.year());
    write.BindInt64(next++, position);
    if (request_id.empty()) {
      write.BindNull(next++);
    } else {
      write.BindText(next++, request_id);
    }
  } else {
    write.BindInt64(next++, position);
  }
  if (file_entry == nullptr) {
    write.BindNull(next++);
  } else {
    write.BindBlob(next++, *file_entry);
  }
  write.BindBlob(next++, entry.SerializeAsString());
  if (before != nullptr) write.BindText(next++, id);
  RETURN_IF_ERROR(write.Run());
  const v1::Target earlier = before == nullptr ? v1::Target() : CatalogEntry(before->target);
  return changes_.Record(writer_, id, absl::ToUnixMicros(options_.now()), principal, method,
                         earlier, entry);
}

absl::Status TargetStore::LoadCatalog(absl::Span<const CatalogFile> files) {
  absl::MutexLock lock(&write_mu_);
  return writer_->InTransaction([&]() -> absl::Status {
    for (const CatalogFile& file : files) {
      const std::string method = absl::StrCat("file:", file.path);
      for (int i = 0; i < file.catalog.targets_size(); ++i) {
        const v1::Target entry = CatalogEntry(file.catalog.targets(i));
        ASSIGN_OR_RETURN(const std::string id, ParseResourceName(entry.name(), kCollection, "name"));
        absl::StatusOr<Parent> stored = FindTarget(writer_, entry.name(), "name");
        if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
        if (stored.ok()) {
          v1::Target last_loaded;
          if (!stored->loaded.empty() && last_loaded.ParseFromString(stored->loaded) &&
              google::protobuf::util::MessageDifferencer::Equals(last_loaded, entry)) {
            continue;  // the file has not changed it: what the API made stands
          }
        }
        const std::string loaded = entry.SerializeAsString();
        RETURN_IF_ERROR(WriteTarget(id, stored.ok() ? &*stored : nullptr, entry, i, &loaded,
                                    kFilePrincipal, method, ""));
      }
    }
    ASSIGN_OR_RETURN(const std::vector<v1::Target> catalog, ReadCatalog(writer_));
    return CheckCatalogLinks(catalog);
  });
}

absl::StatusOr<v1::Target> TargetStore::CreateTarget(const Identity& caller,
                                                     const v1::CreateTargetRequest& request) {
  if (request.target_id().empty()) {
    return absl::InvalidArgumentError("target_id: is required, e.g. \"gdp-growth-2025\"");
  }
  ASSIGN_OR_RETURN(const std::string id,
                   ResolveNewId(request.target_id(), "target_id", request.request_id()));
  v1::Target entry = CatalogEntry(request.target());
  entry.set_name(absl::StrCat(kCollection, "/", id));
  RETURN_IF_ERROR(AboutField("target", CheckCatalogTarget(entry)));
  v1::Target created;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      ASSIGN_OR_RETURN(SqlStatement earlier, writer_->Prepare(kTargetByRequestSql));
      earlier.BindText(1, request.request_id());
      ASSIGN_OR_RETURN(const bool retried, earlier.Step());
      if (retried) {
        ASSIGN_OR_RETURN(Parent first,
                         FindTarget(writer_, absl::StrCat(kCollection, "/", earlier.ColumnText(0))));
        created = std::move(first.target);
        return absl::OkStatus();
      }
    }
    absl::StatusOr<Parent> taken = FindTarget(writer_, entry.name(), "target_id");
    if (taken.ok()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "target_id: ", entry.name(), " exists (of ", taken->target.year(),
          "); an id names one target of one year"));
    }
    if (!absl::IsNotFound(taken.status())) return taken.status();
    ASSIGN_OR_RETURN(SqlStatement next, writer_->Prepare(kNextPositionSql));
    next.BindInt64(1, entry.year());
    ASSIGN_OR_RETURN(const bool positioned, next.Step());
    RETURN_IF_ERROR(WriteTarget(id, nullptr, entry, positioned ? next.ColumnInt64(0) : 0, nullptr,
                                caller.principal, "CreateTarget", request.request_id()));
    ASSIGN_OR_RETURN(const std::vector<v1::Target> catalog, ReadCatalog(writer_));
    RETURN_IF_ERROR(AboutField("target", CheckCatalogLinks(catalog)));
    ASSIGN_OR_RETURN(Parent made, FindTarget(writer_, entry.name()));
    created = std::move(made.target);
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<v1::Target> TargetStore::UpdateTarget(const Identity& caller,
                                                     const v1::UpdateTargetRequest& request) {
  const google::protobuf::FieldMask& mask = request.update_mask();
  if (MaskNames(mask, "name") || MaskNames(mask, "year")) {
    return absl::InvalidArgumentError(
        "update_mask: a target's name and year never change; create the target of another "
        "year with CreateTarget, naming this one in previous_target");
  }
  RETURN_IF_ERROR(CheckUpdateMask(mask, v1::Target::descriptor(), kTargetOutputOnly));
  v1::Target updated;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const Parent before,
                     FindTarget(writer_, request.target().name(), "target.name"));
    RETURN_IF_ERROR(CheckEtag("target.etag", request.target().etag(), before.target.etag()));
    v1::Target after = CatalogEntry(before.target);
    MergeMasked(request.target(), mask, &after);
    RETURN_IF_ERROR(AboutField("target", CheckCatalogTarget(after)));
    ASSIGN_OR_RETURN(SqlStatement count, writer_->Prepare(kCountValuesSql));
    count.BindText(1, before.id);
    ASSIGN_OR_RETURN(const bool counted, count.Step());
    const int64_t values = counted ? count.ColumnInt64(0) : 0;
    if (values > 0 && (after.measurement() != before.target.measurement() ||
                       CheckReported(after).ok() != CheckReported(before.target).ok())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "target.measurement: ", values, " values are recorded for ", before.target.name(),
          "; a target with values keeps its measurement and whether it takes adjustments"));
    }
    RETURN_IF_ERROR(WriteTarget(before.id, &before, after, before.position, nullptr,
                                caller.principal, "UpdateTarget", ""));
    ASSIGN_OR_RETURN(const std::vector<v1::Target> catalog, ReadCatalog(writer_));
    RETURN_IF_ERROR(AboutField("target", CheckCatalogLinks(catalog)));
    ASSIGN_OR_RETURN(Parent made, FindTarget(writer_, before.target.name()));
    updated = std::move(made.target);
    return absl::OkStatus();
  }));
  return updated;
}

absl::Status TargetStore::ListHistory(const v1::ListTargetHistoryRequest& request,
                                      v1::ListTargetHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseResourceName(request.parent(), kCollection, "parent"));
  return readers_->With([&](SqlDb* db) {
    return changes_.ListPage(db, page_tokens_, request, request.page_size(), request.page_token(),
                             kTargetsTable, id, response->mutable_changes(),
                             response->mutable_next_page_token());
  });
}

absl::StatusOr<target_values::v1::TargetValue> TargetStore::Record(
    const Identity& caller, const target_values::v1::RecordTargetValueRequest& request) {
  RETURN_IF_ERROR(ParseResourceName(request.parent(), kCollection, "parent").status());
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const absl::Time now = options_.now();
  target_values::v1::TargetValue value = request.target_value();
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const Parent found, FindTarget(writer_, request.parent()));
    const v1::Target* target = &found.target;
    const std::string& id = found.id;
    RETURN_IF_ERROR(CheckReported(*target));
    RETURN_IF_ERROR(ValidateTargetValue(value, *target, ChinaDayOf(now)));
    value.set_name(absl::StrCat(target->name(), "/values/", GenerateResourceId()));
    value.set_recorder(caller.principal);
    value.set_recorder_department(caller.department);
    *value.mutable_create_time() = TimestampOf(now);
    // Who may record follows the department answerable now.
    ASSIGN_OR_RETURN(const portfolio::v1::Target answerable, WithDepartment(writer_, found));
    RETURN_IF_ERROR(CheckMayRecord(caller, answerable));
    ASSIGN_OR_RETURN(const bool earlier, FindChildByRequestId(writer_, kValuesTable, kTargetColumn,
                                                              id, request.request_id(), &value));
    if (earlier) return absl::OkStatus();
    return InsertChildRow(writer_, kValuesTable, kTargetColumn, id, request.request_id(), value);
  }));
  return value;
}

template <typename Child>
absl::Status TargetStore::ListChildren(const google::protobuf::Message& request,
                                       absl::string_view parent, int32_t page_size,
                                       absl::string_view page_token, absl::string_view table,
                                       google::protobuf::RepeatedPtrField<Child>* page,
                                       std::string* next_page_token) const {
  ChildRowsQuery query{kCollection, /*parent_table=*/"", "", false, table, kTargetColumn};
  std::string id;
  if (parent == "targets/-") {
    query.all_parents = true;
  } else {
    ASSIGN_OR_RETURN(Parent found, ReadTarget(parent));
    id = std::move(found.id);
    query.parent_id = id;
  }
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, page_size, page_token, query, page,
                             next_page_token);
  });
}

absl::Status TargetStore::List(const target_values::v1::ListTargetValuesRequest& request,
                               target_values::v1::ListTargetValuesResponse* response) const {
  return ListChildren(request, request.parent(), request.page_size(), request.page_token(),
                      kValuesTable, response->mutable_target_values(),
                      response->mutable_next_page_token());
}

template <typename Child>
absl::StatusOr<std::vector<Child>> TargetStore::AllChildren(absl::string_view table,
                                                            absl::string_view parent) const {
  std::string id;
  if (parent != "targets/-") {
    ASSIGN_OR_RETURN(Parent found, ReadTarget(parent));
    id = std::move(found.id);
  }
  std::vector<Child> children;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement rows,
                     db->Prepare(absl::StrCat("SELECT payload FROM ", table,
                                              id.empty() ? "" : " WHERE target_id = ?",
                                              " ORDER BY seq")));
    if (!id.empty()) rows.BindText(1, id);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, rows.Step());
      if (!row) return absl::OkStatus();
      if (!children.emplace_back().ParseFromString(rows.ColumnBlob(0))) {
        return absl::DataLossError(absl::StrCat("a row of ", table, " does not parse"));
      }
    }
  }));
  return children;
}

absl::StatusOr<std::vector<target_values::v1::TargetValue>> TargetStore::ValuesOf(
    const std::string& parent) const {
  return AllChildren<target_values::v1::TargetValue>(kValuesTable, parent);
}

absl::StatusOr<portfolio::v1::Target> TargetStore::WithDepartment(SqlDb* db,
                                                                 const Parent& parent) const {
  portfolio::v1::Target target = parent.target;
  ASSIGN_OR_RETURN(SqlStatement latest, db->Prepare(kLatestAssignmentSql));
  latest.BindText(1, parent.id);
  ASSIGN_OR_RETURN(const bool found, latest.Step());
  portfolio::v1::DepartmentAssignment assignment;
  if (found && !assignment.ParseFromString(latest.ColumnBlob(0))) {
    return absl::DataLossError(absl::StrCat("an assignment of ", target.name(), " does not parse"));
  }
  SetAnswerable(found ? &assignment.department() : nullptr, &target);
  return target;
}

absl::StatusOr<portfolio::v1::DepartmentAssignment> TargetStore::Assign(
    const Identity& caller, const portfolio::v1::AssignTargetDepartmentRequest& request) {
  RETURN_IF_ERROR(ParseResourceName(request.name(), kCollection, "name").status());
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  portfolio::v1::DepartmentAssignment assignment;
  assignment.set_department(request.department());
  assignment.set_reason(request.reason());
  RETURN_IF_ERROR(ValidateAssignment(assignment));
  const absl::Time now = options_.now();
  assignment.set_assigner(caller.principal);
  *assignment.mutable_create_time() = TimestampOf(now);
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const Parent found, FindTarget(writer_, request.name(), "name"));
    RETURN_IF_ERROR(CheckAssignable(found.target));
    assignment.set_name(
        absl::StrCat(found.target.name(), "/departmentAssignments/", GenerateResourceId()));
    ASSIGN_OR_RETURN(const bool earlier,
                     FindChildByRequestId(writer_, kAssignmentsTable, kTargetColumn, found.id,
                                          request.request_id(), &assignment));
    if (earlier) return absl::OkStatus();
    return InsertChildRow(writer_, kAssignmentsTable, kTargetColumn, found.id,
                          request.request_id(), assignment);
  }));
  return assignment;
}

absl::Status TargetStore::ListAssignments(
    const portfolio::v1::ListDepartmentAssignmentsRequest& request,
    portfolio::v1::ListDepartmentAssignmentsResponse* response) const {
  return ListChildren(request, request.parent(), request.page_size(), request.page_token(),
                      kAssignmentsTable, response->mutable_assignments(),
                      response->mutable_next_page_token());
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> TargetStore::AssignedDepartments()
    const {
  ASSIGN_OR_RETURN(const std::vector<portfolio::v1::DepartmentAssignment> assignments,
                   AllChildren<portfolio::v1::DepartmentAssignment>(kAssignmentsTable, "targets/-"));
  absl::flat_hash_map<std::string, std::string> departments;
  // Oldest first: a later assignment replaces an earlier one.
  for (const auto& assignment : assignments) {
    departments[TargetOf(assignment.name())] = assignment.department();
  }
  return departments;
}

}  // namespace jiangan::targets
