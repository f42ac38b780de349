#include "services/investment/lead_store.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/field_masks.h"
#include "common/base/fingerprint.h"
#include "common/base/personal_information.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/storage/batch_create.h"
#include "common/storage/child_rows.h"
#include "common/storage/resource_page.h"
#include "common/storage/schema_migrations.h"
#include "common/storage/sql_query.h"
#include "google/protobuf/util/time_util.h"
#include "services/investment/company_name.h"
#include "common/storage/rollup_period.h"
#include "services/investment/lead_rules.h"
#include "services/investment/lead_sql.h"
#include "services/investment/lead_summary.h"

namespace jiangan::investment {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCollection[] = "leads";
// Layouts of the tables. Version 2 added the stage entries that windows
// read; version 3 the summary rollups; version 4 filter indexes that hold
// the other filters; version 5 stage entries dated by the lead's own dates
// and found by lead; version 6 the window rollups (funds by day, first
// stage entries of each year).
constexpr int kFirstSchemaVersion = 2;
constexpr int kRollupSchemaVersion = 3;
constexpr int kFilterIndexSchemaVersion = 4;
constexpr int kStageEntryDateSchemaVersion = 5;
constexpr int kSchemaVersion = 6;
// How long computed stage medians are reused.
constexpr absl::Duration kMediansLifetime = absl::Minutes(1);

absl::StatusOr<std::string> ParseLeadName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, kCollection, field);
}

int64_t DayOfTime(const google::protobuf::Timestamp& time) {
  return DayNumber(ChinaDayOf(absl::FromUnixSeconds(time.seconds())));
}

}  // namespace

LeadStore::LeadStore(SqlDb* writer, LeadStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      changes_("lead_changes", "lead_id", v1::Lead::descriptor(),
               {"update_time", "etag", "updater", "attention", "attention_reasons"}),
      readers_(std::make_unique<SqlReaderPool>()) {}

LeadStore::~LeadStore() = default;

absl::StatusOr<std::unique_ptr<LeadStore>> LeadStore::Open(SqlDb* db,
                                                           LeadStoreOptions options) {
  std::unique_ptr<LeadStore> store(new LeadStore(db, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(
      db, {{SchemaStep{kFirstSchemaVersion, absl::StrCat(SchemaSql(), store->changes_.SchemaSql())},
            SchemaStep{kRollupSchemaVersion, RollupSchemaSql(), FillRollups},
            SchemaStep{kFilterIndexSchemaVersion, FilterIndexSchemaSql()},
            SchemaStep{kStageEntryDateSchemaVersion, StageEntryIndexSql(), RedateAllStageEntries},
            SchemaStep{kSchemaVersion, WindowRollupSchemaSql(), FillWindowRollups}}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

int64_t LeadStore::Today() const { return DayNumber(ChinaDayOf(options_.now())); }

LeadStore::StageMedians LeadStore::CurrentStageMedians() const {
  const absl::Time now = options_.now();
  {
    absl::MutexLock lock(&medians_mu_);
    if (now - medians_time_ < kMediansLifetime) return medians_;
  }
  StageMedians medians;
  absl::Status read = readers_->With([&](SqlDb* db) -> absl::Status {
    for (int stage = v1::LEAD; stage < v1::OPERATING; ++stage) {
      ASSIGN_OR_RETURN(SqlStatement count,
                       db->Prepare("SELECT COUNT(*) FROM lead_stage_stays WHERE stay_stage = ?"));
      count.BindInt64(1, stage);
      RETURN_IF_ERROR(count.Step().status());
      const int64_t sample = count.ColumnInt64(0);
      if (sample == 0) continue;
      ASSIGN_OR_RETURN(SqlStatement median,
                       db->Prepare("SELECT stay_days FROM lead_stage_stays WHERE stay_stage = ? "
                                   "ORDER BY stay_days LIMIT 1 OFFSET ?"));
      median.BindInt64(1, stage);
      median.BindInt64(2, sample / 2);
      RETURN_IF_ERROR(median.Step().status());
      medians[stage] = StageMedian{median.ColumnInt64(0), sample};
    }
    return absl::OkStatus();
  });
  absl::MutexLock lock(&medians_mu_);
  // Without medians the rule only skips its time-in-stage finding.
  if (read.ok()) {
    medians_ = std::move(medians);
    medians_time_ = now;
  }
  return medians_;
}

void LeadStore::Present(const Identity& caller, int64_t today, const StageMedians& medians,
                        v1::Lead* lead) const {
  AttentionInputs inputs = AttentionInputsOf(*lead);
  if (auto it = medians.find(lead->stage()); it != medians.end()) {
    inputs.stage_median_days = it->second.median_days;
    inputs.stage_sample = it->second.sample;
  }
  AttentionAssessment attention = AssessAttention(inputs, today, options_.attention);
  lead->set_attention(attention.attention);
  lead->clear_attention_reasons();
  for (std::string& reason : attention.reasons) lead->add_attention_reasons(std::move(reason));
  auto& history = *lead->mutable_stage_history();
  for (int i = 0; i < history.size(); ++i) {
    const int64_t until = i + 1 < history.size() ? DayOfTime(history[i + 1].enter_time()) : today;
    history[i].set_days_in_stage(
        static_cast<int32_t>(std::max<int64_t>(0, until - DayOfTime(history[i].enter_time()))));
  }
  if (!MaySeePersonalInformation(caller, *lead)) RedactPersonalInformation(lead);
}

v1::Lead LeadStore::Presented(const Identity& caller, absl::Time now, v1::Lead lead) const {
  Present(caller, DayNumber(ChinaDayOf(now)), CurrentStageMedians(), &lead);
  return lead;
}

// ---- Reads ----------------------------------------------------------------

absl::StatusOr<v1::Lead> LeadStore::Get(const Identity& caller,
                                        const v1::GetLeadRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.name(), "name"));
  v1::Lead lead;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) {
    return LeadRows().FindExisting(db, kCollection, id, /*deleted=*/false, &lead).status();
  }));
  return Presented(caller, options_.now(), std::move(lead));
}

absl::Status LeadStore::List(const Identity& caller, const v1::ListLeadsRequest& request,
                             v1::ListLeadsResponse* response) const {
  ASSIGN_OR_RETURN(SqlWhere where, FilterSql(request.filter(), request.show_deleted()));
  const int64_t today = Today();
  const StageMedians medians = CurrentStageMedians();
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), request.order_by(),
        {ResourceRows::kColumns, LeadRows().source(), LeadOrderFields()}, std::move(where),
        [&](const SqlStatement& row) -> absl::Status {
          v1::Lead* lead = response->add_leads();
          RETURN_IF_ERROR(ResourceRows::Decode(row, lead));
          Present(caller, today, medians, lead);
          return absl::OkStatus();
        },
        response->mutable_next_page_token());
  });
}

