// What the targets service keeps: the catalog of targets of every year,
// loaded from files and changed through the API, with each target's
// history; and the values reported for targets and the departments
// assigned to them, each an append-only table. Written by one writer under
// a lock and read by a pool of readers.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_STORE_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/change_log.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
#include "jiangan/target_values/v1/target_values.pb.h"

namespace jiangan::targets {

struct TargetStoreOptions {
  // Signs page tokens.
  std::string page_token_key;
  int reader_connections = 2;
  // The clock; tests set it.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// A year's catalog as read from its file (LoadTargetCatalog).
struct CatalogFile {
  std::string path;
  portfolio::v1::ListTargetsResponse catalog;
};

class TargetStore {
 public:
  // Opens the store on `db` (which must outlive it); FAILED_PRECONDITION
  // for a file of another layout.
  static absl::StatusOr<std::unique_ptr<TargetStore>> Open(SqlDb* db,
                                                           TargetStoreOptions options);

  // Loads catalog `files`, in one transaction: a target no row holds is
  // added; one whose entry in its file changed since the file last loaded it
  // takes the file's entry; one its file left as it was keeps what the API
  // made of it. Each change goes into the target's history as
  // "file:{path}". INVALID_ARGUMENT, and nothing loaded, when the catalog
  // that results breaks CheckCatalogLinks.
  absl::Status LoadCatalog(absl::Span<const CatalogFile> files) ABSL_LOCKS_EXCLUDED(write_mu_);

  // Every target of the catalog, by year and then the order its report
  // states them, each with its etag.
  absl::StatusOr<std::vector<portfolio::v1::Target>> Catalog() const;

  // Adds a target to its year's catalog for `caller` (an ADMIN), once per
  // request_id.
  absl::StatusOr<portfolio::v1::Target> CreateTarget(
      const Identity& caller, const portfolio::v1::CreateTargetRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Changes a target's catalog entry for `caller` (an ADMIN).
  absl::StatusOr<portfolio::v1::Target> UpdateTarget(
      const Identity& caller, const portfolio::v1::UpdateTargetRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // The catalog's target named `name` (request field `field`), with its
  // etag: INVALID_ARGUMENT for a malformed name, NOT_FOUND for one the
  // catalog does not have.
  absl::StatusOr<portfolio::v1::Target> Find(absl::string_view name,
                                             absl::string_view field) const;

  // A page of a target's history, oldest first.
  absl::Status ListHistory(const portfolio::v1::ListTargetHistoryRequest& request,
                           portfolio::v1::ListTargetHistoryResponse* response) const;

  // Records a value of a REPORTED target for `caller`, once per request_id.
  absl::StatusOr<target_values::v1::TargetValue> Record(const Identity& caller,
                                         const target_values::v1::RecordTargetValueRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // A page of the values of one target, or of every target, oldest first.
  absl::Status List(const target_values::v1::ListTargetValuesRequest& request,
                    target_values::v1::ListTargetValuesResponse* response) const;

  // Assigns the department answerable for a target (the caller is an
  // ADMIN), once per request_id.
  absl::StatusOr<portfolio::v1::DepartmentAssignment> Assign(
      const Identity& caller, const portfolio::v1::AssignTargetDepartmentRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // A page of the assignments of one target, or of every target, oldest
  // first.
  absl::Status ListAssignments(const portfolio::v1::ListDepartmentAssignmentsRequest& request,
                               portfolio::v1::ListDepartmentAssignmentsResponse* response) const;

  // The department assigned last to each target that has one, by target
  // name: assignments are few (one or two a target).
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> AssignedDepartments() const;

  // Every value of `parent` (`targets/{target}`, or `targets/-` for all),
  // oldest record first.
  absl::StatusOr<std::vector<target_values::v1::TargetValue>> ValuesOf(
      const std::string& parent) const;

 private:
  TargetStore(SqlDb* writer, TargetStoreOptions options);

  // The catalog's target named by `name` (request field `field`), read on
  // `db`, with its id and row: INVALID_ARGUMENT for a malformed name,
  // NOT_FOUND for one the catalog does not have.
  struct Parent {
    portfolio::v1::Target target;  // with its etag
    std::string id;
    std::string loaded;  // the entry its file last gave; empty when none
    int64_t position = 0;  // in its year's catalog
  };
  absl::StatusOr<Parent> FindTarget(SqlDb* db, absl::string_view name,
                                    absl::string_view field = "parent") const;
  // FindTarget on a reader.
  absl::StatusOr<Parent> ReadTarget(absl::string_view name,
                                    absl::string_view field = "parent") const;

  // Writes `after` as the entry of target `id` (a new row when `before` is
  // null), records the change made by `principal` through `method`, and
  // checks the whole catalog that results. `loaded`: the file's entry, or
  // null for a change through the API (the row keeps what its file gave).
  absl::Status WriteTarget(const std::string& id, const Parent* before,
                           const portfolio::v1::Target& after, int64_t position,
                           const std::string* loaded, absl::string_view principal,
                           absl::string_view method, absl::string_view request_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // A page of `table`'s payloads under `parent` (`targets/-`: under every
  // target), oldest first, behind page tokens bound to `request`.
  template <typename Child>
  absl::Status ListChildren(const google::protobuf::Message& request, absl::string_view parent,
                            int32_t page_size, absl::string_view page_token,
                            absl::string_view table,
                            google::protobuf::RepeatedPtrField<Child>* page,
                            std::string* next_page_token) const;

  // Every payload of `table` under `parent` (`targets/-`: under every
  // target), oldest first: values and assignments are few (a target is
  // reported monthly or quarterly, and reassigned rarely).
  template <typename Child>
  absl::StatusOr<std::vector<Child>> AllChildren(absl::string_view table,
                                                 absl::string_view parent) const;

  // `target` with the department answerable for it (SetAnswerable), the
  // assignment read on `db`.
  absl::StatusOr<portfolio::v1::Target> WithDepartment(SqlDb* db, const Parent& parent) const;

  SqlDb* const writer_;
  const TargetStoreOptions options_;
  const SignedPageTokens page_tokens_;
  const ChangeLog changes_;
  std::unique_ptr<SqlReaderPool> readers_;
  absl::Mutex write_mu_;
};

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_STORE_H_
