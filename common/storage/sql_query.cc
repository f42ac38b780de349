#include "common/storage/sql_query.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace jiangan {

void Bind(SqlStatement* stmt, int first, const std::vector<SqlArg>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = first + static_cast<int>(i);
    if (const auto* number = std::get_if<int64_t>(&args[i])) {
      stmt->BindInt64(index, *number);
    } else if (const auto* text = std::get_if<std::string>(&args[i])) {
      stmt->BindText(index, *text);
    } else if (const auto* blob = std::get_if<SqlBlob>(&args[i])) {
      stmt->BindBlob(index, blob->bytes);
    } else {
      stmt->BindNull(index);
    }
  }
}

std::string ParameterList(int count) {
  return absl::StrJoin(std::vector<std::string>(count, "?"), ", ");
}

std::string ValueRows(int rows, int columns) {
  return absl::StrJoin(
      std::vector<std::string>(rows, absl::StrCat("(", ParameterList(columns), ")")), ", ");
}

SqlArg ColumnArg(const SqlStatement& stmt, int index, bool text) {
  return text ? SqlArg(stmt.ColumnText(index)) : SqlArg(stmt.ColumnInt64(index));
}

void SqlWhere::And(absl::string_view clause, std::vector<SqlArg> more) {
  absl::StrAppend(&sql, " AND ", clause);
  for (auto& arg : more) args.push_back(std::move(arg));
}

absl::StatusOr<std::string> EnumList(absl::string_view field,
                                     const google::protobuf::RepeatedField<int>& values,
                                     bool (*is_valid)(int)) {
  std::vector<std::string> items;
  for (int i = 0; i < values.size(); ++i) {
    if (values[i] == 0 || !is_valid(values[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[", i, "]: ", values[i], " is not a named value other than UNSPECIFIED"));
    }
    items.push_back(absl::StrCat(values[i]));
  }
  return absl::StrCat("(", absl::StrJoin(items, ","), ")");
}

absl::StatusOr<Ordering> ParseOrderBy(absl::string_view order_by,
                                      absl::Span<const OrderField> fields) {
  std::vector<std::string> words = absl::StrSplit(order_by, ' ', absl::SkipEmpty());
  Ordering ordering;
  if (words.empty()) return ordering;
  if (words.size() > 2 || (words.size() == 2 && words[1] != "desc" && words[1] != "asc")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "order_by: must be one field optionally followed by \"desc\", got \"", order_by, "\""));
  }
  ordering.descending = words.size() == 2 && words[1] == "desc";
  std::vector<std::string> names;
  for (const OrderField& field : fields) {
    names.push_back(field.field);
    if (words[0] == field.field) {
      ordering.column = field.column;
      ordering.text = field.text;
      return ordering;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("order_by: \"", words[0], "\" is not one of ",
                                                 absl::StrJoin(names, ", ")));
}

std::string PageLimitSql(int page_size) { return absl::StrCat(" LIMIT ", page_size + 1); }

std::string OrderBySql(const Ordering& ordering) {
  const char* direction = ordering.descending ? " DESC" : "";
  if (ordering.column == "seq") return absl::StrCat("ORDER BY seq", direction);
  return absl::StrCat("ORDER BY ", ordering.column, direction, ", seq", direction);
}

// A cursor is "{seq}" for seq order, else "{seq}:{key}".
std::string MakeCursor(const Ordering& ordering, int64_t seq, const SqlArg& key) {
  if (ordering.column == "seq") return absl::StrCat(seq);
  if (const auto* number = std::get_if<int64_t>(&key)) return absl::StrCat(seq, ":", *number);
  return absl::StrCat(seq, ":", std::get<std::string>(key));
}

absl::Status ApplyCursor(const Ordering& ordering, absl::string_view cursor, SqlWhere* where) {
  if (cursor.empty()) return absl::OkStatus();
  const auto invalid = [] { return absl::InvalidArgumentError("page_token: is not valid"); };
  const auto colon = cursor.find(':');
  int64_t seq = 0;
  if (!absl::SimpleAtoi(cursor.substr(0, colon), &seq)) return invalid();
  const char* op = ordering.descending ? "<" : ">";
  if (ordering.column == "seq") {
    where->And(absl::StrCat("seq ", op, " ?"), {seq});
    return absl::OkStatus();
  }
  if (colon == absl::string_view::npos) return invalid();
  const std::string key(cursor.substr(colon + 1));
  SqlArg key_arg = key;
  if (!ordering.text) {
    int64_t number = 0;
    if (!absl::SimpleAtoi(key, &number)) return invalid();
    key_arg = number;
  }
  where->And(absl::StrCat("(", ordering.column, " ", op, " ? OR (", ordering.column,
                          " = ? AND seq ", op, " ?))"),
             {key_arg, key_arg, seq});
  return absl::OkStatus();
}

}  // namespace jiangan