absl::Status LeadStore::ListFundsEntries(const v1::ListFundsEntriesRequest& request,
                                         v1::ListFundsEntriesResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             {kCollection, "leads", id, false, "funds_entries", "lead_id"},
                             response->mutable_funds_entries(), response->mutable_next_page_token());
  });
}

absl::Status LeadStore::ListActivities(const v1::ListActivitiesRequest& request,
                                       v1::ListActivitiesResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             {kCollection, "leads", id, false, "activities", "lead_id"},
                             response->mutable_activities(), response->mutable_next_page_token());
  });
}

absl::Status LeadStore::ListHistory(const v1::ListLeadHistoryRequest& request,
                                   v1::ListLeadHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return changes_.ListPage(db, page_tokens_, request, request.page_size(), request.page_token(),
                             kCollection, id, response->mutable_changes(),
                             response->mutable_next_page_token());
  });
}

absl::StatusOr<std::vector<v1::SimilarLead>> LeadStore::Similar(SqlDb* db,
                                                                const std::string& normalized,
                                                                int limit) const {
  const std::vector<std::string> grams = NameBigrams(normalized);
  std::vector<v1::SimilarLead> found;
  if (grams.empty()) return found;
  // Prefix filtering: a name with Dice >= t shares at least
  // ceil(t * n / (2 - t)) of our n bigrams, so it shares one of the
  // n - that + 1 rarest; only those are looked up.
  const int t = options_.similarity_threshold_percent;
  const int n = static_cast<int>(grams.size());
  const int must_share = std::max(1, (t * n + (200 - t) - 1) / (200 - t));
  const int probe = std::max(1, n - must_share + 1);
  // A bigram no name holds yet counts 0: it is among the rarest and, probed,
  // finds nothing, so fewer common bigrams need probing.
  absl::flat_hash_map<std::string, int64_t> names_holding;
  {
    ASSIGN_OR_RETURN(SqlStatement counts,
                     db->Prepare(absl::StrCat("SELECT gram, names FROM lead_name_gram_counts "
                                              "WHERE gram IN (", ParameterList(n), ")")));
    for (int i = 0; i < n; ++i) counts.BindText(i + 1, grams[i]);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, counts.Step());
      if (!row) break;
      names_holding[counts.ColumnText(0)] = counts.ColumnInt64(1);
    }
  }
  std::vector<std::pair<int64_t, std::string>> by_rarity;
  for (const std::string& gram : grams) {
    const auto it = names_holding.find(gram);
    by_rarity.emplace_back(it == names_holding.end() ? 0 : it->second, gram);
  }
  std::sort(by_rarity.begin(), by_rarity.end());
  // The open leads holding one of the probed bigrams, by their small
  // normalized-name column; a payload is read only for a real match.
  const NameMatcher matcher(normalized);
  absl::flat_hash_set<int64_t> seen;
  for (int i = 0; i < probe && i < static_cast<int>(by_rarity.size()); ++i) {
    if (by_rarity[i].first <= 0) continue;
    ASSIGN_OR_RETURN(
        SqlStatement stmt,
        db->Prepare(absl::StrCat("SELECT leads.seq, leads.normalized_name FROM lead_name_grams "
                                 "JOIN leads ON leads.seq = lead_name_grams.lead_seq "
                                 "WHERE gram = ? AND deleted = 0 AND stage NOT IN (",
                                 static_cast<int>(v1::OPERATING), ",",
                                 static_cast<int>(v1::LOST), ")")));
    stmt.BindText(1, by_rarity[i].second);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      const int64_t seq = stmt.ColumnInt64(0);
      if (!seen.insert(seq).second) continue;
      const int similarity = matcher.SimilarityTo(stmt.ColumnText(1));
      if (similarity < t) continue;
      ASSIGN_OR_RETURN(SqlStatement payload,
                       db->Prepare("SELECT payload FROM lead_payloads WHERE seq = ?"));
      payload.BindInt64(1, seq);
      ASSIGN_OR_RETURN(const bool stored, payload.Step());
      v1::Lead lead;
      if (!stored || !lead.ParseFromString(payload.ColumnBlob(0))) {
        return absl::DataLossError(absl::StrCat("the payload of lead row ", seq, " is missing"));
      }
      v1::SimilarLead similar;
      similar.set_lead(lead.name());
      similar.set_company_name(lead.company().name());
      similar.set_stage(lead.stage());
      similar.set_owner_department(lead.owner_department());
      similar.set_similarity_percent(similarity);
      found.push_back(std::move(similar));
    }
  }
  std::sort(found.begin(), found.end(), [](const v1::SimilarLead& a, const v1::SimilarLead& b) {
    return a.similarity_percent() != b.similarity_percent()
               ? a.similarity_percent() > b.similarity_percent()
               : a.lead() < b.lead();
  });
  if (static_cast<int>(found.size()) > limit) found.resize(limit);
  return found;
}

