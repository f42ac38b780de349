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

absl::StatusOr<std::vector<target_values::v1::TargetValue>> TargetStore::ValuesOf(
    const std::string& parent) const {
  std::vector<target_values::v1::TargetValue> values;
  target_values::v1::ListTargetValuesRequest request;
  request.set_parent(parent);
  request.set_page_size(1000);
  do {
    target_values::v1::ListTargetValuesResponse page;
    RETURN_IF_ERROR(List(request, &page));
    for (auto& value : *page.mutable_target_values()) values.push_back(std::move(value));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return values;
}

absl::StatusOr<portfolio::v1::Target> TargetStore::WithDepartment(SqlDb* db,
                                                                 const Parent& parent) const {
  portfolio::v1::Target target = *parent.target;
  if (!target.responsible_department().empty()) return target;
  ASSIGN_OR_RETURN(SqlStatement latest, db->Prepare(kLatestAssignmentSql));
  latest.BindText(1, parent.id);
  ASSIGN_OR_RETURN(const bool found, latest.Step());
  if (!found) return target;
  portfolio::v1::DepartmentAssignment assignment;
  if (!assignment.ParseFromString(latest.ColumnBlob(0))) {
    return absl::DataLossError(absl::StrCat("an assignment of ", target.name(), " does not parse"));
  }
  target.set_responsible_department(assignment.department());
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
  absl::flat_hash_map<std::string, std::string> departments;
  portfolio::v1::ListDepartmentAssignmentsRequest request;
  request.set_parent("targets/-");
  request.set_page_size(1000);
  do {
    portfolio::v1::ListDepartmentAssignmentsResponse page;
    RETURN_IF_ERROR(ListAssignments(request, &page));
    // Oldest first: a later assignment replaces an earlier one.
    for (const auto& assignment : page.assignments()) {
      const size_t children = assignment.name().find("/departmentAssignments/");
      departments[assignment.name().substr(0, children)] = assignment.department();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return departments;
}

}  // namespace jiangan::targets
