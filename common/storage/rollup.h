// A rollup: aggregates of a collection kept in step with its writes, in the
// writes' own transactions. For each of a few grouping sets (subsets of the
// dimensions) and each combination of their values that some counted item
// has, one row holds how many items have it and the sums of their values.
// A summary whose filter and grouping stay within a set reads a row per
// combination, whose number is bounded by the dimensions' cardinalities,
// instead of a row per item.
//
// A store says what its items are (a resource, or a child such as a funds
// entry) and their dimension values; a write gathers the items it takes
// out and puts in into RollupChanges and writes them once at its end.
#ifndef JIANGAN_COMMON_STORAGE_ROLLUP_H_
#define JIANGAN_COMMON_STORAGE_ROLLUP_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/resource_rows.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_query.h"

namespace jiangan {

struct RollupLayout {
  // The table; it has a column "grouping_set", the dimensions, the count
  // and the sums (packed little-endian int64s), keyed by set and dimensions.
  std::string table;
  // The dimensions in order, named as the items' own columns so that a
  // store's filter SQL reads the rollup too. Types are "INTEGER NOT NULL"
  // or "TEXT NOT NULL"; a set's row holds 0 or "" outside the set.
  std::vector<SqlColumn> dimensions;
  // The grouping sets as bit masks over `dimensions` (bit i: dimension i),
  // from the fewest combinations to the most.
  std::vector<uint32_t> sets;
  std::string count_column;
  std::string sums_column;
  // What each summed value is called in the error of a sum past int64.
  std::vector<std::string> sum_names;
};

// One item counted in a rollup: its dimension values in the layout's order
// and its values to sum, as many as the layout names.
struct RollupItem {
  std::vector<SqlArg> dimensions;
  std::vector<int64_t> values;
};

// Items in or out of one rollup row, and their sums.
struct RollupDelta {
  int64_t count = 0;
  std::vector<int64_t> sums;
};

class Rollup;

// A transaction's changes of its store's rollups, by rollup and row key
// (grouping set, then the dimensions), gathered by Rollup::Record and
// written once each at the end: a batch that touches few rows many times
// writes each once, and an item that left and came back to the same row
// writes nothing.
class RollupChanges {
 public:
  // Writes every gathered change: a row is made, changed, or removed when
  // no item is left in it; a change that came to nothing touches nothing.
  // OUT_OF_RANGE naming the value when a row's sum would pass int64 (the
  // write is refused, so no summary can), DATA_LOSS if a row would count
  // fewer than no items.
  absl::Status Write(SqlDb* db) const;

 private:
  friend class Rollup;
  using Rows = absl::btree_map<std::vector<SqlArg>, RollupDelta>;
  absl::btree_map<const Rollup*, Rows> rollups_;
};

class Rollup {
 public:
  explicit Rollup(RollupLayout layout);

  const RollupLayout& layout() const { return layout_; }

  // CREATE TABLE IF NOT EXISTS for the table.
  std::string SchemaSql() const;

  // CREATE INDEX IF NOT EXISTS of an index for reading a set's rows over a
  // range of dimension `period` (a day or a month). It holds every column,
  // so such a read never looks a row up in the table: at a million items a
  // set's day rows are spread over a table of a million rows.
  std::string PeriodIndexSql(absl::string_view period) const;

  // The bit of dimension `name`; the name must be one of the layout's.
  uint32_t Bit(absl::string_view name) const;

  // The dimension values of an item: those named in `own` from there, the
  // others from its record's `derived` values (in `rows`' binding order),
  // where every dimension not in `own` must be a derived column.
  std::vector<SqlArg> DimensionsOf(
      const ResourceRows& rows, absl::Span<const SqlArg> derived,
      std::initializer_list<std::pair<absl::string_view, SqlArg>> own = {}) const;

  // Gathers that `item` joins (sign +1) or leaves (sign -1) every set.
  // OUT_OF_RANGE naming the value when a gathered sum passes int64. The
  // rollup must outlive `changes`.
  absl::Status Record(const RollupItem& item, int sign, RollupChanges* changes) const;

  // Gathers one item joining per row of `sql`, which selects the first
  // `leading` dimensions in order and then what `rest` reads, from column
  // `leading` on, into the item's other dimensions and its values. For
  // filling a rollup from the stored items.
  absl::Status RecordEachRow(
      SqlDb* db, absl::string_view sql, int leading,
      absl::FunctionRef<void(const SqlStatement& row, int first, RollupItem* item)> rest,
      RollupChanges* changes) const;

  // "a, b, c": the first `count` dimensions' names, for a SELECT.
  std::string DimensionsSql(int count) const;

  // The first set holding every dimension of `needed`, if one does.
  std::optional<uint32_t> SetCovering(uint32_t needed) const;

  // Adds a row's packed sums to sums[0..sum_names.size()), each checked.
  absl::Status AddSums(absl::string_view packed, int64_t* sums) const;

 private:
  friend class RollupChanges;
  // Adds each delta to its row, reading the rows in one statement and
  // writing them in one upsert and one delete.
  absl::Status AddToRows(SqlDb* db,
                         absl::Span<const RollupChanges::Rows::value_type* const> rows) const;

  const RollupLayout layout_;
  // "grouping_set, <dimension>, ...": a row's key columns.
  const std::string key_columns_;
  // "grouping_set = ? AND <dimension> = ? ...": one row's key.
  const std::string key_condition_;
};

// `values` as one blob of little-endian int64s, and the index-th of them.
SqlBlob PackValues(absl::Span<const int64_t> values);
int64_t PackedValueAt(absl::string_view packed, int index);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_ROLLUP_H_
