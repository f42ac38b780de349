// The gRPC face of the supervision service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the store.
// It also runs the escalation sweep on a schedule.
#ifndef JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include <memory>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/periodic_task.h"
#include "common/runtime/verified_call.h"
#include "jiangan/supervision/v1/supervision.grpc.pb.h"
#include "services/supervision/subject_records.h"
#include "services/supervision/ticket_store.h"

namespace jiangan::supervision {

struct SupervisionServiceOptions {
  // How often overdue tickets are checked for escalation.
  absl::Duration escalation_interval = absl::Minutes(10);
};

class SupervisionService final : public v1::SupervisionService::CallbackService {
 public:
  // `executor` must outlive the service.
  SupervisionService(std::unique_ptr<TicketStore> store, std::unique_ptr<SubjectRecords> subjects,
                     IdentityVerifier verifier, Executor* executor,
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

 private:
  const std::unique_ptr<TicketStore> store_;
  const std::unique_ptr<SubjectRecords> subjects_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
  // Last: stopped first, while the store it uses still stands.
  PeriodicTask escalations_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