absl::Status LeadStore::FindSimilar(const v1::FindSimilarLeadsRequest& request,
                                    v1::FindSimilarLeadsResponse* response) const {
  RETURN_IF_ERROR(CheckLength("company_name", request.company_name(), 1, 200));
  if (request.limit() < 0 || request.limit() > 50) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be 0 to 50, got ", request.limit()));
  }
  const std::string normalized = NormalizeCompanyName(request.company_name());
  response->set_normalized_name(normalized);
  ASSIGN_OR_RETURN(std::vector<v1::SimilarLead> similar,
                   readers_->With([&](SqlDb* db) {
                     return Similar(db, normalized, request.limit() == 0 ? 10 : request.limit());
                   }));
  for (v1::SimilarLead& lead : similar) *response->add_similar_leads() = std::move(lead);
  return absl::OkStatus();
}

absl::Status LeadStore::Summarize(const v1::SummarizeLeadsRequest& request,
                                  v1::SummarizeLeadsResponse* response) const {
  return SummarizeLeads(*readers_, request, response);
}

// ---- Writes ---------------------------------------------------------------

absl::StatusOr<LeadStore::StoredLead> LeadStore::LoadForChange(const Identity& caller,
                                                              absl::string_view id,
                                                              bool deleted) {
  StoredLead stored;
  ASSIGN_OR_RETURN(stored.row,
                   LeadRows().FindExisting(writer_, kCollection, id, deleted, &stored.lead));
  RETURN_IF_ERROR(CheckCanChange(caller, stored.lead.owner_department(), stored.lead.name()));
  RETURN_IF_ERROR(GatherRollupItems(writer_, stored.row.seq, stored.lead, -1, /*children=*/true,
                                    &stored.rollups));
  return stored;
}

