// Where the supervision service keeps the rules that open tickets by
// themselves, their history, and what each has seen in its condition and
// since when. Writes go through the service's one writer, shared with the
// tickets.
#ifndef JIANGAN_SERVICES_SUPERVISION_RULE_STORE_H_
#define JIANGAN_SERVICES_SUPERVISION_RULE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/storage/sql_reader_pool.h"
#include "common/storage/sql_writer.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

struct RuleStoreOptions {
  // Signs page tokens; shared by every replica.
  std::string page_token_key;
  int reader_connections = 1;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class RuleStore {
 public:
  // Brings the database to the current schema and opens the readers.
  // `writer` must outlive the store.
  static absl::StatusOr<std::unique_ptr<RuleStore>> Open(SqlWriter* writer,
                                                         RuleStoreOptions options);
  ~RuleStore();

  absl::StatusOr<v1::Rule> Get(const v1::GetRuleRequest& request) const;
  absl::Status List(const v1::ListRulesRequest& request, v1::ListRulesResponse* response) const;
  absl::StatusOr<v1::Rule> Create(const Identity& caller, const v1::CreateRuleRequest& request);
  absl::StatusOr<v1::Rule> Update(const Identity& caller, const v1::UpdateRuleRequest& request);
  absl::Status ListHistory(const v1::ListRuleHistoryRequest& request,
                           v1::ListRuleHistoryResponse* response) const;

  // The enabled rules, oldest first.
  absl::StatusOr<std::vector<v1::Rule>> EnabledRules() const;

  // Records that `subjects` (resource names) are in rule `rule`'s condition
  // on `today`: the ones not seen before are first seen today, the ones seen
  // before and not now are forgotten. Returns the day each was first seen.
  absl::StatusOr<absl::flat_hash_map<std::string, absl::CivilDay>> RecordSightings(
      const std::string& rule, const std::vector<std::string>& subjects, absl::CivilDay today);

  // Stamps rule `rule` evaluated now, having opened `opened` tickets.
  absl::Status MarkEvaluated(const std::string& rule, int opened);

 private:
  RuleStore(SqlWriter* writer, RuleStoreOptions options);

  SqlWriter* const writer_;
  SqlDb* const db_;
  const RuleStoreOptions options_;
  const SignedPageTokens page_tokens_;
  std::unique_ptr<SqlReaderPool> readers_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_RULE_STORE_H_
