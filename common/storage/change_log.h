// A resource's change history in SQLite: each write records which top-level
// fields changed and both versions holding only those fields (binary, so the
// write path stays cheap); JSON is rendered when the history is read.
#ifndef JIANGAN_COMMON_STORAGE_CHANGE_LOG_H_
#define JIANGAN_COMMON_STORAGE_CHANGE_LOG_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/base/pagination.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/message.h"
#include "jiangan/type/v1/change.pb.h"

namespace jiangan {

class ChangeLog {
 public:
  // Changes of resources of `type` (e.g. Project), in `table`, whose
  // `owner_column` holds the resource id. Fields in `ignored` (bookkeeping
  // such as update_time, computed fields) are never recorded.
  ChangeLog(std::string table, std::string owner_column,
            const google::protobuf::Descriptor* type, absl::flat_hash_set<std::string> ignored);

  const std::string& table() const { return table_; }
  const std::string& owner_column() const { return owner_column_; }

  // CREATE TABLE and its index, if missing.
  std::string SchemaSql() const;

  // Records `method`'s change of resource `id` from `before` to `after`
  // (empty message on create) by `principal` at `change_us`.
  absl::Status Record(SqlDb* db, absl::string_view id, int64_t change_us,
                      absl::string_view principal, absl::string_view method,
                      const google::protobuf::Message& before,
                      const google::protobuf::Message& after) const;

  // A page of the changes of resource `id` of `collection` (its table has
  // the same name), oldest first; a deleted resource keeps its history.
  // `request` is the List request the page token is bound to.
  absl::Status ListPage(SqlDb* db, const SignedPageTokens& tokens,
                        const google::protobuf::Message& request, int32_t page_size,
                        absl::string_view page_token, absl::string_view collection,
                        absl::string_view id,
                        google::protobuf::RepeatedPtrField<type::v1::ResourceChange>* page,
                        std::string* next_page_token) const;

  // What ListChildRows selects after seq to Render a change.
  static constexpr char kColumns[] = "change_us, principal, method, fields, before, after";
  // Renders a row selected as "seq, " + kColumns; false if it does not parse.
  bool Render(const SqlStatement& row, type::v1::ResourceChange* change) const;

 private:
  const std::string table_;
  const std::string owner_column_;
  const google::protobuf::Descriptor* const type_;
  const absl::flat_hash_set<std::string> ignored_;
  const std::string insert_sql_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_CHANGE_LOG_H_