absl::Status LeadStore::GatherRollupItems(SqlDb* db, int64_t seq, const v1::Lead& lead, int sign,
                                          bool children, RollupChanges* changes) {
  if (lead.has_delete_time()) return absl::OkStatus();
  const std::vector<SqlArg> derived = DerivedValues(lead);
  RETURN_IF_ERROR(LeadRollup().Record(
      RollupItem{LeadRollup().DimensionsOf(LeadRows(), derived),
                 {lead.intended_investment_yuan(), lead.signed_investment_yuan(),
                  lead.arrived_investment_yuan()}},
      sign, changes));
  RETURN_IF_ERROR(GatherStageEntryItems(derived, lead, sign, changes));
  if (!children) return absl::OkStatus();
  ASSIGN_OR_RETURN(SqlStatement stays,
                   db->Prepare("SELECT stay_stage, stay_days FROM lead_stage_stays "
                               "WHERE lead_seq = ?"));
  stays.BindInt64(1, seq);
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stays.Step());
    if (!row) break;
    RETURN_IF_ERROR(StayRollup().Record(
        RollupItem{StayRollup().DimensionsOf(LeadRows(), derived,
                                             {{"stay_stage", stays.ColumnInt64(0)},
                                              {"stay_days", stays.ColumnInt64(1)}}),
                   {}},
        sign, changes));
  }
  ASSIGN_OR_RETURN(SqlStatement funds,
                   db->Prepare("SELECT arrival_day, amount_yuan FROM funds_entries "
                               "WHERE lead_seq = ?"));
  funds.BindInt64(1, seq);
  while (true) {
    ASSIGN_OR_RETURN(const bool row, funds.Step());
    if (!row) break;
    const int64_t day = funds.ColumnInt64(0);
    RETURN_IF_ERROR(FundsRollup().Record(
        RollupItem{FundsRollup().DimensionsOf(
                       LeadRows(), derived,
                       {{"arrival_month", YearMonthOf(day)}, {"arrival_day", day}}),
                   {funds.ColumnInt64(1)}},
        sign, changes));
  }
  return absl::OkStatus();
}

absl::Status LeadStore::GatherStageEntryItems(const std::vector<SqlArg>& derived,
                                              const v1::Lead& lead, int sign,
                                              RollupChanges* changes) {
  // The days of the stage entries table: each stage entered on the day
  // StageEnterDay gives it.
  std::vector<std::pair<int64_t, int64_t>> entries;
  for (const v1::StageChange& change : lead.stage_history()) {
    entries.emplace_back(change.stage(), DayNumber(StageEnterDay(lead, change)));
  }
  for (const auto& [stage, day] : FirstEntriesEachYear(std::move(entries))) {
    RETURN_IF_ERROR(StageEntryRollup().Record(
        RollupItem{StageEntryRollup().DimensionsOf(LeadRows(), derived,
                                                   {{"entered_stage", stage},
                                                    {"enter_day", day},
                                                    {"enter_month", MonthStartOf(day)}}),
                   {}},
        sign, changes));
  }
  return absl::OkStatus();
}

absl::Status LeadStore::FillRollups(SqlDb* db) {
  RollupChanges changes;
  // One pass per rollup, each reading its items' dimensions from the joined
  // lead row: no statement runs while another is half-read.
  const int lead_dimensions = static_cast<int>(LeadRollup().layout().dimensions.size());
  RETURN_IF_ERROR(LeadRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", LeadRollup().DimensionsSql(lead_dimensions),
                   ", intended, signed, arrived FROM leads WHERE deleted = 0"),
      lead_dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        for (int v = 0; v < 3; ++v) item->values.push_back(row.ColumnInt64(first + v));
      },
      &changes));
  // The stay and funds rollups lead with the filter dimensions.
  const int filter_dimensions = static_cast<int>(StayRollup().layout().dimensions.size()) - 2;
  RETURN_IF_ERROR(StayRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", StayRollup().DimensionsSql(filter_dimensions),
                   ", stay_stage, stay_days FROM lead_stage_stays JOIN leads ON leads.seq = "
                   "lead_stage_stays.lead_seq WHERE deleted = 0"),
      filter_dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->dimensions.push_back(row.ColumnInt64(first));
        item->dimensions.push_back(row.ColumnInt64(first + 1));
      },
      &changes));
  return changes.Write(db);
}

