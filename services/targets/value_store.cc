#include "services/targets/value_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/child_rows.h"
#include "common/storage/schema_migrations.h"
#include "services/targets/value_rules.h"
#include "services/targets/value_sql.h"

namespace jiangan::targets {
namespace {

constexpr int kSchemaVersion = 1;
constexpr char kCollection[] = "targets";

absl::flat_hash_map<std::string, portfolio::v1::Target> ByName(
    const portfolio::v1::ListTargetsResponse& catalog) {
  absl::flat_hash_map<std::string, portfolio::v1::Target> by_name;
  for (const portfolio::v1::Target& target : catalog.targets()) by_name[target.name()] = target;
  return by_name;
}

}  // namespace

ValueStore::ValueStore(SqlDb* writer, const portfolio::v1::ListTargetsResponse& catalog,
                       ValueStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      targets_(ByName(catalog)),
      readers_(std::make_unique<SqlReaderPool>()) {}

absl::StatusOr<std::unique_ptr<ValueStore>> ValueStore::Open(
    SqlDb* db, const portfolio::v1::ListTargetsResponse& catalog, ValueStoreOptions options) {
  std::unique_ptr<ValueStore> store(new ValueStore(db, catalog, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(db, {SchemaStep{kSchemaVersion, SchemaSql()}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

absl::StatusOr<ValueStore::Parent> ValueStore::FindTarget(absl::string_view parent) const {
  ASSIGN_OR_RETURN(std::string id, ParseResourceName(parent, kCollection, "parent"));
  auto it = targets_.find(parent);
  if (it == targets_.end()) {
    return absl::NotFoundError(absl::StrCat(parent, " is not a target of the catalog"));
  }
  return Parent{&it->second, std::move(id)};
}

absl::StatusOr<target_values::v1::TargetValue> ValueStore::Record(const Identity& caller,
                                                   const target_values::v1::RecordTargetValueRequest& request) {
  ASSIGN_OR_RETURN(const Parent found, FindTarget(request.parent()));
  const portfolio::v1::Target* target = found.target;
  const std::string& id = found.id;
  RETURN_IF_ERROR(CheckReported(*target));
  RETURN_IF_ERROR(CheckMayRecord(caller, *target));
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
    ASSIGN_OR_RETURN(const bool earlier, FindChildByRequestId(writer_, kValuesTable, kTargetColumn,
                                                              id, request.request_id(), &value));
    if (earlier) return absl::OkStatus();
    return InsertChildRow(writer_, kValuesTable, kTargetColumn, id, request.request_id(), value);
  }));
  return value;
}

absl::Status ValueStore::List(const target_values::v1::ListTargetValuesRequest& request,
                              target_values::v1::ListTargetValuesResponse* response) const {
  ChildRowsQuery query{kCollection, /*parent_table=*/"", "", false, kValuesTable, kTargetColumn};
  std::string id;
  if (request.parent() == "targets/-") {
    query.all_parents = true;
  } else {
    ASSIGN_OR_RETURN(Parent found, FindTarget(request.parent()));
    id = std::move(found.id);
    query.parent_id = id;
  }
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             query, response->mutable_target_values(),
                             response->mutable_next_page_token());
  });
}

absl::StatusOr<std::vector<target_values::v1::TargetValue>> ValueStore::ValuesOf(
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

}  // namespace jiangan::targets
