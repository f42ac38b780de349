#include "services/supervision/rule_evaluation.h"

#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/logging.h"
#include "common/base/status_macros.h"
#include "services/supervision/scheduled_runs.h"

namespace jiangan::supervision {

RuleEvaluator::RuleEvaluator(SqlWriter* writer, RuleStore* rules, TicketStore* tickets,
                             const SubjectRecords* subjects, std::string runner)
    : writer_(writer),
      rules_(rules),
      tickets_(tickets),
      subjects_(subjects),
      runner_(std::move(runner)) {}

absl::Status RuleEvaluator::Evaluate(const v1::Rule& rule,
                                     const grpc::CallbackServerContext* incoming,
                                     const Identity& caller, v1::RuleOutcome* outcome) {
  outcome->set_rule(rule.name());
  ASSIGN_OR_RETURN(const std::vector<v1::Subject> in_condition,
                   subjects_->FindInCondition(rule.condition(), incoming, caller));
  outcome->set_in_condition(static_cast<int>(in_condition.size()));
  std::vector<std::string> resources;
  for (const v1::Subject& subject : in_condition) resources.push_back(subject.resource());
  const absl::CivilDay today = ChinaDayOf(absl::Now());
  ASSIGN_OR_RETURN(const auto first_seen, rules_->RecordSightings(rule.name(), resources, today));
  int opened = 0;
  for (const v1::Subject& subject : in_condition) {
    const absl::CivilDay since = first_seen.at(subject.resource());
    if (tickets_->calendar().WorkingDaysBetween(since, today) <
        rule.in_condition_working_days()) {
      outcome->set_waiting(outcome->waiting() + 1);
      continue;
    }
    if (subject.department().empty()) {
      outcome->add_unassignable(subject.resource());
      continue;
    }
    ASSIGN_OR_RETURN(const std::optional<v1::Ticket> ticket,
                     tickets_->OpenForRule(rule, subject));
    if (!ticket.has_value()) {
      outcome->set_already_open(outcome->already_open() + 1);
      continue;
    }
    outcome->add_opened_tickets(ticket->name());
    ++opened;
  }
  return rules_->MarkEvaluated(rule.name(), opened);
}

absl::StatusOr<v1::EvaluateRulesResponse> RuleEvaluator::EvaluateAll(
    const grpc::CallbackServerContext* incoming, const Identity& caller) {
  ASSIGN_OR_RETURN(const std::vector<v1::Rule> rules, rules_->EnabledRules());
  v1::EvaluateRulesResponse response;
  absl::btree_set<std::string> unreachable;
  for (const v1::Rule& rule : rules) {
    v1::RuleOutcome* outcome = response.add_outcomes();
    const absl::Status evaluated = Evaluate(rule, incoming, caller, outcome);
    if (evaluated.ok()) continue;
    // A service that cannot answer fails its rules only.
    if (evaluated.code() != absl::StatusCode::kUnavailable &&
        evaluated.code() != absl::StatusCode::kDeadlineExceeded &&
        evaluated.code() != absl::StatusCode::kFailedPrecondition) {
      return evaluated;
    }
    outcome->set_error(std::string(evaluated.message()));
    const absl::string_view message = evaluated.message();
    unreachable.insert(std::string(message.substr(0, message.find(':'))));
  }
  for (const std::string& service : unreachable) response.add_unreachable(service);
  return response;
}

absl::StatusOr<bool> RuleEvaluator::EvaluateScheduled(absl::Duration interval) {
  const int64_t slot = absl::ToUnixMicros(absl::Now()) / absl::ToInt64Microseconds(interval);
  ASSIGN_OR_RETURN(const bool claimed,
                   ClaimScheduledRun(writer_, "evaluate_rules", slot, runner_, absl::Now()));
  if (!claimed) return false;
  // The service's own reads: a viewer of everything, no department.
  const Identity service{"system", "", Role::kViewer};
  ASSIGN_OR_RETURN(const v1::EvaluateRulesResponse response, EvaluateAll(nullptr, service));
  int opened = 0;
  for (const v1::RuleOutcome& outcome : response.outcomes()) opened += outcome.opened_tickets_size();
  Log(LogLevel::kInfo, "rules_evaluated",
      {{"slot", absl::StrCat(slot)},
       {"rules", absl::StrCat(response.outcomes_size())},
       {"opened", absl::StrCat(opened)},
       {"unreachable", absl::StrCat(response.unreachable_size())}});
  return true;
}

}  // namespace jiangan::supervision