absl::Status LeadStore::FillWindowRollups(SqlDb* db) {
  RollupChanges changes;
  const int filter_dimensions = static_cast<int>(FundsRollup().layout().dimensions.size()) - 2;
  RETURN_IF_ERROR(FundsRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", FundsRollup().DimensionsSql(filter_dimensions),
                   ", arrival_day, amount_yuan FROM funds_entries JOIN leads ON leads.seq = "
                   "funds_entries.lead_seq WHERE deleted = 0"),
      filter_dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->dimensions.push_back(YearMonthOf(row.ColumnInt64(first)));
        item->dimensions.push_back(row.ColumnInt64(first));
        item->values.push_back(row.ColumnInt64(first + 1));
      },
      &changes));
  RETURN_IF_ERROR(LeadRows().ForEachResource(
      db, v1::Lead::default_instance(),
      [&changes](int64_t, const google::protobuf::Message& message) {
        const auto& lead = static_cast<const v1::Lead&>(message);
        if (lead.has_delete_time()) return absl::OkStatus();
        return GatherStageEntryItems(DerivedValues(lead), lead, +1, &changes);
      }));
  return changes.Write(db);
}

absl::Status LeadStore::CheckUsccFree(absl::string_view uscc, int64_t seq) {
  if (uscc.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   writer_->Prepare("SELECT id FROM leads WHERE uscc = ? AND seq != ?"));
  stmt.BindText(1, uscc);
  stmt.BindInt64(2, seq);
  ASSIGN_OR_RETURN(const bool taken, stmt.Step());
  if (!taken) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat("lead.company.uscc: ", uscc,
                                               " is already the company of leads/",
                                               stmt.ColumnText(0)));
}

absl::Status LeadStore::IndexName(int64_t seq, const std::string& old_name,
                                  const std::string& new_name) {
  if (old_name == new_name) return absl::OkStatus();
  // Only the bigrams that differ move, each kind in one statement.
  const std::vector<std::string> before = NameBigrams(old_name);
  const std::vector<std::string> after = NameBigrams(new_name);
  std::vector<std::string> gone, added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  auto count = [this](const std::vector<std::string>& grams, int64_t delta) -> absl::Status {
    if (grams.empty()) return absl::OkStatus();
    const int n = static_cast<int>(grams.size());
    ASSIGN_OR_RETURN(SqlStatement upsert,
                     writer_->Prepare(absl::StrCat(
                         "INSERT INTO lead_name_gram_counts (gram, names) VALUES ",
                         ValueRows(n, 2),
                         " ON CONFLICT (gram) DO UPDATE SET "
                         "names = lead_name_gram_counts.names + excluded.names")));
    for (int i = 0; i < n; ++i) {
      upsert.BindText(2 * i + 1, grams[i]);
      upsert.BindInt64(2 * i + 2, delta);
    }
    return upsert.Run();
  };
  if (!gone.empty()) {
    const int n = static_cast<int>(gone.size());
    ASSIGN_OR_RETURN(SqlStatement drop,
                     writer_->Prepare(absl::StrCat("DELETE FROM lead_name_grams WHERE lead_seq = ? "
                                                   "AND gram IN (", ParameterList(n), ")")));
    drop.BindInt64(1, seq);
    for (int i = 0; i < n; ++i) drop.BindText(i + 2, gone[i]);
    RETURN_IF_ERROR(drop.Run());
    RETURN_IF_ERROR(count(gone, -1));
  }
  if (!added.empty()) {
    const int n = static_cast<int>(added.size());
    ASSIGN_OR_RETURN(SqlStatement insert,
                     writer_->Prepare(absl::StrCat(
                         "INSERT INTO lead_name_grams (gram, lead_seq) VALUES ", ValueRows(n, 2))));
    for (int i = 0; i < n; ++i) {
      insert.BindText(2 * i + 1, added[i]);
      insert.BindInt64(2 * i + 2, seq);
    }
    RETURN_IF_ERROR(insert.Run());
    RETURN_IF_ERROR(count(added, +1));
  }
  return absl::OkStatus();
}

absl::Status LeadStore::RedateStageEntries(SqlDb* db, int64_t seq, const v1::Lead& lead) {
  for (const v1::StageChange& change : lead.stage_history()) {
    if (change.stage() != v1::SIGNED && change.stage() != v1::REGISTERED) continue;
    ASSIGN_OR_RETURN(SqlStatement redate, db->Prepare(kRedateStageEntrySql));
    redate.BindInt64(1, DayNumber(StageEnterDay(lead, change)));
    redate.BindInt64(2, seq);
    redate.BindInt64(3, change.stage());
    RETURN_IF_ERROR(redate.Run());
  }
  return absl::OkStatus();
}

absl::Status LeadStore::RedateAllStageEntries(SqlDb* db) {
  return LeadRows().ForEachResource(
      db, v1::Lead::default_instance(), [db](int64_t seq, const google::protobuf::Message& lead) {
        return RedateStageEntries(db, seq, static_cast<const v1::Lead&>(lead));
      });
}

