// How a store keeps its resources in SQL: one row per resource holding
// seq, id, request_id, version and the store's derived columns (what List
// filters and orders on, what Summarize groups and sums), with the
// serialized resource in a payload table beside it, so that scans read only
// the small columns. This class says and runs that SQL; the store decides
// everything else.
#ifndef JIANGAN_COMMON_STORAGE_RESOURCE_ROWS_H_
#define JIANGAN_COMMON_STORAGE_RESOURCE_ROWS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/message.h"

namespace jiangan {

// What a stored row says besides its resource.
struct StoredRow {
  int64_t seq = 0;
  std::string id;
  int64_t version = 0;
  bool deleted = false;
};

class ResourceRows {
 public:
  // Rows in `table`, payloads in `payload_table`. `derived` lists the
  // store's columns in binding order; it must include an integer "deleted".
  ResourceRows(std::string table, std::string payload_table, absl::Span<const SqlColumn> derived);

  // CREATE TABLE IF NOT EXISTS for both tables, as first made: without the
  // columns added later (SqlColumn::added_in), which AddedColumnsSql adds.
  std::string SchemaSql() const;
  // ALTER TABLE adding the derived columns added in schema `version`.
  std::string AddedColumnsSql(int version) const;
  // Calls `visit(seq, resource)` for every stored resource, parsed from its
  // payload into a copy of `prototype`, after reading them all (so that
  // `visit` may write): for a schema step that derives something anew.
  // DATA_LOSS for a payload that does not parse.
  absl::Status ForEachResource(
      SqlDb* db, const google::protobuf::Message& prototype,
      const std::function<absl::Status(int64_t seq, const google::protobuf::Message& resource)>&
          visit) const;
  // Sets derived columns `columns` of every row to `values_of(resource)`,
  // in the same order: the fill of columns added to a table that holds rows.
  absl::Status FillColumns(
      SqlDb* db, absl::Span<const char* const> columns, const google::protobuf::Message& prototype,
      const std::function<std::vector<SqlArg>(const google::protobuf::Message&)>& values_of) const;

  // Indexes of equality filters on `columns` that hold seq after the value,
  // replacing single-column ones named <table>_<column>: a filtered page in
  // creation order reads such an index in order and stops after the page
  // instead of sorting every match.
  std::string OrderedFilterIndexesSql(absl::Span<const char* const> columns) const;

  // Indexes of equality filters on `columns` that hold seq after the value,
  // then the other columns and `deleted`, replacing OrderedFilterIndexesSql's:
  // a filtered page in creation order reads one in order and checks its
  // other filters in the index, so it looks up in the table only the rows
  // it returns, not every row of the first filter's value before them.
  std::string FilterIndexesSql(absl::Span<const char* const> columns) const;

  // Where the derived column `column` is in binding order; -1 if it is not
  // one of them.
  int DerivedIndex(absl::string_view column) const;

  // What a page query selects (seq first, payload last but the sort key)
  // and from where: see ListResourcePage.
  static constexpr char kColumns[] = "seq, id, version, deleted, payload";
  const std::string& source() const { return source_; }

  // Parses the payload of a row selected as kColumns into `resource`;
  // DATA_LOSS if it does not parse.
  static absl::Status Decode(const SqlStatement& row, google::protobuf::Message* resource);

  // The row whose `key_column` ("id" or "request_id") is `key`, with its
  // resource parsed into `resource`; nullopt when there is none.
  absl::StatusOr<std::optional<StoredRow>> Find(SqlDb* db, absl::string_view key_column,
                                                absl::string_view key,
                                                google::protobuf::Message* resource) const;

  // The row `id` of `collection` as a Get or a change sees it, with its
  // resource parsed into `resource`: NOT_FOUND when there is none, or it is
  // soft-deleted and `deleted` is false; FAILED_PRECONDITION when `deleted`
  // (an undelete) and it is not deleted.
  absl::StatusOr<StoredRow> FindExisting(SqlDb* db, absl::string_view collection,
                                          absl::string_view id, bool deleted,
                                          google::protobuf::Message* resource) const;

  // ALREADY_EXISTS naming `name` when a row has `id`, deleted or not.
  absl::Status CheckIdFree(SqlDb* db, absl::string_view id, absl::string_view name) const;

  // The seq the next Insert gets (AUTOINCREMENT), so that the etag can be
  // made before the row is written. Call inside the write transaction.
  absl::StatusOr<int64_t> NextSeq(SqlDb* db) const;

  // Writes version 1 of a resource; `request_id` may be empty.
  absl::Status Insert(SqlDb* db, int64_t seq, absl::string_view id,
                      absl::string_view request_id, const std::vector<SqlArg>& derived,
                      const google::protobuf::Message& resource) const;

  // Writes `version` of the resource in row `seq`.
  absl::Status Update(SqlDb* db, int64_t seq, int64_t version,
                      const std::vector<SqlArg>& derived,
                      const google::protobuf::Message& resource) const;

 private:
  const std::string table_;
  const std::string payload_table_;
  const std::vector<std::string> derived_names_;
  const std::string create_sql_;
  const std::vector<SqlColumn> derived_;
  const std::string source_;
  const std::string insert_sql_;
  const std::string update_sql_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_RESOURCE_ROWS_H_
