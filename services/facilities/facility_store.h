// Where the facilities service keeps its facilities, their capacity
// readings and change history: one SQLite database. Each facility is stored
// whole (a serialized Facility) beside the columns that List filters and
// orders on and Summarize groups and sums, and, when it has a location, in
// an R*Tree that nearby searches and coverage read.
//
// Every method checks its input and the caller's rights and returns a
// google.rpc code; a refused call changes nothing. Writes run in one
// transaction each on the one writer connection; reads run on a pool of
// reader connections, which WAL lets proceed while a write goes on.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITY_STORE_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITY_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "common/storage/rollup.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/facilities/v1/facilities.pb.h"
#include "services/facilities/coverage_rules.h"

namespace jiangan::facilities {

struct FacilityStoreOptions {
  WalkModel walk;
  DemandRates demand;
  // How far AssessCoverage looks for the nearest facility of a kind.
  double assess_search_limit_meters = 5000;
  // Signs page tokens; shared by every replica so tokens survive a restart.
  std::string page_token_key;
  // Connections for reads besides the writer's.
  int reader_connections = 4;
  // The clock; tests set it to record on chosen days.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class FacilityStore {
 public:
  // Creates the tables in `db` if missing and opens the readers on the same
  // file. `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<FacilityStore>> Open(SqlDb* db,
                                                             FacilityStoreOptions options);
  ~FacilityStore();

  absl::StatusOr<v1::Facility> Get(const v1::GetFacilityRequest& request) const;
  absl::Status List(const v1::ListFacilitiesRequest& request,
                    v1::ListFacilitiesResponse* response) const;
  absl::StatusOr<v1::Facility> Create(const Identity& caller,
                                      const v1::CreateFacilityRequest& request);
  // Creates every facility of `request` in one transaction, or none: the
  // first refused one fails the batch, its error naming requests[i].
  absl::Status BatchCreate(const Identity& caller, const v1::BatchCreateFacilitiesRequest& request,
                           v1::BatchCreateFacilitiesResponse* response);
  absl::StatusOr<v1::Facility> Update(const Identity& caller,
                                      const v1::UpdateFacilityRequest& request);
  absl::StatusOr<v1::Facility> Delete(const Identity& caller,
                                      const v1::DeleteFacilityRequest& request);
  absl::StatusOr<v1::Facility> Undelete(const Identity& caller,
                                        const v1::UndeleteFacilityRequest& request);
  absl::StatusOr<v1::CapacityReading> RecordCapacity(const Identity& caller,
                                                     const v1::RecordCapacityRequest& request);
  absl::Status ListCapacityReadings(const v1::ListCapacityReadingsRequest& request,
                                    v1::ListCapacityReadingsResponse* response) const;
  absl::Status ListHistory(const v1::ListFacilityHistoryRequest& request,
                           v1::ListFacilityHistoryResponse* response) const;
  absl::Status SearchNearby(const v1::SearchNearbyRequest& request,
                            v1::SearchNearbyResponse* response) const;
  absl::Status AssessCoverage(const v1::AssessCoverageRequest& request,
                              v1::AssessCoverageResponse* response) const;
  absl::StatusOr<v1::ReportCoverageResponse> ReportCoverage(
      const v1::ReportCoverageRequest& request) const;
  absl::Status Summarize(const v1::SummarizeFacilitiesRequest& request,
                         v1::SummarizeFacilitiesResponse* response) const;

 private:
  struct StoredFacility {
    StoredRow row;
    v1::Facility facility;
    // The facility's items taken out of the rollups, as loaded for a
    // change: Rewrite puts the changed facility's back and writes the
    // difference.
    RollupChanges rollups;
  };
  // A create checked before its transaction: what it will store.
  struct NewFacility {
    const v1::CreateFacilityRequest* request = nullptr;
    std::string id;
    std::string name;
    v1::Facility facility;
  };

  FacilityStore(SqlDb* writer, FacilityStoreOptions options);

  // Gathers into `changes` that the items of `facility` (row `seq`) join
  // (sign +1) or leave (-1) the rollups (facility_sql.h): the facility, its
  // opening, its first day built in each year (BuiltRollup) and, with
  // `readings`, each capacity change it has, all under its dimensions;
  // nothing when it is deleted. Without `readings` its rises are not known:
  // for a create, which has none.
  static absl::Status GatherRollupItems(SqlDb* db, int64_t seq, const v1::Facility& facility,
                                        int sign, bool readings, RollupChanges* changes);
  // The built items of a facility whose facility rollup dimensions are
  // `dimensions`: its first of `days` in each year.
  static absl::Status GatherBuiltItems(const std::vector<SqlArg>& dimensions,
                                       std::vector<int64_t> days, int sign,
                                       RollupChanges* changes);
  // Fills the rollups from the stored facilities (schema version 7).
  static absl::Status FillRollups(SqlDb* db);
  // Checks a create before its transaction: input, rights, the id.
  absl::StatusOr<NewFacility> CheckCreate(const Identity& caller,
                                          const v1::CreateFacilityRequest& request,
                                          absl::Time now) const;
  // Stores a checked create (or finds the one its request_id made),
  // gathering its rollup items into `rollups`.
  absl::StatusOr<v1::Facility> Insert(const Identity& caller, NewFacility created,
                                      absl::Time now, RollupChanges* rollups)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  absl::StatusOr<StoredFacility> LoadForChange(const Identity& caller, absl::string_view id,
                                               bool deleted)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Puts row `seq` in the spatial index as `facility` now is: out when it is
  // deleted or has no location.
  absl::Status IndexPlace(int64_t seq, const v1::Facility& facility)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Writes `facility` back with version + 1, stamped (updater, update_time,
  // etag) in place, keeping the spatial index and the history in step; its
  // readings' changes and latest capacity are restated when
  // `readings_changed` or the day it first served moved.
  absl::Status Rewrite(const Identity& caller, absl::string_view method,
                       const StoredFacility& before, v1::Facility* facility,
                       bool readings_changed = false)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The shared path of Update, Delete and Undelete: in one transaction,
  // loads facility `id` (which must be deleted exactly when `deleted`),
  // checks that `caller` may change it, lets `change` make the next version
  // (or refuse), writes it and records the change as `method`.
  absl::StatusOr<v1::Facility> ChangeFacility(
      const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
      const std::function<absl::Status(const StoredFacility& stored, absl::Time now,
                                       v1::Facility* next)>& change) ABSL_LOCKS_EXCLUDED(write_mu_);
  // Recomputes the changes of facility row `seq`'s readings, for a facility
  // first in service on `first_service_day` (FirstServiceDay), and returns
  // its latest reading (false when it has none).
  absl::StatusOr<bool> RestateReadings(int64_t seq, std::optional<int64_t> first_service_day,
                                       v1::CapacityReading* latest)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  SqlDb* const writer_;
  const FacilityStoreOptions options_;
  const SignedPageTokens page_tokens_;
  const ChangeLog changes_;
  std::unique_ptr<SqlReaderPool> readers_;
  absl::Mutex write_mu_;
};

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITY_STORE_H_