absl::Status LeadStore::RecordStageEntries(int64_t seq, int known, const v1::Lead& lead) {
  for (int i = known; i < lead.stage_history_size(); ++i) {
    ASSIGN_OR_RETURN(SqlStatement insert, writer_->Prepare(kInsertStageEntrySql));
    insert.BindInt64(1, seq);
    insert.BindInt64(2, lead.stage_history(i).stage());
    insert.BindInt64(3, DayNumber(StageEnterDay(lead, lead.stage_history(i))));
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::Status LeadStore::Rewrite(const Identity& caller, absl::string_view method,
                                const StoredLead& before, v1::Lead* lead) {
  const int64_t version = before.row.version + 1;
  lead->clear_attention();
  lead->clear_attention_reasons();
  for (v1::StageChange& change : *lead->mutable_stage_history()) change.clear_days_in_stage();
  lead->set_updater(caller.principal);
  *lead->mutable_update_time() = TimestampOf(options_.now());
  lead->set_etag(VersionEtag(before.row.seq, version));
  RETURN_IF_ERROR(LeadRows().Update(writer_, before.row.seq, version, DerivedValues(*lead), *lead));
  RETURN_IF_ERROR(IndexName(before.row.seq, before.lead.company().normalized_name(),
                            lead->company().normalized_name()));
  RETURN_IF_ERROR(RecordStageEntries(before.row.seq, before.lead.stage_history_size(), *lead));
  // A corrected agreement or registration date moves its stage's entry.
  if (FormatDate(lead->agreement_date()) != FormatDate(before.lead.agreement_date()) ||
      FormatDate(lead->registration_date()) != FormatDate(before.lead.registration_date())) {
    RETURN_IF_ERROR(RedateStageEntries(writer_, before.row.seq, *lead));
  }
  if (lead->stage() != before.lead.stage() && !before.lead.stage_history().empty()) {
    // The stage left: how long the lead stayed, for medians.
    const auto& left = *before.lead.stage_history().rbegin();
    ASSIGN_OR_RETURN(SqlStatement stay,
                     writer_->Prepare("INSERT INTO lead_stage_stays (lead_seq, stay_stage, "
                                      "stay_days) VALUES (?, ?, ?)"));
    stay.BindInt64(1, before.row.seq);
    stay.BindInt64(2, left.stage());
    stay.BindInt64(3, std::max<int64_t>(0, Today() - DayOfTime(left.enter_time())));
    RETURN_IF_ERROR(stay.Run());
  }
  RollupChanges rollups = before.rollups;
  RETURN_IF_ERROR(GatherRollupItems(writer_, before.row.seq, *lead, +1, /*children=*/true,
                                    &rollups));
  RETURN_IF_ERROR(rollups.Write(writer_));
  return changes_.Record(writer_, before.row.id,
                         TimeUtil::TimestampToMicroseconds(lead->update_time()), caller.principal,
                         method, before.lead, *lead);
}

absl::StatusOr<v1::Lead> LeadStore::ChangeLead(
    const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
    const std::function<absl::Status(const StoredLead& stored, absl::Time now, v1::Lead* next)>&
        change) {
  const absl::Time now = options_.now();
  v1::Lead next;
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
      ASSIGN_OR_RETURN(const StoredLead stored, LoadForChange(caller, id, deleted));
      RETURN_IF_ERROR(change(stored, now, &next));
      return Rewrite(caller, method, stored, &next);
    }));
  }
  return Presented(caller, now, std::move(next));
}

template <typename Child>
absl::StatusOr<Child> LeadStore::AppendChild(
    const Identity& caller, absl::string_view method, absl::string_view id,
    absl::string_view request_id, absl::string_view collection, absl::string_view table,
    const std::function<absl::Status(const StoredLead& stored, absl::Time now, Child* child,
                                     v1::Lead* next,
                                     std::vector<std::pair<std::string, SqlArg>>* extra)>& make) {
  RETURN_IF_ERROR(CheckRequestId(request_id));
  const absl::Time now = options_.now();
  Child child;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const bool earlier,
                     FindChildByRequestId(writer_, table, "lead_id", id, request_id, &child));
    if (earlier) return absl::OkStatus();
    ASSIGN_OR_RETURN(const StoredLead stored, LoadForChange(caller, id, /*deleted=*/false));
    v1::Lead next = stored.lead;
    std::vector<std::pair<std::string, SqlArg>> extra;
    RETURN_IF_ERROR(make(stored, now, &child, &next, &extra));
    child.set_name(absl::StrCat(stored.lead.name(), "/", collection, "/", GenerateResourceId()));
    RETURN_IF_ERROR(InsertChildRow(writer_, table, "lead_id", id, request_id, child, extra));
    return Rewrite(caller, method, stored, &next);
  }));
  return child;
}

