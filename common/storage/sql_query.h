// The pieces every store's SQL is built from: values bound to statements, a
// WHERE clause grown condition by condition, enum filters, AIP-132 order_by
// parsed against a store's own columns, and keyset cursors for stable pages.
// Stores say their SQL with these; they never paste a caller's text into it.
#ifndef JIANGAN_COMMON_STORAGE_SQL_QUERY_H_
#define JIANGAN_COMMON_STORAGE_SQL_QUERY_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/repeated_field.h"

namespace jiangan {

struct SqlBlob {
  std::string bytes;
  friend bool operator<(const SqlBlob& a, const SqlBlob& b) { return a.bytes < b.bytes; }
  friend bool operator==(const SqlBlob& a, const SqlBlob& b) { return a.bytes == b.bytes; }
};
struct SqlNull {
  friend bool operator<(const SqlNull&, const SqlNull&) { return false; }
  friend bool operator==(const SqlNull&, const SqlNull&) { return true; }
};
// A value bound to a statement or read as a group key.
using SqlArg = std::variant<int64_t, std::string, SqlBlob, SqlNull>;

// Binds `args` to `stmt` from parameter `first` on.
void Bind(SqlStatement* stmt, int first, const std::vector<SqlArg>& args);

// `rows` parenthesized groups of `columns` parameters each, for a
// multi-row VALUES: ValueRows(2, 2) is "(?, ?), (?, ?)". One statement
// instead of one per row saves a round trip per row on a server engine.
std::string ValueRows(int rows, int columns);

// `count` parameters for an IN list: "?, ?, ?".
std::string ParameterList(int count);

// Column `index` of the current row as an SqlArg: text or integer.
SqlArg ColumnArg(const SqlStatement& stmt, int index, bool text);

// A column a store derives from its resource, and its SQL type with
// constraints, e.g. {"stage", "INTEGER NOT NULL"}.
struct SqlColumn {
  const char* name;
  const char* type;
  // The schema version that added the column to a table made before it; 0
  // for a column the table had from the start. An added column's `type`
  // carries a DEFAULT, as adding one to rows that exist needs.
  int added_in = 0;
};

// A WHERE clause and its parameters.
struct SqlWhere {
  std::string sql = "TRUE";
  std::vector<SqlArg> args;

  void And(absl::string_view clause, std::vector<SqlArg> more = {});
};

// The dimensions a Summarize request's `group_by` names, in order, each made
// by `dimension_of(grouping)` (which returns StatusOr<Dimension>), with
// `name_of(grouping)` for messages;
// INVALID_ARGUMENT naming group_by[i] for a value named twice, UNSPECIFIED
// or unknown.
template <typename Grouping, typename Dimension, typename NameOf, typename DimensionOf>
absl::StatusOr<std::vector<Dimension>> ResolveGroupings(
    const google::protobuf::RepeatedField<int>& group_by, NameOf name_of,
    DimensionOf dimension_of) {
  std::vector<Dimension> dimensions;
  std::vector<int> seen;
  for (int i = 0; i < group_by.size(); ++i) {
    const auto grouping = static_cast<Grouping>(group_by[i]);
    if (std::find(seen.begin(), seen.end(), group_by[i]) != seen.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by[", i, "]: ", name_of(grouping), " is named twice"));
    }
    seen.push_back(group_by[i]);
    absl::StatusOr<Dimension> dimension = dimension_of(grouping);
    if (!dimension.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by[", i, "]: ", dimension.status().message()));
    }
    dimensions.push_back(*std::move(dimension));
  }
  return dimensions;
}

// "(1,2)" for a filter's enum values; INVALID_ARGUMENT naming `field` for 0
// or a value the enum does not name.
absl::StatusOr<std::string> EnumList(absl::string_view field,
                                     const google::protobuf::RepeatedField<int>& values,
                                     bool (*is_valid)(int));

// A field a List may be ordered by and the column that holds it.
struct OrderField {
  const char* field;   // e.g. "display_name"
  const char* column;  // e.g. "display_name"; "seq" for creation order
  bool text = false;
};

struct Ordering {
  std::string column = "seq";
  bool text = false;
  bool descending = false;
};

// `order_by` (AIP-132: one field, optionally followed by "desc" or "asc";
// empty for creation order) as an ordering over `fields`; INVALID_ARGUMENT
// naming order_by and the allowed fields otherwise.
absl::StatusOr<Ordering> ParseOrderBy(absl::string_view order_by,
                                      absl::Span<const OrderField> fields);

// "ORDER BY ..." of `ordering`, with seq breaking ties.
std::string OrderBySql(const Ordering& ordering);

// " LIMIT n" for a page of `page_size` rows and the one that tells another
// page follows. Written in, not bound: PostgreSQL plans a bound LIMIT as a
// tenth of the rows, so past some thousands of rows it rejects its cached
// plan and plans every page anew (0.5 ms of a ListLeads page at 100k leads).
std::string PageLimitSql(int page_size);

// Keyset cursors: where a page ended ("{seq}" or "{seq}:{key}"), and the
// condition that starts the next page after it.
std::string MakeCursor(const Ordering& ordering, int64_t seq, const SqlArg& key);
absl::Status ApplyCursor(const Ordering& ordering, absl::string_view cursor, SqlWhere* where);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQL_QUERY_H_
