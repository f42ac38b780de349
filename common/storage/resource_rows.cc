#include "common/storage/resource_rows.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"

namespace jiangan {
namespace {

std::string CreateSql(const std::string& table, const std::string& payload_table,
                      absl::Span<const SqlColumn> derived) {
  std::string sql = absl::StrCat("CREATE TABLE IF NOT EXISTS ", table,
                                 " (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL "
                                 "UNIQUE, request_id TEXT UNIQUE, version INTEGER NOT NULL");
  for (const SqlColumn& column : derived) {
    if (column.added_in == 0) absl::StrAppend(&sql, ", ", column.name, " ", column.type);
  }
  return absl::StrCat(sql, ");CREATE TABLE IF NOT EXISTS ", payload_table,
                      " (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL);");
}

std::string InsertSql(const std::string& table, absl::Span<const SqlColumn> derived) {
  std::string columns = "seq, id, request_id, version", marks = "?, ?, ?, ?";
  for (const SqlColumn& column : derived) {
    absl::StrAppend(&columns, ", ", column.name);
    absl::StrAppend(&marks, ", ?");
  }
  return absl::StrCat("INSERT INTO ", table, " (", columns, ") VALUES (", marks, ")");
}

std::string UpdateSql(const std::string& table, absl::Span<const SqlColumn> derived) {
  std::string assignments = "version = ?";
  for (const SqlColumn& column : derived) absl::StrAppend(&assignments, ", ", column.name, " = ?");
  return absl::StrCat("UPDATE ", table, " SET ", assignments, " WHERE seq = ?");
}

std::vector<std::string> NamesOf(absl::Span<const SqlColumn> columns) {
  std::vector<std::string> names;
  for (const SqlColumn& column : columns) names.emplace_back(column.name);
  return names;
}

}  // namespace

ResourceRows::ResourceRows(std::string table, std::string payload_table,
                           absl::Span<const SqlColumn> derived)
    : table_(std::move(table)),
      payload_table_(std::move(payload_table)),
      derived_names_(NamesOf(derived)),
      create_sql_(CreateSql(table_, payload_table_, derived)),
      derived_(derived.begin(), derived.end()),
      source_(absl::StrCat(table_, " JOIN ", payload_table_, " USING (seq)")),
      insert_sql_(InsertSql(table_, derived)),
      update_sql_(UpdateSql(table_, derived)) {}

std::string ResourceRows::SchemaSql() const { return create_sql_; }

std::string ResourceRows::AddedColumnsSql(int version) const {
  std::string sql;
  for (const SqlColumn& column : derived_) {
    if (column.added_in == version) {
      absl::StrAppend(&sql, "ALTER TABLE ", table_, " ADD COLUMN ", column.name, " ", column.type,
                      ";");
    }
  }
  return sql;
}

absl::Status ResourceRows::ForEachResource(
    SqlDb* db, const google::protobuf::Message& prototype,
    const std::function<absl::Status(int64_t seq, const google::protobuf::Message& resource)>&
        visit) const {
  // Read whole first: no statement runs while another is half-read.
  std::vector<std::pair<int64_t, std::string>> payloads;
  ASSIGN_OR_RETURN(SqlStatement rows,
                   db->Prepare(absl::StrCat("SELECT seq, payload FROM ", payload_table_)));
  while (true) {
    ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) break;
    payloads.emplace_back(rows.ColumnInt64(0), rows.ColumnBlob(1));
  }
  std::unique_ptr<google::protobuf::Message> resource(prototype.New());
  for (const auto& [seq, payload] : payloads) {
    if (!resource->ParseFromString(payload)) {
      return absl::DataLossError(absl::StrCat(payload_table_, " row ", seq, " does not parse"));
    }
    RETURN_IF_ERROR(visit(seq, *resource));
  }
  return absl::OkStatus();
}

absl::Status ResourceRows::FillColumns(
    SqlDb* db, absl::Span<const char* const> columns, const google::protobuf::Message& prototype,
    const std::function<std::vector<SqlArg>(const google::protobuf::Message&)>& values_of) const {
  std::string assignments;
  for (const char* column : columns) {
    absl::StrAppend(&assignments, assignments.empty() ? "" : ", ", column, " = ?");
  }
  const std::string sql = absl::StrCat("UPDATE ", table_, " SET ", assignments, " WHERE seq = ?");
  return ForEachResource(db, prototype, [&](int64_t seq, const google::protobuf::Message& resource) {
    std::vector<SqlArg> values = values_of(resource);
    values.emplace_back(seq);
    ASSIGN_OR_RETURN(SqlStatement set, db->Prepare(sql));
    Bind(&set, 1, values);
    return set.Run();
  });
}
std::string ResourceRows::OrderedFilterIndexesSql(absl::Span<const char* const> columns) const {
  std::string sql;
  for (const char* column : columns) {
    absl::StrAppend(&sql, "DROP INDEX IF EXISTS ", table_, "_", column, ";",
                    "CREATE INDEX IF NOT EXISTS ", table_, "_", column, "_seq ON ", table_, "(",
                    column, ", seq);");
  }
  return sql;
}

