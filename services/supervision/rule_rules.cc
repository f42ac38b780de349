#include "services/supervision/rule_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/field_masks.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan::supervision {
namespace {

constexpr int kMaxWorkingDays = 250;

const OutputOnlyFields& RuleOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name",    "last_evaluate_time", "opened_ticket_count", "creator", "updater",
      "create_time", "update_time",    "etag"};
  return *fields;
}

absl::Status CheckWorkingDays(absl::string_view field, int value, int min) {
  if (value < min || value > kMaxWorkingDays) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", min, " to ", kMaxWorkingDays, ", got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRule(const v1::Rule& rule) {
  RETURN_IF_ERROR(CheckLength("rule.display_name", rule.display_name(), 1, 100));
  RETURN_IF_ERROR(CheckEnum("rule.condition", rule.condition(), v1::RuleCondition_IsValid,
                            /*required=*/true));
  RETURN_IF_ERROR(
      CheckWorkingDays("rule.in_condition_working_days", rule.in_condition_working_days(), 0));
  RETURN_IF_ERROR(
      CheckWorkingDays("rule.time_limit_working_days", rule.time_limit_working_days(), 1));
  RETURN_IF_ERROR(
      CheckEnum("rule.priority", rule.priority(), v1::Priority_IsValid, /*required=*/true));
  RETURN_IF_ERROR(CheckLength("rule.demand", rule.demand(), 1, 4000));
  RETURN_IF_ERROR(CheckLength("rule.issuer_department", rule.issuer_department(), 1, 100));
  RETURN_IF_ERROR(CheckLength("rule.issuing_leader", rule.issuing_leader(), 0, 50));
  return CheckLength("rule.escalate_to", rule.escalate_to(), 0, 100);
}

void ApplyRuleDefaults(v1::Rule* rule) {
  if (rule->priority() == v1::PRIORITY_UNSPECIFIED) rule->set_priority(v1::NORMAL);
}

absl::Status CheckRuleUpdateMask(const google::protobuf::FieldMask& mask) {
  return CheckUpdateMask(mask, v1::Rule::descriptor(), RuleOutputOnly());
}

void ClearRuleOutputOnlyFields(v1::Rule* rule) { ClearOutputOnly(RuleOutputOnly(), rule); }

v1::Ticket TicketForRule(const v1::Rule& rule, const v1::Subject& subject) {
  v1::Ticket ticket;
  std::string title = absl::StrCat("关于“", subject.display_name(), "”的督办单");
  // A long record name leaves the rule's own name as the title.
  if (Utf8Length(title) > 200) title = rule.display_name();
  ticket.set_title(title);
  *ticket.mutable_subject() = subject;
  ticket.set_demand(rule.demand());
  ticket.set_issuer_department(rule.issuer_department());
  ticket.set_issuing_leader(rule.issuing_leader());
  ticket.set_assignee_department(subject.department());
  ticket.set_priority(rule.priority());
  ticket.set_time_limit_working_days(rule.time_limit_working_days());
  ticket.set_escalate_to(rule.escalate_to());
  ticket.set_rule(rule.name());
  return ticket;
}

}  // namespace jiangan::supervision
