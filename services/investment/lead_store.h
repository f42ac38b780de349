// Where the investment service keeps its leads, their funds ledger,
// activities and change history: one SQLite database. Each lead is stored
// whole (a serialized Lead) beside the columns that List filters and orders
// on and Summarize groups and sums, so that those run as indexed SQL.
//
// Every method checks its input and the caller's rights and returns a
// google.rpc code; a refused call changes nothing. Writes run in one
// transaction each on the one writer connection; reads run on a pool of
// reader connections, which WAL lets proceed while a write goes on. Leads
// are presented per caller: attention computed as of today, personal
// information redacted for callers who may not see it.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_STORE_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "common/storage/rollup.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "common/storage/sql_reader_pool.h"
#include "jiangan/investment/v1/investment.pb.h"
#include "services/investment/attention.h"

namespace jiangan::investment {

struct LeadStoreOptions {
  AttentionLimits attention;
  // Names at least this similar (percent) to an open lead's are duplicates
  // unless the caller confirms.
  int similarity_threshold_percent = 80;
  // Signs page tokens; shared by every replica so tokens survive a restart.
  std::string page_token_key;
  // Connections for reads besides the writer's.
  int reader_connections = 4;
  // The clock; tests set it to evaluate attention on a chosen day.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class LeadStore {
 public:
  // Creates the tables in `db` if missing and opens the readers on the same
  // file. `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<LeadStore>> Open(SqlDb* db, LeadStoreOptions options);
  ~LeadStore();

  absl::StatusOr<v1::Lead> Get(const Identity& caller, const v1::GetLeadRequest& request) const;
  absl::Status List(const Identity& caller, const v1::ListLeadsRequest& request,
                    v1::ListLeadsResponse* response) const;
  absl::StatusOr<v1::Lead> Create(const Identity& caller, const v1::CreateLeadRequest& request);
  // Creates every lead of `request` in one transaction, or none: the first
  // refused one fails the batch, its error naming requests[i].
  absl::Status BatchCreate(const Identity& caller, const v1::BatchCreateLeadsRequest& request,
                           v1::BatchCreateLeadsResponse* response);
  absl::StatusOr<v1::Lead> Update(const Identity& caller, const v1::UpdateLeadRequest& request);
  absl::StatusOr<v1::Lead> Delete(const Identity& caller, const v1::DeleteLeadRequest& request);
  absl::StatusOr<v1::Lead> Undelete(const Identity& caller,
                                    const v1::UndeleteLeadRequest& request);
  absl::StatusOr<v1::FundsEntry> RecordFunds(const Identity& caller,
                                             const v1::RecordFundsRequest& request);
  absl::Status ListFundsEntries(const v1::ListFundsEntriesRequest& request,
                                v1::ListFundsEntriesResponse* response) const;
  absl::StatusOr<v1::Activity> LogActivity(const Identity& caller,
                                           const v1::LogActivityRequest& request);
  absl::Status ListActivities(const v1::ListActivitiesRequest& request,
                              v1::ListActivitiesResponse* response) const;
  absl::Status ListHistory(const v1::ListLeadHistoryRequest& request,
                           v1::ListLeadHistoryResponse* response) const;
  absl::Status FindSimilar(const v1::FindSimilarLeadsRequest& request,
                           v1::FindSimilarLeadsResponse* response) const;
  absl::Status Summarize(const v1::SummarizeLeadsRequest& request,
                         v1::SummarizeLeadsResponse* response) const;

 private:
  struct StoredLead {
    StoredRow row;
    v1::Lead lead;
    // The lead's items taken out of the rollups, as loaded for a change:
    // Rewrite puts the changed lead's back and writes the difference.
    RollupChanges rollups;
  };
  // Median days in a stage before leaving it, and how many leads left it.
  struct StageMedian {
    int64_t median_days = 0;
    int64_t sample = 0;
  };
  using StageMedians = absl::flat_hash_map<int, StageMedian>;

  // A create checked before its transaction: what it will store.
  struct NewLead {
    const v1::CreateLeadRequest* request = nullptr;
    std::string id;
    std::string name;
    v1::Lead lead;
  };

  LeadStore(SqlDb* writer, LeadStoreOptions options);

  int64_t Today() const;
  // Medians per stage, recomputed at most once a minute; read once per
  // request and handed to Present.
  StageMedians CurrentStageMedians() const ABSL_LOCKS_EXCLUDED(medians_mu_);
  // Fills the computed fields as of `today` and redacts what `caller` may
  // not see.
  void Present(const Identity& caller, int64_t today, const StageMedians& medians,
               v1::Lead* lead) const;
  // Present() for the one lead a call returns.
  v1::Lead Presented(const Identity& caller, absl::Time now, v1::Lead lead) const;
  // Open leads whose normalized name is at least the threshold similar to
  // `normalized`, closest first, at most `limit`.
  absl::StatusOr<std::vector<v1::SimilarLead>> Similar(SqlDb* db,
                                                       const std::string& normalized,
                                                       int limit) const;

