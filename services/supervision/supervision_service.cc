#include "services/supervision/supervision_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/logging.h"

namespace jiangan::supervision {

SupervisionService::SupervisionService(SupervisionParts parts, IdentityVerifier verifier,
                                       Executor* executor,
                                       const SupervisionServiceOptions& options)
    : parts_(std::move(parts)),
      store_(parts_.tickets.get()),
      rules_(parts_.rules.get()),
      evaluator_(rules_, store_, parts_.subjects.get(), options.runner),
      verifier_(std::move(verifier)),
      calls_(&verifier_, executor),
      escalations_("escalate_overdue_tickets", absl::Seconds(1), options.escalation_interval,
                   [this]() -> absl::Status {
                     absl::StatusOr<int> escalated = store_->EscalateOverdue();
                     if (escalated.ok() && *escalated > 0) {
                       Log(LogLevel::kInfo, "tickets_escalated",
                           {{"count", absl::StrCat(*escalated)}});
                     }
                     return escalated.status();
                   }),
      evaluations_("evaluate_rules", absl::Seconds(5), options.rules_interval,
                   [this, interval = options.rules_interval]() {
                     return evaluator_.EvaluateScheduled(interval).status();
                   }) {}

grpc::ServerUnaryReactor* SupervisionService::GetTicket(grpc::CallbackServerContext* context,
                                                        const v1::GetTicketRequest* request,
                                                        v1::Ticket* response) {
  return calls_.Serve(context, ReadAccess("GetTicket"), [this, request, response](const Identity&) {
    return FillResponse(store_->Get(*request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListTickets(grpc::CallbackServerContext* context,
                                                          const v1::ListTicketsRequest* request,
                                                          v1::ListTicketsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTickets"), [this, request, response](const Identity&) {
    return store_->List(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::CreateTicket(grpc::CallbackServerContext* context,
                                                           const v1::CreateTicketRequest* request,
                                                           v1::Ticket* response) {
  return calls_.Serve(
      context, WriteAccess("CreateTicket"), [this, context, request, response](const Identity& caller) {
        return FillResponse(
            store_->Create(caller, *request,
                           [&](v1::Subject* subject) {
                             return parts_.subjects->Resolve(*context, caller, subject);
                           }),
            response);
      });
}

grpc::ServerUnaryReactor* SupervisionService::UpdateTicket(grpc::CallbackServerContext* context,
                                                           const v1::UpdateTicketRequest* request,
                                                           v1::Ticket* response) {
  return calls_.Serve(context, WriteAccess("UpdateTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::AcceptTicket(grpc::CallbackServerContext* context,
                                                           const v1::AcceptTicketRequest* request,
                                                           v1::Ticket* response) {
  return calls_.Serve(context, WriteAccess("AcceptTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Accept(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::RespondTicket(
    grpc::CallbackServerContext* context, const v1::RespondTicketRequest* request,
    v1::TicketResponse* response) {
  return calls_.Serve(context, WriteAccess("RespondTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Respond(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ReturnTicket(grpc::CallbackServerContext* context,
                                                           const v1::ReturnTicketRequest* request,
                                                           v1::Ticket* response) {
  return calls_.Serve(context, WriteAccess("ReturnTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Return(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::CloseTicket(grpc::CallbackServerContext* context,
                                                          const v1::CloseTicketRequest* request,
                                                          v1::Ticket* response) {
  return calls_.Serve(context, WriteAccess("CloseTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Close(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::CancelTicket(grpc::CallbackServerContext* context,
                                                           const v1::CancelTicketRequest* request,
                                                           v1::Ticket* response) {
  return calls_.Serve(context, WriteAccess("CancelTicket"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Cancel(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListTicketResponses(
    grpc::CallbackServerContext* context, const v1::ListTicketResponsesRequest* request,
    v1::ListTicketResponsesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTicketResponses"), [this, request, response](const Identity&) {
    return store_->ListResponses(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListTicketHistory(
    grpc::CallbackServerContext* context, const v1::ListTicketHistoryRequest* request,
    v1::ListTicketHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTicketHistory"), [this, request, response](const Identity&) {
    return store_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::GetWorkCalendar(
    grpc::CallbackServerContext* context, const v1::GetWorkCalendarRequest* request,
    v1::WorkCalendar* response) {
  return calls_.Serve(context, ReadAccess("GetWorkCalendar"), [this, request, response](const Identity&) {
    return FillResponse(store_->GetWorkCalendar(*request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListWorkCalendars(
    grpc::CallbackServerContext* context, const v1::ListWorkCalendarsRequest* request,
    v1::ListWorkCalendarsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListWorkCalendars"), [this, request, response](const Identity&) {
    return store_->ListWorkCalendars(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::GetRule(grpc::CallbackServerContext* context,
                                                      const v1::GetRuleRequest* request,
                                                      v1::Rule* response) {
  return calls_.Serve(context, ReadAccess("GetRule"), [this, request, response](const Identity&) {
    return FillResponse(rules_->Get(*request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListRules(grpc::CallbackServerContext* context,
                                                        const v1::ListRulesRequest* request,
                                                        v1::ListRulesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListRules"), [this, request, response](const Identity&) {
    return rules_->List(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::CreateRule(grpc::CallbackServerContext* context,
                                                         const v1::CreateRuleRequest* request,
                                                         v1::Rule* response) {
  return calls_.Serve(context, AdminAccess("CreateRule"), [this, request, response](const Identity& caller) {
    return FillResponse(rules_->Create(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::UpdateRule(grpc::CallbackServerContext* context,
                                                         const v1::UpdateRuleRequest* request,
                                                         v1::Rule* response) {
  return calls_.Serve(context, AdminAccess("UpdateRule"), [this, request, response](const Identity& caller) {
    return FillResponse(rules_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListRuleHistory(
    grpc::CallbackServerContext* context, const v1::ListRuleHistoryRequest* request,
    v1::ListRuleHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListRuleHistory"), [this, request, response](const Identity&) {
    return rules_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::EvaluateRules(
    grpc::CallbackServerContext* context, const v1::EvaluateRulesRequest*,
    v1::EvaluateRulesResponse* response) {
  return calls_.Serve(context, AdminAccess("EvaluateRules"), [this, context, response](const Identity& caller) {
    return FillResponse(evaluator_.EvaluateAll(context, caller), response);
  });
}

}  // namespace jiangan::supervision
