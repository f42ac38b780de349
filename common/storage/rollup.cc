#include "common/storage/rollup.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/exact_sum.h"
#include "common/base/status_macros.h"

namespace jiangan {
namespace {

// Rows read and written per statement: few round trips, and few statement
// texts for the engine to cache (one per row count up to this).
constexpr size_t kRowsPerStatement = 64;

std::string KeyColumns(const RollupLayout& layout) {
  std::vector<std::string> columns = {"grouping_set"};
  for (const SqlColumn& column : layout.dimensions) columns.emplace_back(column.name);
  return absl::StrJoin(columns, ", ");
}

std::string KeyCondition(const RollupLayout& layout) {
  std::vector<std::string> conditions = {"grouping_set = ?"};
  for (const SqlColumn& column : layout.dimensions) {
    conditions.push_back(absl::StrCat(column.name, " = ?"));
  }
  return absl::StrJoin(conditions, " AND ");
}

bool IsText(const SqlColumn& column) { return absl::StartsWith(column.type, "TEXT"); }

}  // namespace

SqlBlob PackValues(absl::Span<const int64_t> values) {
  SqlBlob blob;
  blob.bytes.reserve(8 * values.size());
  for (int64_t value : values) {
    const auto bits = static_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i) blob.bytes.push_back(static_cast<char>(bits >> (8 * i)));
  }
  return blob;
}

int64_t PackedValueAt(absl::string_view packed, int index) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    bits |= uint64_t{static_cast<unsigned char>(packed[8 * index + i])} << (8 * i);
  }
  return static_cast<int64_t>(bits);
}

Rollup::Rollup(RollupLayout layout)
    : layout_(std::move(layout)),
      key_columns_(KeyColumns(layout_)),
      key_condition_(KeyCondition(layout_)) {}

std::string Rollup::SchemaSql() const {
  std::vector<std::string> columns = {"grouping_set INTEGER NOT NULL"};
  for (const SqlColumn& column : layout_.dimensions) {
    columns.push_back(absl::StrCat(column.name, " ", column.type));
  }
  columns.push_back(absl::StrCat(layout_.count_column, " INTEGER NOT NULL"));
  columns.push_back(absl::StrCat(layout_.sums_column, " BLOB NOT NULL"));
  return absl::StrCat("CREATE TABLE IF NOT EXISTS ", layout_.table, " (",
                      absl::StrJoin(columns, ", "), ", PRIMARY KEY (", key_columns_, "));");
}

std::string Rollup::PeriodIndexSql(absl::string_view period) const {
  std::vector<std::string> columns = {"grouping_set", std::string(period)};
  for (const SqlColumn& column : layout_.dimensions) {
    if (column.name != period) columns.push_back(column.name);
  }
  columns.push_back(layout_.count_column);
  columns.push_back(layout_.sums_column);
  return absl::StrCat("CREATE INDEX IF NOT EXISTS ", layout_.table, "_by_", period, " ON ",
                      layout_.table, " (", absl::StrJoin(columns, ", "), ");");
}

uint32_t Rollup::Bit(absl::string_view name) const {
  for (size_t i = 0; i < layout_.dimensions.size(); ++i) {
    if (layout_.dimensions[i].name == name) return 1u << i;
  }
  return 0;
}

std::vector<SqlArg> Rollup::DimensionsOf(
    const ResourceRows& rows, absl::Span<const SqlArg> derived,
    std::initializer_list<std::pair<absl::string_view, SqlArg>> own) const {
  std::vector<SqlArg> dimensions;
  dimensions.reserve(layout_.dimensions.size());
  for (const SqlColumn& column : layout_.dimensions) {
    const auto given = std::find_if(own.begin(), own.end(),
                                    [&](const auto& value) { return value.first == column.name; });
    dimensions.push_back(given != own.end() ? given->second
                                            : derived[rows.DerivedIndex(column.name)]);
  }
  return dimensions;
}

absl::Status Rollup::Record(const RollupItem& item, int sign, RollupChanges* changes) const {
  for (uint32_t set : layout_.sets) {
    std::vector<SqlArg> key = {int64_t{set}};
    for (size_t i = 0; i < layout_.dimensions.size(); ++i) {
      if ((set >> i) & 1) {
        key.push_back(item.dimensions[i]);
      } else {
        key.push_back(IsText(layout_.dimensions[i]) ? SqlArg(std::string()) : SqlArg(int64_t{0}));
      }
    }
    RollupDelta& delta = changes->rollups_[this][std::move(key)];
    delta.sums.resize(layout_.sum_names.size(), 0);
    delta.count += sign;
    for (size_t v = 0; v < delta.sums.size(); ++v) {
      const int64_t value = item.values[v];
      if (sign < 0 && value == std::numeric_limits<int64_t>::min()) {
        return absl::OutOfRangeError(absl::StrCat(layout_.sum_names[v], ": ", value,
                                                  " cannot be taken out of a sum"));
      }
      RETURN_IF_ERROR(AddChecked(sign < 0 ? -value : value, &delta.sums[v], layout_.sum_names[v]));
    }
  }
  return absl::OkStatus();
}

absl::Status RollupChanges::Write(SqlDb* db) const {
  for (const auto& [rollup, rows] : rollups_) {
    std::vector<const Rows::value_type*> changed;
    for (const auto& row : rows) {
      const RollupDelta& delta = row.second;
      const bool nothing = delta.count == 0 && std::all_of(delta.sums.begin(), delta.sums.end(),
                                                           [](int64_t v) { return v == 0; });
      if (!nothing) changed.push_back(&row);
    }
    for (size_t first = 0; first < changed.size(); first += kRowsPerStatement) {
      const size_t last = std::min(changed.size(), first + kRowsPerStatement);
      RETURN_IF_ERROR(rollup->AddToRows(
          db, absl::MakeConstSpan(changed).subspan(first, last - first)));
    }
  }
  return absl::OkStatus();
}

