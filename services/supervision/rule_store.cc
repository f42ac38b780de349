#include "services/supervision/rule_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/storage/resource_page.h"
#include "google/protobuf/util/time_util.h"
#include "services/supervision/rule_rules.h"
#include "services/supervision/rule_sql.h"
#include "services/supervision/supervision_schema.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCollection[] = "rules";

absl::Span<const OrderField> RuleOrderFields() {
  static constexpr OrderField kFields[] = {{"create_time", "seq"}};
  return kFields;
}

}  // namespace

RuleStore::RuleStore(SqlWriter* writer, RuleStoreOptions options)
    : writer_(writer),
      db_(writer->db()),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      readers_(std::make_unique<SqlReaderPool>()) {}

RuleStore::~RuleStore() = default;

absl::StatusOr<std::unique_ptr<RuleStore>> RuleStore::Open(SqlWriter* writer,
                                                           RuleStoreOptions options) {
  std::unique_ptr<RuleStore> store(new RuleStore(writer, std::move(options)));
  RETURN_IF_ERROR(MigrateSupervisionSchema(writer->db()));
  RETURN_IF_ERROR(store->readers_->Open(*writer->db(), std::max(1, store->options_.reader_connections)));
  return store;
}

absl::StatusOr<v1::Rule> RuleStore::Get(const v1::GetRuleRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id, ParseResourceName(request.name(), kCollection, "name"));
  v1::Rule rule;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) {
    return RuleRows().FindExisting(db, kCollection, id, /*deleted=*/false, &rule).status();
  }));
  return rule;
}

absl::Status RuleStore::List(const v1::ListRulesRequest& request,
                             v1::ListRulesResponse* response) const {
  SqlWhere where;
  where.And("deleted = 0");
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), "",
        {ResourceRows::kColumns, RuleRows().source(), RuleOrderFields()}, std::move(where),
        [&](const SqlStatement& row) { return ResourceRows::Decode(row, response->add_rules()); },
        response->mutable_next_page_token());
  });
}

absl::Status RuleStore::ListHistory(const v1::ListRuleHistoryRequest& request,
                                    v1::ListRuleHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseResourceName(request.parent(), kCollection, "parent"));
  return readers_->With([&](SqlDb* db) {
    return RuleChanges().ListPage(db, page_tokens_, request, request.page_size(),
                                  request.page_token(), kCollection, id,
                                  response->mutable_changes(), response->mutable_next_page_token());
  });
}

absl::StatusOr<v1::Rule> RuleStore::Create(const Identity& caller,
                                           const v1::CreateRuleRequest& request) {
  ASSIGN_OR_RETURN(const std::string id,
                   ResolveNewId(request.rule_id(), "rule_id", request.request_id()));
  v1::Rule rule = request.rule();
  ClearRuleOutputOnlyFields(&rule);
  ApplyRuleDefaults(&rule);
  RETURN_IF_ERROR(ValidateRule(rule));
  const absl::Time now = options_.now();
  const std::string name = absl::StrCat(kCollection, "/", id);
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      v1::Rule earlier;
      ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                       RuleRows().Find(db_, "request_id", request.request_id(), &earlier));
      if (found.has_value()) {
        rule = std::move(earlier);
        return absl::OkStatus();
      }
    }
    RETURN_IF_ERROR(RuleRows().CheckIdFree(db_, id, name));
    ASSIGN_OR_RETURN(const int64_t seq, RuleRows().NextSeq(db_));
    StampCreated(name, now, caller.principal, seq, &rule);
    RETURN_IF_ERROR(
        RuleRows().Insert(db_, seq, id, request.request_id(), DerivedValues(rule), rule));
    return RuleChanges().Record(db_, id, TimeUtil::TimestampToMicroseconds(rule.create_time()),
                                caller.principal, "CreateRule", v1::Rule(), rule);
  }));
  return rule;
}