absl::StatusOr<LeadStore::NewLead> LeadStore::CheckCreate(const Identity& caller,
                                                         const v1::CreateLeadRequest& request,
                                                         absl::Time now) const {
  NewLead created;
  created.request = &request;
  ASSIGN_OR_RETURN(created.id, ResolveNewId(request.lead_id(), "lead_id", request.request_id()));
  v1::Lead& lead = created.lead;
  lead = request.lead();
  ClearOutputOnlyFields(&lead);
  if (lead.stage() == v1::STAGE_UNSPECIFIED) lead.set_stage(v1::LEAD);
  RETURN_IF_ERROR(ValidateLead(lead, ChinaDayOf(now)));
  if (lead.stage() == v1::LOST) {
    return absl::FailedPreconditionError("lead.stage: a lead cannot be created LOST");
  }
  created.name = absl::StrCat(kCollection, "/", created.id);
  RETURN_IF_ERROR(CheckCanChange(caller, lead.owner_department(), created.name));
  ApplyConsequences(nullptr, now, &lead);
  RETURN_IF_ERROR(CheckStageFacts(lead));
  return created;
}

absl::StatusOr<v1::Lead> LeadStore::Insert(const Identity& caller, NewLead created,
                                           absl::Time now, RollupChanges* rollups) {
  const v1::CreateLeadRequest& request = *created.request;
  v1::Lead& lead = created.lead;
  if (!request.request_id().empty()) {
    v1::Lead earlier;
    ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                     LeadRows().Find(writer_, "request_id", request.request_id(), &earlier));
    if (found.has_value()) return earlier;
  }
  RETURN_IF_ERROR(LeadRows().CheckIdFree(writer_, created.id, created.name));
  RETURN_IF_ERROR(CheckUsccFree(lead.company().uscc(), 0));
  if (!request.confirm_not_duplicate() && !lead.company().normalized_name().empty()) {
    ASSIGN_OR_RETURN(const std::vector<v1::SimilarLead> similar,
                     Similar(writer_, lead.company().normalized_name(), 5));
    if (!similar.empty()) {
      std::vector<std::string> names;
      for (const v1::SimilarLead& other : similar) {
        names.push_back(absl::StrCat(other.lead(), " (", other.company_name(), ", ",
                                     other.similarity_percent(), "%)"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("lead.company.name: \"", lead.company().name(), "\" is close to open leads ",
                       absl::StrJoin(names, ", "),
                       "; set confirm_not_duplicate if it is a different company"));
    }
  }
  ASSIGN_OR_RETURN(const int64_t seq, LeadRows().NextSeq(writer_));
  StampCreated(created.name, now, caller.principal, seq, &lead);
  RETURN_IF_ERROR(
      LeadRows().Insert(writer_, seq, created.id, request.request_id(), DerivedValues(lead), lead));
  RETURN_IF_ERROR(IndexName(seq, "", lead.company().normalized_name()));
  RETURN_IF_ERROR(RecordStageEntries(seq, 0, lead));
  RETURN_IF_ERROR(GatherRollupItems(writer_, seq, lead, +1, /*children=*/false, rollups));
  RETURN_IF_ERROR(changes_.Record(writer_, created.id,
                                  TimeUtil::TimestampToMicroseconds(lead.create_time()),
                                  caller.principal, "CreateLead", v1::Lead(), lead));
  return std::move(lead);
}

absl::StatusOr<v1::Lead> LeadStore::Create(const Identity& caller,
                                           const v1::CreateLeadRequest& request) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(NewLead created, CheckCreate(caller, request, now));
  v1::Lead result;
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
      RollupChanges rollups;
      ASSIGN_OR_RETURN(result, Insert(caller, std::move(created), now, &rollups));
      return rollups.Write(writer_);
    }));
  }
  return Presented(caller, now, std::move(result));
}

