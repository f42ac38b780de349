#include "services/targets/target_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/child_rows.h"
#include "common/storage/schema_migrations.h"
#include "services/targets/assignment_rules.h"
#include "services/targets/value_rules.h"
#include "services/targets/target_sql.h"

namespace jiangan::targets {
namespace {

// Version 1: values; version 2: department assignments.
constexpr int kValuesSchemaVersion = 1;
constexpr int kSchemaVersion = 2;
constexpr char kCollection[] = "targets";

absl::flat_hash_map<std::string, portfolio::v1::Target> ByName(
    const portfolio::v1::ListTargetsResponse& catalog) {
  absl::flat_hash_map<std::string, portfolio::v1::Target> by_name;
  for (const portfolio::v1::Target& target : catalog.targets()) by_name[target.name()] = target;
  return by_name;
}

}  // namespace

TargetStore::TargetStore(SqlDb* writer, const portfolio::v1::ListTargetsResponse& catalog,
                       TargetStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      targets_(ByName(catalog)),
      readers_(std::make_unique<SqlReaderPool>()) {}

absl::StatusOr<std::unique_ptr<TargetStore>> TargetStore::Open(
    SqlDb* db, const portfolio::v1::ListTargetsResponse& catalog, TargetStoreOptions options) {
  std::unique_ptr<TargetStore> store(new TargetStore(db, catalog, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(db, {SchemaStep{kValuesSchemaVersion, ValuesSchemaSql()},
                                     SchemaStep{kSchemaVersion, AssignmentsSchemaSql()}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

absl::StatusOr<TargetStore::Parent> TargetStore::FindTarget(absl::string_view name,
                                                            absl::string_view field) const {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, field));
  auto it = targets_.find(name);
  if (it == targets_.end()) {
    return absl::NotFoundError(absl::StrCat(name, " is not a target of the catalog"));
  }
  return Parent{&it->second, std::move(id)};
}

absl::StatusOr<target_values::v1::TargetValue> TargetStore::Record(const Identity& caller,
                                                   const target_values::v1::RecordTargetValueRequest& request) {
  ASSIGN_OR_RETURN(const Parent found, FindTarget(request.parent()));
  const portfolio::v1::Target* target = found.target;
  const std::string& id = found.id;
  RETURN_IF_ERROR(CheckReported(*target));
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const absl::Time now = options_.now();
  target_values::v1::TargetValue value = request.target_value();
  RETURN_IF_ERROR(ValidateTargetValue(value, *target, ChinaDayOf(now)));
  value.set_name(absl::StrCat(target->name(), "/values/", GenerateResourceId()));
  value.set_recorder(caller.principal);
  value.set_recorder_department(caller.department);
  *value.mutable_create_time() = TimestampOf(now);
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
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
    ASSIGN_OR_RETURN(Parent found, FindTarget(parent));
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
    ASSIGN_OR_RETURN(Parent found, FindTarget(parent));
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
  portfolio::v1::Target target = *parent.target;
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
  ASSIGN_OR_RETURN(const Parent found, FindTarget(request.name(), "name"));
  RETURN_IF_ERROR(CheckAssignable(*found.target));
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  portfolio::v1::DepartmentAssignment assignment;
  assignment.set_department(request.department());
  assignment.set_reason(request.reason());
  RETURN_IF_ERROR(ValidateAssignment(assignment));
  const absl::Time now = options_.now();
  assignment.set_name(
      absl::StrCat(found.target->name(), "/departmentAssignments/", GenerateResourceId()));
  assignment.set_assigner(caller.principal);
  *assignment.mutable_create_time() = TimestampOf(now);
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
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