absl::Status Rollup::AddToRows(SqlDb* db,
                               absl::Span<const RollupChanges::Rows::value_type* const> rows) const {
  const int n = static_cast<int>(rows.size());
  const int key_size = 1 + static_cast<int>(layout_.dimensions.size());
  // What the rows hold now, read in one statement.
  std::vector<std::string> keys(n, absl::StrCat("(", key_condition_, ")"));
  ASSIGN_OR_RETURN(SqlStatement read,
                   db->Prepare(absl::StrCat("SELECT ", key_columns_, ", ", layout_.count_column,
                                            ", ", layout_.sums_column, " FROM ", layout_.table,
                                            " WHERE ", absl::StrJoin(keys, " OR "))));
  for (int i = 0; i < n; ++i) Bind(&read, 1 + i * key_size, rows[i]->first);
  absl::btree_map<std::vector<SqlArg>, std::pair<int64_t, std::string>> stored;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, read.Step());
    if (!row) break;
    std::vector<SqlArg> key = {read.ColumnInt64(0)};
    for (size_t d = 0; d < layout_.dimensions.size(); ++d) {
      key.push_back(ColumnArg(read, 1 + static_cast<int>(d), IsText(layout_.dimensions[d])));
    }
    stored[std::move(key)] = {read.ColumnInt64(key_size), read.ColumnBlob(key_size + 1)};
  }
  // The new rows, made or changed by one upsert, and the emptied ones,
  // removed by one delete.
  std::vector<SqlArg> upserts;
  std::vector<SqlArg> removals;
  for (const auto* row : rows) {
    const auto& [key, delta] = *row;
    std::vector<int64_t> sums = delta.sums;
    int64_t count = delta.count;
    if (const auto it = stored.find(key); it != stored.end()) {
      count += it->second.first;
      RETURN_IF_ERROR(AddSums(it->second.second, sums.data()));
    }
    if (count < 0) {
      return absl::DataLossError(
          absl::StrCat("the rollup ", layout_.table, " counts fewer items than exist"));
    }
    if (count == 0) {
      removals.insert(removals.end(), key.begin(), key.end());
    } else {
      upserts.insert(upserts.end(), key.begin(), key.end());
      upserts.push_back(count);
      upserts.push_back(PackValues(sums));
    }
  }
  if (!upserts.empty()) {
    const int rows_made = static_cast<int>(upserts.size()) / (key_size + 2);
    ASSIGN_OR_RETURN(
        SqlStatement write,
        db->Prepare(absl::StrCat("INSERT INTO ", layout_.table, " (", key_columns_, ", ",
                                 layout_.count_column, ", ", layout_.sums_column, ") VALUES ",
                                 ValueRows(rows_made, key_size + 2), " ON CONFLICT (",
                                 key_columns_, ") DO UPDATE SET ", layout_.count_column,
                                 " = excluded.", layout_.count_column, ", ", layout_.sums_column,
                                 " = excluded.", layout_.sums_column)));
    Bind(&write, 1, upserts);
    RETURN_IF_ERROR(write.Run());
  }
  if (!removals.empty()) {
    const int rows_removed = static_cast<int>(removals.size()) / key_size;
    std::vector<std::string> conditions(rows_removed, absl::StrCat("(", key_condition_, ")"));
    ASSIGN_OR_RETURN(SqlStatement remove,
                     db->Prepare(absl::StrCat("DELETE FROM ", layout_.table, " WHERE ",
                                              absl::StrJoin(conditions, " OR "))));
    Bind(&remove, 1, removals);
    RETURN_IF_ERROR(remove.Run());
  }
  return absl::OkStatus();
}

absl::Status Rollup::RecordEachRow(
    SqlDb* db, absl::string_view sql, int leading,
    absl::FunctionRef<void(const SqlStatement& row, int first, RollupItem* item)> rest,
    RollupChanges* changes) const {
  ASSIGN_OR_RETURN(SqlStatement rows, db->Prepare(sql));
  while (true) {
    ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) break;
    RollupItem item;
    for (int i = 0; i < leading; ++i) {
      item.dimensions.push_back(ColumnArg(rows, i, IsText(layout_.dimensions[i])));
    }
    rest(rows, leading, &item);
    RETURN_IF_ERROR(Record(item, +1, changes));
  }
  return absl::OkStatus();
}

std::string Rollup::DimensionsSql(int count) const {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.emplace_back(layout_.dimensions[i].name);
  return absl::StrJoin(names, ", ");
}

std::optional<uint32_t> Rollup::SetCovering(uint32_t needed) const {
  for (uint32_t set : layout_.sets) {
    if ((set & needed) == needed) return set;
  }
  return std::nullopt;
}

absl::Status Rollup::AddSums(absl::string_view packed, int64_t* sums) const {
  const int n = static_cast<int>(layout_.sum_names.size());
  if (packed.size() < static_cast<size_t>(8 * n)) {
    return absl::DataLossError(
        absl::StrCat("a row of ", layout_.table, " has sums of the wrong size"));
  }
  for (int v = 0; v < n; ++v) {
    RETURN_IF_ERROR(AddChecked(PackedValueAt(packed, v), &sums[v], layout_.sum_names[v]));
  }
  return absl::OkStatus();
}

}  // namespace jiangan
