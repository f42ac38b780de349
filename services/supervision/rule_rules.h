// The rules of the rules that open tickets by themselves: their fields,
// their update masks, and the ticket a rule opens for a record in its
// condition. Pure: no I/O.
#ifndef JIANGAN_SERVICES_SUPERVISION_RULE_RULES_H_
#define JIANGAN_SERVICES_SUPERVISION_RULE_RULES_H_

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// Checks every caller-settable field of `rule` (after the defaults).
absl::Status ValidateRule(const v1::Rule& rule);

// Fills the defaults a rule is made with: NORMAL priority.
void ApplyRuleDefaults(v1::Rule* rule);

// INVALID_ARGUMENT unless `mask` names at least one field, all of them
// caller-settable fields of Rule.
absl::Status CheckRuleUpdateMask(const google::protobuf::FieldMask& mask);

// Clears every output-only field, so what a caller sent in them is ignored.
void ClearRuleOutputOnlyFields(v1::Rule* rule);

// The ticket `rule` opens about `subject` (a record in its condition, its
// display name and department filled): to the record's department, in the
// rule's issuer's name, with its demand, priority and time limit, marked as
// the rule's.
v1::Ticket TicketForRule(const v1::Rule& rule, const v1::Subject& subject);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_RULE_RULES_H_
