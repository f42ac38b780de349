// A resource's child rows (progress reports, ledger entries, activities,
// changes): rows of one table that belong to one parent, stored once per
// request_id and listed oldest first behind signed keyset page tokens.
#ifndef JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_
#define JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/base/pagination.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace jiangan {

struct ChildRowsQuery {
  // The parent: its collection (for NOT_FOUND messages), table and id. A
  // parent that is soft-deleted counts as missing unless `deleted_parent_ok`.
  // An empty `parent_table` means the caller has checked the parent itself
  // (a parent that is not a row, e.g. a target of the catalog).
  absl::string_view parent_collection;  // "projects"
  absl::string_view parent_table;       // "projects"; has columns id, deleted
  absl::string_view parent_id;
  bool deleted_parent_ok = false;
  // The children: their table, the column holding the parent id, and the
  // columns to select after seq.
  absl::string_view table;
  absl::string_view owner_column;
  absl::string_view columns = "payload";
  // Lists the children of every parent (AIP-159's `-` parent), in one
  // sequence; `parent_id` is then not read.
  bool all_parents = false;
};

// Hands each row of the page (selected as "seq, " + query.columns) to `add`
// (false: the row does not parse, DATA_LOSS) and sets `next_page_token`
// when more follow. `request` is the List request the token is bound to.
absl::Status ListChildRows(SqlDb* db, const SignedPageTokens& tokens,
                           const google::protobuf::Message& request, int32_t page_size,
                           absl::string_view page_token, const ChildRowsQuery& query,
                           const std::function<bool(const SqlStatement& row)>& add,
                           std::string* next_page_token);

// ListChildRows for children kept whole in a payload column: each row's
// payload becomes an element of `page`.
template <typename Child>
absl::Status ListChildPayloads(SqlDb* db, const SignedPageTokens& tokens,
                               const google::protobuf::Message& request, int32_t page_size,
                               absl::string_view page_token, const ChildRowsQuery& query,
                               google::protobuf::RepeatedPtrField<Child>* page,
                               std::string* next_page_token) {
  return ListChildRows(
      db, tokens, request, page_size, page_token, query,
      [page](const SqlStatement& row) { return page->Add()->ParseFromString(row.ColumnBlob(1)); },
      next_page_token);
}

// The child of `owner_id` in `table` that an earlier call with the same
// non-empty `request_id` stored (AIP-155 retries): true with its payload
// parsed into `out`, false when there is none (or `request_id` is empty).
// The table has columns {owner_column}, request_id and payload.
absl::StatusOr<bool> FindChildByRequestId(SqlDb* db, absl::string_view table,
                                          absl::string_view owner_column,
                                          absl::string_view owner_id,
                                          absl::string_view request_id,
                                          google::protobuf::Message* out);

// Stores a child row: {owner_column} = owner_id, request_id (NULL when
// empty), payload, and any `extra` columns a table keeps for its queries.
absl::Status InsertChildRow(SqlDb* db, absl::string_view table, absl::string_view owner_column,
                            absl::string_view owner_id, absl::string_view request_id,
                            const google::protobuf::Message& payload,
                            const std::vector<std::pair<std::string, SqlArg>>& extra = {});

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_