  // Checks a create before its transaction: input, rights, stage facts.
  absl::StatusOr<NewLead> CheckCreate(const Identity& caller,
                                      const v1::CreateLeadRequest& request, absl::Time now) const;
  // Stores a checked create (or finds the one its request_id made) unless
  // its company is taken or, unconfirmed, close to an open lead's, gathering
  // its rollup items into `rollups`.
  absl::StatusOr<v1::Lead> Insert(const Identity& caller, NewLead created, absl::Time now,
                                  RollupChanges* rollups) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::StatusOr<StoredLead> LoadForChange(const Identity& caller, absl::string_view id,
                                           bool deleted) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Writes `lead` back with version + 1, stamped (updater, update_time,
  // etag) in place, keeping the name index, the stage stays and the history
  // in step.
  absl::Status Rewrite(const Identity& caller, absl::string_view method, const StoredLead& before,
                       v1::Lead* lead) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The shared path of Update, Delete and Undelete: in one transaction,
  // loads lead `id` (which must be deleted exactly when `deleted`), checks
  // that `caller` may change it, lets `change` make the next version (or
  // refuse), writes it and records the change as `method`.
  absl::StatusOr<v1::Lead> ChangeLead(
      const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
      const std::function<absl::Status(const StoredLead& stored, absl::Time now,
                                       v1::Lead* next)>& change) ABSL_LOCKS_EXCLUDED(write_mu_);
  // The shared path of RecordFunds and LogActivity: in one transaction,
  // returns the child a call with the same request_id stored before, or
  // loads lead `id` for `caller`, lets `make` check and fill the child, the
  // lead's next version and any extra columns of `table`, names the child
  // `leads/{id}/{collection}/{generated}` and stores both.
  template <typename Child>
  absl::StatusOr<Child> AppendChild(
      const Identity& caller, absl::string_view method, absl::string_view id,
      absl::string_view request_id, absl::string_view collection, absl::string_view table,
      const std::function<absl::Status(const StoredLead& stored, absl::Time now, Child* child,
                                       v1::Lead* next,
                                       std::vector<std::pair<std::string, SqlArg>>* extra)>& make)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Gathers into `changes` that the items of `lead` (row `seq`) join (sign
  // +1) or leave (-1) the rollups (lead_sql.h): the lead itself, its first
  // entry of each year into each stage and, with `children`, each stay and
  // funds entry it has, all under its dimensions; nothing when it is
  // deleted.
  static absl::Status GatherRollupItems(SqlDb* db, int64_t seq, const v1::Lead& lead, int sign,
                                        bool children, RollupChanges* changes);
  // The stage-entry items of `lead`, whose DerivedValues() are `derived`.
  static absl::Status GatherStageEntryItems(const std::vector<SqlArg>& derived,
                                            const v1::Lead& lead, int sign,
                                            RollupChanges* changes);
  // Fills the lead and stay rollups from the stored leads (schema version 3).
  static absl::Status FillRollups(SqlDb* db);
  // Fills the funds and stage-entry rollups (schema version 6).
  static absl::Status FillWindowRollups(SqlDb* db);
  // Schema v5: dates the SIGNED and REGISTERED entries of every stored lead
  // by its agreement and registration dates (StageEnterDay).
  static absl::Status RedateAllStageEntries(SqlDb* db);
  // Dates the stage entries of lead `seq` as StageEnterDay says.
  static absl::Status RedateStageEntries(SqlDb* db, int64_t seq, const v1::Lead& lead);
  // ALREADY_EXISTS naming the lead other than row `seq` that has `uscc`.
  absl::Status CheckUsccFree(absl::string_view uscc, int64_t seq)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Records the stages `lead` entered after its first `known` entries (row
  // `seq`), for windows on stage entries.
  absl::Status RecordStageEntries(int64_t seq, int known, const v1::Lead& lead)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Replaces the name bigrams of row `seq` and their counts.
  absl::Status IndexName(int64_t seq, const std::string& old_name, const std::string& new_name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  SqlDb* const writer_;
  const LeadStoreOptions options_;
  const SignedPageTokens page_tokens_;
  const ChangeLog changes_;
  std::unique_ptr<SqlReaderPool> readers_;
  absl::Mutex write_mu_;
  mutable absl::Mutex medians_mu_;
  mutable absl::Time medians_time_ ABSL_GUARDED_BY(medians_mu_) = absl::InfinitePast();
  mutable StageMedians medians_ ABSL_GUARDED_BY(medians_mu_);
};

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_LEAD_STORE_H_
