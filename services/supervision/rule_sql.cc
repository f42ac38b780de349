#include "services/supervision/rule_sql.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

constexpr SqlColumn kDerivedColumns[] = {{"deleted", "INTEGER NOT NULL"},
                                         {"enabled", "INTEGER NOT NULL"},
                                         {"condition", "INTEGER NOT NULL"}};

}  // namespace

const ResourceRows& RuleRows() {
  static const auto* rows = new ResourceRows("rules", "rule_payloads", kDerivedColumns);
  return *rows;
}

std::vector<SqlArg> DerivedValues(const v1::Rule& rule) {
  return {int64_t{0}, int64_t{rule.enabled()}, int64_t{rule.condition()}};
}

const ChangeLog& RuleChanges() {
  // What evaluations stamp is bookkeeping, not a change of the rule.
  static const auto* changes =
      new ChangeLog("rule_changes", "rule_id", v1::Rule::descriptor(),
                    {"update_time", "etag", "updater", "last_evaluate_time",
                     "opened_ticket_count"});
  return *changes;
}

std::string RuleSchemaSql() {
  return absl::StrCat(
      RuleRows().SchemaSql(), RuleChanges().SchemaSql(),
      "CREATE TABLE IF NOT EXISTS rule_sightings (rule_id TEXT NOT NULL, subject TEXT NOT NULL, "
      "first_seen_day INTEGER NOT NULL, PRIMARY KEY (rule_id, subject));"
      // The scheduled work claimed, one row per job and slot (see
      // scheduled_runs.h).
      "CREATE TABLE IF NOT EXISTS scheduled_runs (job TEXT NOT NULL, slot INTEGER NOT NULL, "
      "runner TEXT NOT NULL, start_us INTEGER NOT NULL, PRIMARY KEY (job, slot));");
}

}  // namespace jiangan::supervision