absl::Status LeadStore::BatchCreate(const Identity& caller,
                                    const v1::BatchCreateLeadsRequest& request,
                                    v1::BatchCreateLeadsResponse* response) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(std::vector<v1::Lead> made,
                   (CreateAllOrNone<NewLead, v1::Lead>(
                       request.requests_size(), "leads", writer_, &write_mu_,
                       [&](int i) { return CheckCreate(caller, request.requests(i), now); },
                       [&](NewLead checked, RollupChanges* changes) {
                         return Insert(caller, std::move(checked), now, changes);
                       })));
  const int64_t today = DayNumber(ChinaDayOf(now));
  const StageMedians medians = CurrentStageMedians();
  for (v1::Lead& lead : made) {
    Present(caller, today, medians, &lead);
    *response->add_leads() = std::move(lead);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Lead> LeadStore::Update(const Identity& caller,
                                           const v1::UpdateLeadRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.lead().name(), "lead.name"));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask()));
  return ChangeLead(
      caller, "UpdateLead", id, /*deleted=*/false,
      [&](const StoredLead& stored, absl::Time now, v1::Lead* merged) -> absl::Status {
        const v1::Lead& before = stored.lead;
        RETURN_IF_ERROR(CheckEtag("lead.etag", request.lead().etag(), before.etag()));
        *merged = before;
        MergeMasked(request.lead(), request.update_mask(), merged);
        // Field rules first: a transition is only judged between real stages.
        RETURN_IF_ERROR(ValidateLead(*merged, ChinaDayOf(now)));
        RETURN_IF_ERROR(CheckStageTransition(before, merged->stage()));
        if (merged->owner_department() != before.owner_department()) {
          RETURN_IF_ERROR(CheckCanChange(caller, merged->owner_department(), before.name()));
        }
        ApplyConsequences(&before, now, merged);
        RETURN_IF_ERROR(CheckStageFacts(*merged));
        if (merged->company().uscc() != before.company().uscc()) {
          RETURN_IF_ERROR(CheckUsccFree(merged->company().uscc(), stored.row.seq));
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Lead> LeadStore::Delete(const Identity& caller,
                                           const v1::DeleteLeadRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.name(), "name"));
  return ChangeLead(caller, "DeleteLead", id, /*deleted=*/false,
                    [&](const StoredLead& stored, absl::Time now, v1::Lead* next) -> absl::Status {
                      RETURN_IF_ERROR(CheckEtag("etag", request.etag(), stored.lead.etag()));
                      *next = SoftDeleted(stored.lead, now);
                      return absl::OkStatus();
                    });
}

absl::StatusOr<v1::Lead> LeadStore::Undelete(const Identity& caller,
                                             const v1::UndeleteLeadRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.name(), "name"));
  return ChangeLead(caller, "UndeleteLead", id, /*deleted=*/true,
                    [](const StoredLead& stored, absl::Time, v1::Lead* next) {
                      *next = Restored(stored.lead);
                      return absl::OkStatus();
                    });
}

absl::StatusOr<v1::FundsEntry> LeadStore::RecordFunds(const Identity& caller,
                                                      const v1::RecordFundsRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.parent(), "parent"));
  return AppendChild<v1::FundsEntry>(
      caller, "RecordFunds", id, request.request_id(), "fundsEntries", "funds_entries",
      [&](const StoredLead& stored, absl::Time now, v1::FundsEntry* entry, v1::Lead* next,
          std::vector<std::pair<std::string, SqlArg>>* extra) -> absl::Status {
        *entry = request.funds_entry();
        RETURN_IF_ERROR(ValidateFundsEntry(*entry, stored.lead, ChinaDayOf(now)));
        entry->set_recorder(caller.principal);
        *entry->mutable_create_time() = TimestampOf(now);
        // Checked not to overflow by ValidateFundsEntry.
        next->set_arrived_investment_yuan(next->arrived_investment_yuan() + entry->amount_yuan());
        *extra = {{"lead_seq", stored.row.seq},
                  {"arrival_day", DayNumber(*ToCivilDay(entry->arrival_date()))},
                  {"amount_yuan", entry->amount_yuan()}};
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Activity> LeadStore::LogActivity(const Identity& caller,
                                                    const v1::LogActivityRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseLeadName(request.parent(), "parent"));
  // An activity's rules do not depend on the lead: checked before the lock.
  RETURN_IF_ERROR(ValidateActivity(request.activity(), ChinaDayOf(options_.now())));
  return AppendChild<v1::Activity>(
      caller, "LogActivity", id, request.request_id(), "activities", "activities",
      [&](const StoredLead&, absl::Time now, v1::Activity* activity, v1::Lead* next,
          std::vector<std::pair<std::string, SqlArg>>*) -> absl::Status {
        *activity = request.activity();
        activity->set_recorder(caller.principal);
        *activity->mutable_create_time() = TimestampOf(now);
        ApplyActivity(*activity, next);
        return absl::OkStatus();
      });
}

}  // namespace jiangan::investment
