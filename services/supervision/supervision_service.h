// The gRPC face of the supervision service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the store.
// It also runs the escalation sweep on a schedule.
#ifndef JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include <memory>
#include <string>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/periodic_task.h"
#include "common/runtime/verified_call.h"
#include "jiangan/supervision/v1/supervision.grpc.pb.h"
#include "common/storage/sql_writer.h"
#include "services/supervision/notification_delivery.h"
#include "services/supervision/notification_sender.h"
#include "services/supervision/notification_store.h"
#include "services/supervision/rule_evaluation.h"
#include "services/supervision/rule_store.h"
#include "services/supervision/subject_records.h"
#include "services/supervision/ticket_store.h"

namespace jiangan::supervision {

struct SupervisionServiceOptions {
  // How often overdue tickets are checked for escalation.
  absl::Duration escalation_interval = absl::Minutes(10);
  // How often the rules are evaluated; of all replicas one runs each.
  absl::Duration rules_interval = absl::Hours(1);
  // Names this replica in the claims of scheduled evaluations.
  std::string runner;
  // How often the outbox is checked for notifications due.
  absl::Duration delivery_interval = absl::Seconds(2);
  // The hour (China time, 0 to 23) from which the day's digests go out;
  // -1 sends none.
  int digest_hour = 8;
};

// What the service is made of; it owns all of it.
struct SupervisionParts {
  // The one writer the stores share; outlives them.
  std::unique_ptr<SqlWriter> writer;
  std::unique_ptr<TicketStore> tickets;
  std::unique_ptr<RuleStore> rules;
  // The subscriptions and the outbox; the tickets tell it their events.
  std::unique_ptr<NotificationStore> notifications;
  std::unique_ptr<NotificationSender> sender;
  std::unique_ptr<SubjectRecords> subjects;
};

class SupervisionService final : public v1::SupervisionService::CallbackService {
 public:
  // `executor` must outlive the service.
  SupervisionService(SupervisionParts parts, IdentityVerifier verifier, Executor* executor,
                     const SupervisionServiceOptions& options);

  grpc::ServerUnaryReactor* GetTicket(grpc::CallbackServerContext* context,
                                      const v1::GetTicketRequest* request,
                                      v1::Ticket* response) override;
  grpc::ServerUnaryReactor* ListTickets(grpc::CallbackServerContext* context,
                                        const v1::ListTicketsRequest* request,
                                        v1::ListTicketsResponse* response) override;
  grpc::ServerUnaryReactor* CreateTicket(grpc::CallbackServerContext* context,
                                         const v1::CreateTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* UpdateTicket(grpc::CallbackServerContext* context,
                                         const v1::UpdateTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* AcceptTicket(grpc::CallbackServerContext* context,
                                         const v1::AcceptTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* RespondTicket(grpc::CallbackServerContext* context,
                                          const v1::RespondTicketRequest* request,
                                          v1::TicketResponse* response) override;
  grpc::ServerUnaryReactor* ReturnTicket(grpc::CallbackServerContext* context,
                                         const v1::ReturnTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* CloseTicket(grpc::CallbackServerContext* context,
                                        const v1::CloseTicketRequest* request,
                                        v1::Ticket* response) override;
  grpc::ServerUnaryReactor* CancelTicket(grpc::CallbackServerContext* context,
                                         const v1::CancelTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* ListTicketResponses(
      grpc::CallbackServerContext* context, const v1::ListTicketResponsesRequest* request,
      v1::ListTicketResponsesResponse* response) override;
  grpc::ServerUnaryReactor* ListTicketHistory(grpc::CallbackServerContext* context,
                                              const v1::ListTicketHistoryRequest* request,
                                              v1::ListTicketHistoryResponse* response) override;
  grpc::ServerUnaryReactor* GetWorkCalendar(grpc::CallbackServerContext* context,
                                            const v1::GetWorkCalendarRequest* request,
                                            v1::WorkCalendar* response) override;
  grpc::ServerUnaryReactor* ListWorkCalendars(grpc::CallbackServerContext* context,
                                              const v1::ListWorkCalendarsRequest* request,
                                              v1::ListWorkCalendarsResponse* response) override;
  grpc::ServerUnaryReactor* GetRule(grpc::CallbackServerContext* context,
                                    const v1::GetRuleRequest* request,
                                    v1::Rule* response) override;
  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const v1::ListRulesRequest* request,
                                      v1::ListRulesResponse* response) override;
  grpc::ServerUnaryReactor* CreateRule(grpc::CallbackServerContext* context,
                                       const v1::CreateRuleRequest* request,
                                       v1::Rule* response) override;
  grpc::ServerUnaryReactor* UpdateRule(grpc::CallbackServerContext* context,
                                       const v1::UpdateRuleRequest* request,
                                       v1::Rule* response) override;
  grpc::ServerUnaryReactor* ListRuleHistory(grpc::CallbackServerContext* context,
                                            const v1::ListRuleHistoryRequest* request,
                                            v1::ListRuleHistoryResponse* response) override;
  grpc::ServerUnaryReactor* EvaluateRules(grpc::CallbackServerContext* context,
                                          const v1::EvaluateRulesRequest* request,
                                          v1::EvaluateRulesResponse* response) override;
  grpc::ServerUnaryReactor* GetSubscription(grpc::CallbackServerContext* context,
                                            const v1::GetSubscriptionRequest* request,
                                            v1::Subscription* response) override;
  grpc::ServerUnaryReactor* ListSubscriptions(grpc::CallbackServerContext* context,
                                              const v1::ListSubscriptionsRequest* request,
                                              v1::ListSubscriptionsResponse* response) override;
  grpc::ServerUnaryReactor* CreateSubscription(grpc::CallbackServerContext* context,
                                               const v1::CreateSubscriptionRequest* request,
                                               v1::Subscription* response) override;
  grpc::ServerUnaryReactor* UpdateSubscription(grpc::CallbackServerContext* context,
                                               const v1::UpdateSubscriptionRequest* request,
                                               v1::Subscription* response) override;
  grpc::ServerUnaryReactor* ListNotifications(grpc::CallbackServerContext* context,
                                              const v1::ListNotificationsRequest* request,
                                              v1::ListNotificationsResponse* response) override;
  grpc::ServerUnaryReactor* ReplayNotification(grpc::CallbackServerContext* context,
                                               const v1::ReplayNotificationRequest* request,
                                               v1::Notification* response) override;
  grpc::ServerUnaryReactor* SummarizeDepartments(
      grpc::CallbackServerContext* context, const v1::SummarizeDepartmentsRequest* request,
      v1::SummarizeDepartmentsResponse* response) override;
  grpc::ServerUnaryReactor* ExportScorecard(grpc::CallbackServerContext* context,
                                            const v1::SummarizeDepartmentsRequest* request,
                                            type::v1::File* response) override;

 private:
  // Writes the day's digests once per day across replicas, from the digest
  // hour on.
  absl::Status WriteDigests(int digest_hour);

  const SupervisionParts parts_;
  TicketStore* const store_;
  RuleStore* const rules_;
  NotificationStore* const notifications_;
  RuleEvaluator evaluator_;
  NotificationDelivery delivery_;
  const std::string runner_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
  // Last: stopped first, while the stores they use still stand.
  PeriodicTask escalations_;
  PeriodicTask evaluations_;
  PeriodicTask deliveries_;
  PeriodicTask digests_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