absl::StatusOr<v1::Rule> RuleStore::Update(const Identity& caller,
                                           const v1::UpdateRuleRequest& request) {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseResourceName(request.rule().name(), kCollection, "rule.name"));
  RETURN_IF_ERROR(CheckRuleUpdateMask(request.update_mask()));
  const absl::Time now = options_.now();
  v1::Rule next;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    v1::Rule before;
    ASSIGN_OR_RETURN(const StoredRow row,
                     RuleRows().FindExisting(db_, kCollection, id, /*deleted=*/false, &before));
    RETURN_IF_ERROR(CheckEtag("rule.etag", request.rule().etag(), before.etag()));
    next = before;
    MergeMasked(request.rule(), request.update_mask(), &next);
    ApplyRuleDefaults(&next);
    RETURN_IF_ERROR(ValidateRule(next));
    next.set_updater(caller.principal);
    *next.mutable_update_time() = TimestampOf(now);
    next.set_etag(VersionEtag(row.seq, row.version + 1));
    RETURN_IF_ERROR(RuleRows().Update(db_, row.seq, row.version + 1, DerivedValues(next), next));
    return RuleChanges().Record(db_, id, TimeUtil::TimestampToMicroseconds(next.update_time()),
                                caller.principal, "UpdateRule", before, next);
  }));
  return next;
}

absl::StatusOr<std::vector<v1::Rule>> RuleStore::EnabledRules() const {
  std::vector<v1::Rule> rules;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement enabled,
                     db->Prepare(absl::StrCat("SELECT ", ResourceRows::kColumns, " FROM ",
                                              RuleRows().source(),
                                              " WHERE deleted = 0 AND enabled = 1 ORDER BY seq")));
    while (true) {
      ASSIGN_OR_RETURN(const bool row, enabled.Step());
      if (!row) break;
      rules.emplace_back();
      RETURN_IF_ERROR(ResourceRows::Decode(enabled, &rules.back()));
    }
    return absl::OkStatus();
  }));
  return rules;
}

absl::StatusOr<absl::flat_hash_map<std::string, absl::CivilDay>> RuleStore::RecordSightings(
    const std::string& rule, const std::vector<std::string>& subjects, absl::CivilDay today) {
  ASSIGN_OR_RETURN(const std::string id, ParseResourceName(rule, kCollection, "rule"));
  absl::flat_hash_map<std::string, absl::CivilDay> first_seen;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    first_seen.clear();
    absl::flat_hash_map<std::string, int64_t> known;
    {
      ASSIGN_OR_RETURN(SqlStatement seen, db_->Prepare(kSightingsOfRuleSql));
      seen.BindText(1, id);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, seen.Step());
        if (!row) break;
        known[seen.ColumnText(0)] = seen.ColumnInt64(1);
      }
    }
    const absl::flat_hash_set<std::string> now_in(subjects.begin(), subjects.end());
    for (const auto& [subject, day] : known) {
      if (now_in.contains(subject)) continue;
      ASSIGN_OR_RETURN(SqlStatement forget, db_->Prepare(kForgetSightingSql));
      forget.BindText(1, id);
      forget.BindText(2, subject);
      RETURN_IF_ERROR(forget.Run());
    }
    for (const std::string& subject : now_in) {
      const auto it = known.find(subject);
      if (it != known.end()) {
        first_seen[subject] = FromDayNumber(it->second);
        continue;
      }
      ASSIGN_OR_RETURN(SqlStatement insert, db_->Prepare(kInsertSightingSql));
      insert.BindText(1, id);
      insert.BindText(2, subject);
      insert.BindInt64(3, DayNumber(today));
      RETURN_IF_ERROR(insert.Run());
      first_seen[subject] = today;
    }
    return absl::OkStatus();
  }));
  return first_seen;
}

absl::Status RuleStore::MarkEvaluated(const std::string& rule, int opened) {
  ASSIGN_OR_RETURN(const std::string id, ParseResourceName(rule, kCollection, "rule"));
  const absl::Time now = options_.now();
  return writer_->Transact([&]() -> absl::Status {
    v1::Rule stored;
    ASSIGN_OR_RETURN(const StoredRow row,
                     RuleRows().FindExisting(db_, kCollection, id, /*deleted=*/false, &stored));
    *stored.mutable_last_evaluate_time() = TimestampOf(now);
    stored.set_opened_ticket_count(stored.opened_ticket_count() + opened);
    // Bookkeeping: the version and etag stay, so an edit in flight still
    // applies.
    return RuleRows().Update(db_, row.seq, row.version, DerivedValues(stored), stored);
  });
}

}  // namespace jiangan::supervision
