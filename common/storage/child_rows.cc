#include "common/storage/child_rows.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace jiangan {

absl::Status ListChildRows(SqlDb* db, const SignedPageTokens& tokens,
                           const google::protobuf::Message& request, int32_t page_size,
                           absl::string_view page_token, const ChildRowsQuery& query,
                           const std::function<bool(const SqlStatement& row)>& add,
                           std::string* next_page_token) {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(page_size));
  const uint64_t fingerprint = QueryFingerprint(request);
  ASSIGN_OR_RETURN(const int64_t after, tokens.DecodeNumber(page_token, fingerprint));
  if (!query.all_parents && !query.parent_table.empty()) {
    ASSIGN_OR_RETURN(SqlStatement exists,
                     db->Prepare(absl::StrCat("SELECT 1 FROM ", query.parent_table, " WHERE id = ?",
                                              query.deleted_parent_ok ? "" : " AND deleted = 0")));
    exists.BindText(1, query.parent_id);
    ASSIGN_OR_RETURN(const bool found, exists.Step());
    if (!found) {
      return absl::NotFoundError(
          absl::StrCat(query.parent_collection, "/", query.parent_id, " does not exist"));
    }
  }
  const std::string owner = query.all_parents ? "" : absl::StrCat(query.owner_column, " = ? AND ");
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare(absl::StrCat("SELECT seq, ", query.columns, " FROM ", query.table,
                                            " WHERE ", owner, "seq > ? ORDER BY seq",
                                            PageLimitSql(size))));
  int next = 1;
  if (!query.all_parents) stmt.BindText(next++, query.parent_id);
  stmt.BindInt64(next, after);
  int count = 0;
  int64_t last_seq = 0;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    // The row past the page only tells that another page follows.
    if (!row || ++count > size) break;
    if (!add(stmt)) {
      return absl::DataLossError(absl::StrCat("a stored row of ", query.table, " does not parse"));
    }
    last_seq = stmt.ColumnInt64(0);
  }
  if (count > size) *next_page_token = tokens.EncodeNumber(last_seq, fingerprint);
  return absl::OkStatus();
}

absl::StatusOr<bool> FindChildByRequestId(SqlDb* db, absl::string_view table,
                                          absl::string_view owner_column,
                                          absl::string_view owner_id,
                                          absl::string_view request_id,
                                          google::protobuf::Message* out) {
  if (request_id.empty()) return false;
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare(absl::StrCat("SELECT payload FROM ", table, " WHERE ",
                                            owner_column, " = ? AND request_id = ?")));
  stmt.BindText(1, owner_id);
  stmt.BindText(2, request_id);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return false;
  if (!out->ParseFromString(stmt.ColumnBlob(0))) {
    return absl::DataLossError(absl::StrCat("a stored row of ", table, " does not parse"));
  }
  return true;
}

absl::Status InsertChildRow(SqlDb* db, absl::string_view table, absl::string_view owner_column,
                            absl::string_view owner_id, absl::string_view request_id,
                            const google::protobuf::Message& payload,
                            const std::vector<std::pair<std::string, SqlArg>>& extra) {
  std::string columns = absl::StrCat(owner_column, ", request_id, payload");
  std::string marks = "?, ?, ?";
  std::vector<SqlArg> values = {std::string(owner_id),
                                request_id.empty() ? SqlArg(SqlNull{}) : SqlArg(std::string(request_id)),
                                SqlBlob{payload.SerializeAsString()}};
  for (const auto& [column, value] : extra) {
    absl::StrAppend(&columns, ", ", column);
    absl::StrAppend(&marks, ", ?");
    values.push_back(value);
  }
  ASSIGN_OR_RETURN(SqlStatement insert,
                   db->Prepare(absl::StrCat("INSERT INTO ", table, " (", columns, ") VALUES (",
                                            marks, ")")));
  Bind(&insert, 1, values);
  return insert.Run();
}

}  // namespace jiangan
