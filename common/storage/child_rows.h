// Pages of a resource's child rows (progress reports, ledger entries,
// activities, changes): rows of one table that belong to one parent, oldest
// first, behind signed keyset page tokens.
#ifndef JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_
#define JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/base/pagination.h"
#include "common/storage/sqlite_db.h"
#include "google/protobuf/message.h"

namespace jiangan {

struct ChildRowsQuery {
  // The parent: its collection (for NOT_FOUND messages), table and id. A
  // parent that is soft-deleted counts as missing unless `deleted_parent_ok`.
  absl::string_view parent_collection;  // "projects"
  absl::string_view parent_table;       // "projects"; has columns id, deleted
  absl::string_view parent_id;
  bool deleted_parent_ok = false;
  // The children: their table, the column holding the parent id, and the
  // columns to select after seq.
  absl::string_view table;
  absl::string_view owner_column;
  absl::string_view columns;
};

// Hands each row of the page (selected as "seq, " + query.columns) to `add`
// (false: the row does not parse, DATA_LOSS) and sets `next_page_token`
// when more follow. `request` is the List request the token is bound to.
absl::Status ListChildRows(SqliteDb* db, const SignedPageTokens& tokens,
                           const google::protobuf::Message& request, int32_t page_size,
                           absl::string_view page_token, const ChildRowsQuery& query,
                           const std::function<bool(const SqliteStatement& row)>& add,
                           std::string* next_page_token);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_CHILD_ROWS_H_
