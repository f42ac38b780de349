#include "common/storage/copy_to_postgres.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/storage/sql_query.h"

namespace jiangan {
namespace {

// How a column's values are read from SQLite and bound for PostgreSQL.
enum class CellType { kInteger, kDouble, kText, kBlob };

struct TargetColumn {
  std::string name;
  CellType type = CellType::kInteger;
  bool identity = false;
};

// One value on its way: which of the members holds it.
struct Cell {
  bool null = false;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;
};

// Parameters per INSERT stay well under both engines' limits, and a chunk
// of rows is one round trip.
constexpr int kMaxParameters = 30000;
constexpr int kMaxRowsPerInsert = 500;

absl::StatusOr<CellType> CellTypeOf(const std::string& table, const std::string& column,
                                    const std::string& data_type) {
  if (data_type == "bigint" || data_type == "integer" || data_type == "smallint") {
    return CellType::kInteger;
  }
  if (data_type == "double precision" || data_type == "real") return CellType::kDouble;
  if (data_type == "text" || data_type == "character varying") return CellType::kText;
  if (data_type == "bytea") return CellType::kBlob;
  return absl::FailedPreconditionError(absl::StrCat(
      table, ".", column, ": the column type ", data_type, " is not one the stores write"));
}

// The target's tables (not schema_version) and their columns in order.
absl::StatusOr<absl::btree_map<std::string, std::vector<TargetColumn>>> TargetTables(
    SqlDb* postgres) {
  ASSIGN_OR_RETURN(
      SqlStatement columns,
      postgres->Prepare(
          "SELECT c.table_name, c.column_name, c.data_type, c.is_identity "
          "FROM information_schema.columns c JOIN information_schema.tables t "
          "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
          "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
          "AND c.table_name <> 'schema_version' ORDER BY c.table_name, c.ordinal_position"));
  absl::btree_map<std::string, std::vector<TargetColumn>> tables;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, columns.Step());
    if (!row) break;
    const std::string table = columns.ColumnText(0);
    std::string name = columns.ColumnText(1);
    ASSIGN_OR_RETURN(const CellType type, CellTypeOf(table, name, columns.ColumnText(2)));
    tables[table].push_back(TargetColumn{.name = std::move(name),
                                         .type = type,
                                         .identity = columns.ColumnText(3) == "YES"});
  }
  return tables;
}

absl::Status CheckEmpty(SqlDb* postgres, const std::string& table) {
  ASSIGN_OR_RETURN(SqlStatement any,
                   postgres->Prepare(absl::StrCat("SELECT 1 FROM ", table, " LIMIT 1")));
  ASSIGN_OR_RETURN(const bool found, any.Step());
  if (found) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the table ", table, " of ", postgres->location(),
        " already holds rows: copy into a database the service has only made its tables in"));
  }
  return absl::OkStatus();
}

// Inserts `cells` (whole rows of `columns`) with `insert_into`, the
// statement up to its VALUES.
absl::Status InsertRows(SqlDb* postgres, const std::string& insert_into,
                        const std::vector<TargetColumn>& columns, const std::vector<Cell>& cells) {
  const int width = static_cast<int>(columns.size());
  const int rows = static_cast<int>(cells.size()) / width;
  ASSIGN_OR_RETURN(SqlStatement insert,
                   postgres->Prepare(absl::StrCat(insert_into, ValueRows(rows, width))));
  for (int i = 0; i < rows * width; ++i) {
    const Cell& cell = cells[i];
    const int parameter = i + 1;
    if (cell.null) {
      insert.BindNull(parameter);
      continue;
    }
    switch (columns[i % width].type) {
      case CellType::kInteger: insert.BindInt64(parameter, cell.integer); break;
      case CellType::kDouble: insert.BindDouble(parameter, cell.real); break;
      case CellType::kText: insert.BindText(parameter, cell.bytes); break;
      case CellType::kBlob: insert.BindBlob(parameter, cell.bytes); break;
    }
  }
  return insert.Run();
}

// Copies one table; its identity columns' sequences go on after the
// largest copied value.
absl::StatusOr<int64_t> CopyTable(SqlDb* sqlite, SqlDb* postgres, const std::string& table,
                                  const std::vector<TargetColumn>& columns) {
  RETURN_IF_ERROR(CheckEmpty(postgres, table));
  std::vector<std::string> names;
  for (const TargetColumn& column : columns) names.push_back(column.name);
  const std::string listed = absl::StrJoin(names, ", ");
  const std::string insert_into = absl::StrCat("INSERT INTO ", table, " (", listed, ") VALUES ");
  absl::StatusOr<SqlStatement> read =
      sqlite->Prepare(absl::StrCat("SELECT ", listed, " FROM ", table));
  if (!read.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the table ", table, " of ", postgres->location(), " is not in ", sqlite->location(),
        " as it is there (", read.status().message(), "): are both at the same release?"));
  }
  const int width = static_cast<int>(columns.size());
  const int rows_per_insert = std::max(1, std::min(kMaxRowsPerInsert, kMaxParameters / width));
  std::vector<int64_t> largest(width, 0);
  std::vector<Cell> cells;
  int64_t copied = 0;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, read->Step());
    if (row) {
      for (int c = 0; c < width; ++c) {
        Cell cell;
        cell.null = read->ColumnIsNull(c);
        switch (columns[c].type) {
          case CellType::kInteger: cell.integer = read->ColumnInt64(c); break;
          case CellType::kDouble: cell.real = read->ColumnDouble(c); break;
          case CellType::kText:
          case CellType::kBlob: cell.bytes = read->ColumnBlob(c); break;
        }
        largest[c] = std::max(largest[c], cell.integer);
        cells.push_back(std::move(cell));
      }
      ++copied;
    }
    if (!cells.empty() && (!row || static_cast<int>(cells.size()) == rows_per_insert * width)) {
      RETURN_IF_ERROR(InsertRows(postgres, insert_into, columns, cells));
      cells.clear();
    }
    if (!row) break;
  }
  for (int c = 0; c < width; ++c) {
    if (!columns[c].identity || copied == 0) continue;
    ASSIGN_OR_RETURN(SqlStatement restart,
                     postgres->Prepare("SELECT setval(pg_get_serial_sequence(?, ?), ?)"));
    restart.BindText(1, table);
    restart.BindText(2, columns[c].name);
    restart.BindInt64(3, largest[c]);
    RETURN_IF_ERROR(restart.Step().status());
  }
  return copied;
}

}  // namespace

absl::StatusOr<std::vector<CopiedTable>> CopyToPostgres(SqlDb* sqlite, SqlDb* postgres) {
  std::vector<CopiedTable> copied;
  RETURN_IF_ERROR(postgres->InTransaction([&]() -> absl::Status {
    return sqlite->InTransaction([&]() -> absl::Status {
      copied.clear();
      ASSIGN_OR_RETURN(const int from_version, sqlite->SchemaVersion());
      ASSIGN_OR_RETURN(const int to_version, postgres->SchemaVersion());
      if (from_version != to_version || to_version == 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            sqlite->location(), " is at schema version ", from_version, " and ",
            postgres->location(), " at ", to_version,
            ": start the service on the target once, at the file's release, to make its "
            "tables"));
      }
      ASSIGN_OR_RETURN(const auto tables, TargetTables(postgres));
      for (const auto& [table, columns] : tables) {
        ASSIGN_OR_RETURN(const int64_t rows, CopyTable(sqlite, postgres, table, columns));
        copied.push_back({table, rows});
      }
      return absl::OkStatus();
    });
  }));
  return copied;
}

}  // namespace jiangan
