// What the targets service keeps: the values reported for targets and the
// departments assigned to them, each an append-only table, written by one
// writer under a lock and read by a pool of readers. The targets themselves
// come from the catalog the store is opened with.
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
#include "common/base/pagination.h"
#include "common/identity/identity.h"
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

class TargetStore {
 public:
  // Opens the store on `db` (which must outlive it) for the targets of
  // `catalog`; FAILED_PRECONDITION for a file of another layout.
  static absl::StatusOr<std::unique_ptr<TargetStore>> Open(
      SqlDb* db, const portfolio::v1::ListTargetsResponse& catalog, TargetStoreOptions options);

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
  TargetStore(SqlDb* writer, const portfolio::v1::ListTargetsResponse& catalog,
             TargetStoreOptions options);

  // The catalog's target named by `name` (request field `field`), and its
  // id: INVALID_ARGUMENT for a malformed name, NOT_FOUND for one the catalog
  // does not have.
  struct Parent {
    const portfolio::v1::Target* target;
    std::string id;
  };
  absl::StatusOr<Parent> FindTarget(absl::string_view name,
                                    absl::string_view field = "parent") const;

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
  // Target name -> target; immutable after construction.
  const absl::flat_hash_map<std::string, portfolio::v1::Target> targets_;
  std::unique_ptr<SqlReaderPool> readers_;
  absl::Mutex write_mu_;
};

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_STORE_H_
