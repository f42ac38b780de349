// One SQLite table holding one collection of resources as serialized protos.
// It knows rows, ids and versions, not proto fields: ResourceStore builds the
// AIP semantics on top of it.
#ifndef JIANGAN_SERVICES_FACILITIES_RESOURCE_TABLE_H_
#define JIANGAN_SERVICES_FACILITIES_RESOURCE_TABLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/sqlite_db.h"

namespace jiangan {

struct ResourceRow {
  int64_t seq = 0;      // insertion order; never reused
  std::string id;       // final segment of the resource name
  int64_t version = 0;  // 1 on create, +1 on every update
  std::string payload;  // serialized resource
};

class ResourceTable {
 public:
  // Creates the table `collection` (a plain lowercase identifier) if missing.
  // `db` must outlive the table.
  static absl::StatusOr<std::unique_ptr<ResourceTable>> Open(SqliteDb* db,
                                                            std::string collection);

  const std::string& collection() const { return collection_; }

  // Inserts a row. `make_payload` receives the new row's seq and version and
  // returns its payload; it runs inside the transaction, so the payload can
  // carry them. With a non-empty `request_id` already used, returns the row
  // created then and inserts nothing. ALREADY_EXISTS if `id` is taken.
  absl::StatusOr<ResourceRow> Insert(
      absl::string_view id, absl::string_view request_id,
      const std::function<absl::StatusOr<std::string>(int64_t seq, int64_t version)>&
          make_payload);

  // NOT_FOUND if there is no row with `id`.
  absl::StatusOr<ResourceRow> Get(absl::string_view id);

  // Up to `limit` rows with seq greater than `after_seq`, in seq order.
  absl::StatusOr<std::vector<ResourceRow>> ListAfter(int64_t after_seq, int limit);

  // Reads the row, lets `change` produce the new payload from it, and writes
  // it with version + 1, all in one transaction. `change` gets the new version.
  absl::StatusOr<ResourceRow> Update(
      absl::string_view id,
      const std::function<absl::StatusOr<std::string>(const ResourceRow& current,
                                                      int64_t new_version)>& change);

 private:
  ResourceTable(SqliteDb* db, std::string collection)
      : db_(db), collection_(std::move(collection)) {}

  absl::StatusOr<std::optional<ResourceRow>> FindLocked(absl::string_view column,
                                                        absl::string_view value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SqliteDb* const db_;
  const std::string collection_;
  // One writer at a time; SQLite would serialize anyway, this keeps the
  // read-check-write of Insert and Update atomic within the process.
  absl::Mutex mu_;
};

}  // namespace jiangan

#endif  // JIANGAN_SERVICES_FACILITIES_RESOURCE_TABLE_H_