std::string ResourceRows::FilterIndexesSql(absl::Span<const char* const> columns) const {
  std::string sql;
  for (const char* column : columns) {
    std::vector<absl::string_view> held = {column, "seq"};
    for (const char* other : columns) {
      if (absl::string_view(other) != column) held.push_back(other);
    }
    held.push_back("deleted");
    absl::StrAppend(&sql, "DROP INDEX IF EXISTS ", table_, "_", column, "_seq;",
                    "CREATE INDEX IF NOT EXISTS ", table_, "_by_", column, " ON ", table_, "(",
                    absl::StrJoin(held, ", "), ");");
  }
  return sql;
}

int ResourceRows::DerivedIndex(absl::string_view column) const {
  for (size_t i = 0; i < derived_names_.size(); ++i) {
    if (derived_names_[i] == column) return static_cast<int>(i);
  }
  return -1;
}

absl::Status ResourceRows::Decode(const SqlStatement& row,
                                  google::protobuf::Message* resource) {
  if (!resource->ParseFromString(row.ColumnBlob(4))) {
    return absl::DataLossError(absl::StrCat("stored resource ", row.ColumnText(1),
                                            " does not parse"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredRow>> ResourceRows::Find(
    SqlDb* db, absl::string_view key_column, absl::string_view key,
    google::protobuf::Message* resource) const {
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare(absl::StrCat("SELECT ", kColumns, " FROM ", source_, " WHERE ",
                                            key_column, " = ?")));
  stmt.BindText(1, key);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::nullopt;
  RETURN_IF_ERROR(Decode(stmt, resource));
  return StoredRow{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnInt64(2),
                   stmt.ColumnInt64(3) != 0};
}

absl::StatusOr<StoredRow> ResourceRows::FindExisting(SqlDb* db, absl::string_view collection,
                                                     absl::string_view id, bool deleted,
                                                     google::protobuf::Message* resource) const {
  ASSIGN_OR_RETURN(const std::optional<StoredRow> row, Find(db, "id", id, resource));
  if (!row.has_value() || (row->deleted && !deleted)) {
    return absl::NotFoundError(absl::StrCat(collection, "/", id, " does not exist"));
  }
  if (!row->deleted && deleted) {
    return absl::FailedPreconditionError(
        absl::StrCat("name: ", collection, "/", id, " is not deleted"));
  }
  return *row;
}

absl::Status ResourceRows::CheckIdFree(SqlDb* db, absl::string_view id,
                                       absl::string_view name) const {
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   db->Prepare(absl::StrCat("SELECT 1 FROM ", table_, " WHERE id = ?")));
  stmt.BindText(1, id);
  ASSIGN_OR_RETURN(const bool taken, stmt.Step());
  if (taken) return absl::AlreadyExistsError(absl::StrCat(name, " already exists"));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ResourceRows::NextSeq(SqlDb* db) const { return db->NextSeq(table_); }

absl::Status ResourceRows::Insert(SqlDb* db, int64_t seq, absl::string_view id,
                                  absl::string_view request_id,
                                  const std::vector<SqlArg>& derived,
                                  const google::protobuf::Message& resource) const {
  ASSIGN_OR_RETURN(SqlStatement insert, db->Prepare(insert_sql_));
  Bind(&insert, 1,
       {seq, std::string(id),
        request_id.empty() ? SqlArg(SqlNull{}) : SqlArg(std::string(request_id)), int64_t{1}});
  Bind(&insert, 5, derived);
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(SqlStatement payload,
                   db->Prepare(absl::StrCat("INSERT INTO ", payload_table_,
                                            " (seq, payload) VALUES (?, ?)")));
  payload.BindInt64(1, seq);
  payload.BindBlob(2, resource.SerializeAsString());
  return payload.Run();
}

absl::Status ResourceRows::Update(SqlDb* db, int64_t seq, int64_t version,
                                  const std::vector<SqlArg>& derived,
                                  const google::protobuf::Message& resource) const {
  ASSIGN_OR_RETURN(SqlStatement update, db->Prepare(update_sql_));
  update.BindInt64(1, version);
  Bind(&update, 2, derived);
  update.BindInt64(2 + static_cast<int>(derived.size()), seq);
  RETURN_IF_ERROR(update.Run());
  ASSIGN_OR_RETURN(SqlStatement payload,
                   db->Prepare(absl::StrCat("UPDATE ", payload_table_,
                                            " SET payload = ? WHERE seq = ?")));
  payload.BindBlob(1, resource.SerializeAsString());
  payload.BindInt64(2, seq);
  return payload.Run();
}

}  // namespace jiangan
