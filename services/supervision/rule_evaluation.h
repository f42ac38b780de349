// Evaluating the rules: for each enabled rule, ask the service holding its
// records which are in its condition now, remember since when each has
// been, and open a ticket for each that has been in it the rule's working
// days and has none of the rule open. Run on demand by an ADMIN and on a
// schedule by the service, where of all replicas one claims each slot.
#ifndef JIANGAN_SERVICES_SUPERVISION_RULE_EVALUATION_H_
#define JIANGAN_SERVICES_SUPERVISION_RULE_EVALUATION_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "services/supervision/rule_store.h"
#include "services/supervision/subject_records.h"
#include "services/supervision/ticket_store.h"

namespace jiangan::supervision {

class RuleEvaluator {
 public:
  // Everything must outlive the evaluator. `runner` names this replica in
  // the claims of scheduled evaluations.
  RuleEvaluator(SqlWriter* writer, RuleStore* rules, TicketStore* tickets,
                const SubjectRecords* subjects, std::string runner);

  // Evaluates every enabled rule now, asking the services as `caller`
  // within `incoming`'s deadline (null for scheduled work). A rule whose
  // service cannot answer is reported in its outcome and `unreachable`, and
  // evaluated again next time; the others go on.
  absl::StatusOr<v1::EvaluateRulesResponse> EvaluateAll(
      const grpc::CallbackServerContext* incoming, const Identity& caller);

  // The scheduled evaluation of the slot of `interval` holding now: run
  // here when this replica claims the slot first, else nothing. Returns
  // whether it ran.
  absl::StatusOr<bool> EvaluateScheduled(absl::Duration interval);

 private:
  // Evaluates `rule`, filling `outcome`.
  absl::Status Evaluate(const v1::Rule& rule, const grpc::CallbackServerContext* incoming,
                        const Identity& caller, v1::RuleOutcome* outcome);

  SqlWriter* const writer_;
  RuleStore* const rules_;
  TicketStore* const tickets_;
  const SubjectRecords* const subjects_;
  const std::string runner_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_RULE_EVALUATION_H_
