#include "common/storage/resource_page.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace jiangan {

absl::Status ListResourcePage(SqlDb* db, const SignedPageTokens& tokens,
                              const google::protobuf::Message& request, int32_t page_size,
                              absl::string_view page_token, absl::string_view order_by,
                              const ResourcePageQuery& query, SqlWhere where,
                              const std::function<absl::Status(const SqlStatement& row)>& add,
                              std::string* next_page_token) {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(const Ordering ordering, ParseOrderBy(order_by, query.order_fields));
  const uint64_t fingerprint = QueryFingerprint(request);
  ASSIGN_OR_RETURN(const std::string cursor, tokens.Decode(page_token, fingerprint));
  RETURN_IF_ERROR(ApplyCursor(ordering, cursor, &where));
  // The sort key is selected last, to make the next page's cursor.
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare(absl::StrCat("SELECT ", query.columns, ", ", ordering.column,
                                            " FROM ", query.source, " WHERE ", where.sql, " ",
                                            OrderBySql(ordering), PageLimitSql(size))));
  Bind(&stmt, 1, where.args);
  int count = 0;
  std::string last_cursor;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    // The row past the page only tells that another page follows.
    if (!row || ++count > size) break;
    RETURN_IF_ERROR(add(stmt));
    const int key_column = stmt.ColumnCount() - 1;
    last_cursor = MakeCursor(ordering, stmt.ColumnInt64(0), ColumnArg(stmt, key_column, ordering.text));
  }
  if (count > size) *next_page_token = tokens.Encode(last_cursor, fingerprint);
  return absl::OkStatus();
}

}  // namespace jiangan
