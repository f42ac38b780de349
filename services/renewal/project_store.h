// Where the renewal service keeps its projects, their progress reports and
// their change history: one SQLite database. Each project is stored whole
// (a serialized Project) beside the columns that List filters and orders on
// and Summarize groups and sums, so that those run as indexed SQL.
//
// Every method checks its input and the caller's rights and returns a
// google.rpc code; a refused call changes nothing. Writes run in one
// transaction each, on the one writer connection; reads run on a small pool
// of reader connections, which WAL lets proceed while a write is going on.
#ifndef JIANGAN_SERVICES_RENEWAL_PROJECT_STORE_H_
#define JIANGAN_SERVICES_RENEWAL_PROJECT_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "common/base/pagination.h"
#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "common/storage/rollup.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "services/renewal/health.h"

namespace jiangan::renewal {

struct ProjectStoreOptions {
  HealthThresholds health;
  // Signs page tokens; shared by every replica so tokens survive a restart.
  std::string page_token_key;
  // Connections for reads besides the writer's.
  int reader_connections = 4;
  // The clock; tests set it to evaluate health on a chosen day.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class ProjectStore {
 public:
  // Creates the tables in `db` if missing and opens the readers on the same
  // file. `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<ProjectStore>> Open(SqlDb* db,
                                                            ProjectStoreOptions options);
  ~ProjectStore();

  absl::StatusOr<v1::Project> Get(const v1::GetProjectRequest& request) const;
  absl::Status List(const v1::ListProjectsRequest& request,
                    v1::ListProjectsResponse* response) const;
  absl::StatusOr<v1::Project> Create(const Identity& caller,
                                     const v1::CreateProjectRequest& request);
  // Creates every project of `request` in one transaction, or none: the
  // first refused one fails the batch, its error naming requests[i].
  absl::Status BatchCreate(const Identity& caller, const v1::BatchCreateProjectsRequest& request,
                           v1::BatchCreateProjectsResponse* response);
  absl::StatusOr<v1::Project> Update(const Identity& caller,
                                     const v1::UpdateProjectRequest& request);
  absl::StatusOr<v1::Project> Delete(const Identity& caller,
                                     const v1::DeleteProjectRequest& request);
  absl::StatusOr<v1::Project> Undelete(const Identity& caller,
                                       const v1::UndeleteProjectRequest& request);
  absl::StatusOr<v1::ProgressReport> ReportProgress(const Identity& caller,
                                                    const v1::ReportProgressRequest& request);
  absl::Status ListProgressReports(const v1::ListProgressReportsRequest& request,
                                   v1::ListProgressReportsResponse* response) const;
  absl::Status ListHistory(const v1::ListProjectHistoryRequest& request,
                           v1::ListProjectHistoryResponse* response) const;
  absl::Status Summarize(const v1::SummarizeProjectsRequest& request,
                         v1::SummarizeProjectsResponse* response) const;

 private:
  struct StoredProject;
  // A create checked before its transaction: what it will store.
  struct NewProject {
    const v1::CreateProjectRequest* request = nullptr;
    std::string id;
    std::string name;
    v1::Project project;
  };

  ProjectStore(SqlDb* writer, ProjectStoreOptions options);

  int64_t Today() const;
  // Fills the computed fields (health and its reasons) as of today.
  void Present(v1::Project* project, int64_t today) const;
  // Checks a create before its transaction: input, rights, the id.
  absl::StatusOr<NewProject> CheckCreate(const Identity& caller,
                                         const v1::CreateProjectRequest& request,
                                         absl::Time now) const;
  // Stores a checked create (or finds the one its request_id made),
  // gathering its rollup change into `rollup`.
  absl::StatusOr<v1::Project> Insert(const Identity& caller, NewProject created, absl::Time now,
                                     RollupChanges* rollup) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Records the phases `project` entered after its first `known` entries
  // (row `seq`), for windows on phase entries.
  absl::Status RecordPhaseEntries(int64_t seq, int known, const v1::Project& project)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Loads project `id` for a change by `caller`: it must be deleted exactly
  // when `deleted` (else NOT_FOUND or FAILED_PRECONDITION), and the caller
  // must have the right to change it. Its rollup items are gathered as
  // leaving, for Rewrite to put back as they are after the change.
  absl::StatusOr<StoredProject> LoadForChange(const Identity& caller, absl::string_view id,
                                              bool deleted)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Gathers into `changes` that the items of `project` (row `seq`) join
  // (sign +1) or leave (-1) the rollups (project_sql.h): the project, its
  // first entry of each year into each phase and, with `reports`, each
  // progress report it has, all under its dimensions; nothing when it is
  // deleted.
  static absl::Status GatherRollupItems(SqlDb* db, int64_t seq, const v1::Project& project,
                                        int sign, bool reports, RollupChanges* changes);
  // Fills the rollups from the stored projects (schema version 7).
  static absl::Status FillRollups(SqlDb* db);
  // Writes `project` back with version + 1 (deleted when it has a
  // delete_time), recording `method`'s change from `before` in the history.
  absl::Status Rewrite(const Identity& caller, absl::string_view method,
                       const StoredProject& before, v1::Project project,
                       v1::Project* written) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The shared path of Update, Delete and Undelete: in one transaction,
  // loads the project `id` (which must be deleted exactly when `deleted`),
  // checks that `caller` may change it, lets `change` make the next version
  // (or refuse), writes it and records the change as `method`.
  absl::StatusOr<v1::Project> ChangeProject(
      const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
      const std::function<absl::Status(const StoredProject& stored, absl::Time now,
                                       v1::Project* next)>& change)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  absl::Status RecordChange(const Identity& caller, absl::string_view method,
                            absl::string_view project_id, const v1::Project& before,
                            const v1::Project& after) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  SqlDb* const writer_;
  const ProjectStoreOptions options_;
  const SignedPageTokens page_tokens_;
  const ChangeLog changes_;
  std::unique_ptr<SqlReaderPool> readers_;
  absl::Mutex write_mu_;
};

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_PROJECT_STORE_H_
