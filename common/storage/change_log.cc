#include "common/storage/change_log.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/message_diff.h"
#include "common/base/personal_information.h"
#include "common/base/status_macros.h"
#include "common/storage/child_rows.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan {

using google::protobuf::FieldDescriptor;

ChangeLog::ChangeLog(std::string table, std::string owner_column,
                     const google::protobuf::Descriptor* type,
                     absl::flat_hash_set<std::string> ignored)
    : table_(std::move(table)),
      owner_column_(std::move(owner_column)),
      type_(type),
      ignored_(std::move(ignored)),
      insert_sql_(absl::StrCat("INSERT INTO ", table_, " (", owner_column_,
                               ", change_us, principal, method, fields, before, after) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)")) {}

std::string ChangeLog::SchemaSql() const {
  return absl::StrCat("CREATE TABLE IF NOT EXISTS ", table_,
                      " (seq INTEGER PRIMARY KEY AUTOINCREMENT, ", owner_column_,
                      " TEXT NOT NULL, change_us INTEGER NOT NULL, principal TEXT NOT NULL, "
                      "method TEXT NOT NULL, fields TEXT NOT NULL, before BLOB NOT NULL, "
                      "after BLOB NOT NULL);"
                      "CREATE INDEX IF NOT EXISTS ", table_, "_owner ON ", table_, "(",
                      owner_column_, ", seq);");
}

absl::Status ChangeLog::Record(SqlDb* db, absl::string_view id, int64_t change_us,
                               absl::string_view principal, absl::string_view method,
                               const google::protobuf::Message& before,
                               const google::protobuf::Message& after) const {
  const std::vector<const FieldDescriptor*> fields = ChangedFields(before, after, ignored_);
  std::vector<std::string> names;
  for (const FieldDescriptor* field : fields) names.push_back(field->name());
  ASSIGN_OR_RETURN(SqlStatement insert, db->Prepare(insert_sql_));
  insert.BindText(1, id);
  insert.BindInt64(2, change_us);
  insert.BindText(3, principal);
  insert.BindText(4, method);
  insert.BindText(5, absl::StrJoin(names, ","));
  // Personal information is kept out of the history: only that it changed.
  std::unique_ptr<google::protobuf::Message> kept_before = KeepOnly(before, fields);
  std::unique_ptr<google::protobuf::Message> kept_after = KeepOnly(after, fields);
  RedactPersonalInformation(kept_before.get());
  RedactPersonalInformation(kept_after.get());
  insert.BindBlob(6, kept_before->SerializeAsString());
  insert.BindBlob(7, kept_after->SerializeAsString());
  return insert.Run();
}

bool ChangeLog::Render(const SqlStatement& row, type::v1::ResourceChange* change) const {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<google::protobuf::Message> before(factory->GetPrototype(type_)->New());
  std::unique_ptr<google::protobuf::Message> after(factory->GetPrototype(type_)->New());
  if (!before->ParseFromString(row.ColumnBlob(5)) || !after->ParseFromString(row.ColumnBlob(6))) {
    return false;
  }
  *change->mutable_change_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row.ColumnInt64(1));
  change->set_principal(row.ColumnText(2));
  change->set_method(row.ColumnText(3));
  for (absl::string_view name : absl::StrSplit(row.ColumnText(4), ',', absl::SkipEmpty())) {
    const FieldDescriptor* field = type_->FindFieldByName(std::string(name));
    if (field == nullptr) return false;
    type::v1::FieldChange* field_change = change->add_field_changes();
    field_change->set_field(field->name());
    field_change->set_old_value(FieldAsJson(*before, field));
    field_change->set_new_value(FieldAsJson(*after, field));
  }
  return true;
}

absl::Status ChangeLog::ListPage(
    SqlDb* db, const SignedPageTokens& tokens, const google::protobuf::Message& request,
    int32_t page_size, absl::string_view page_token, absl::string_view collection,
    absl::string_view id, google::protobuf::RepeatedPtrField<type::v1::ResourceChange>* page,
    std::string* next_page_token) const {
  const ChildRowsQuery query{collection, collection,    id,       /*deleted_parent_ok=*/true,
                             table_,     owner_column_, kColumns};
  return ListChildRows(
      db, tokens, request, page_size, page_token, query,
      [this, page](const SqlStatement& row) { return Render(row, page->Add()); },
      next_page_token);
}

}  // namespace jiangan
