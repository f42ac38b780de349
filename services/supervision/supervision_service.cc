#include "services/supervision/supervision_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/logging.h"
#include "services/supervision/scheduled_runs.h"
#include "services/supervision/scorecard_report.h"

namespace jiangan::supervision {

SupervisionService::SupervisionService(SupervisionParts parts, IdentityVerifier verifier,
                                       Executor* executor,
                                       const SupervisionServiceOptions& options)
    : parts_(std::move(parts)),
      store_(parts_.tickets.get()),
      rules_(parts_.rules.get()),
      notifications_(parts_.notifications.get()),
      evaluator_(parts_.writer.get(), rules_, store_, parts_.subjects.get(), options.runner),
      delivery_(notifications_, parts_.sender.get(), /*batch=*/50),
      runner_(options.runner),
      verifier_(std::move(verifier)),
      calls_(&verifier_, executor),
      escalations_("escalate_overdue_tickets", absl::Seconds(1), options.escalation_interval,
                   [this]() -> absl::Status {
                     absl::StatusOr<int> escalated = store_->EscalateOverdue();
                     if (escalated.ok() && *escalated > 0) {
                       Log(LogLevel::kInfo, "tickets_escalated",
                           {{"count", absl::StrCat(*escalated)}});
                     }
                     if (!escalated.ok()) return escalated.status();
                     return store_->NoticeLamps().status();
                   }),
      evaluations_("evaluate_rules", absl::Seconds(5), options.rules_interval,
                   [this, interval = options.rules_interval]() {
                     return evaluator_.EvaluateScheduled(interval).status();
                   }),
      deliveries_("deliver_notifications", options.delivery_interval,
                  options.delivery_interval,
                  [this]() { return delivery_.DeliverDue().status(); }),
      digests_("write_daily_digests", absl::Seconds(2), absl::Minutes(1),
               [this, hour = options.digest_hour]() { return WriteDigests(hour); }) {}

absl::Status SupervisionService::WriteDigests(int digest_hour) {
  const absl::Time now = absl::Now();
  const absl::CivilSecond china = absl::ToCivilSecond(now, ChinaTimeZone());
  if (digest_hour < 0 || china.hour() < digest_hour) return absl::OkStatus();
  const absl::CivilDay today(china);
  absl::StatusOr<bool> claimed =
      ClaimScheduledRun(parts_.writer.get(), "daily_digest", DayNumber(today), runner_, now);
  if (!claimed.ok() || !*claimed) return claimed.status();
  return notifications_->RecordDigests(
      today, [this](const std::string& department) { return store_->DigestOf(department); });
}

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

grpc::ServerUnaryReactor* SupervisionService::GetSubscription(
    grpc::CallbackServerContext* context, const v1::GetSubscriptionRequest* request,
    v1::Subscription* response) {
  return calls_.Serve(context, ReadAccess("GetSubscription"), [this, request, response](const Identity&) {
    return FillResponse(notifications_->GetSubscription(*request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListSubscriptions(
    grpc::CallbackServerContext* context, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListSubscriptions"), [this, request, response](const Identity&) {
    return notifications_->ListSubscriptions(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::CreateSubscription(
    grpc::CallbackServerContext* context, const v1::CreateSubscriptionRequest* request,
    v1::Subscription* response) {
  return calls_.Serve(context, WriteAccess("CreateSubscription"), [this, request, response](const Identity& caller) {
    return FillResponse(notifications_->CreateSubscription(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::UpdateSubscription(
    grpc::CallbackServerContext* context, const v1::UpdateSubscriptionRequest* request,
    v1::Subscription* response) {
  return calls_.Serve(context, WriteAccess("UpdateSubscription"), [this, request, response](const Identity& caller) {
    return FillResponse(notifications_->UpdateSubscription(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ListNotifications(
    grpc::CallbackServerContext* context, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  return calls_.Serve(context, AdminAccess("ListNotifications"), [this, request, response](const Identity&) {
    return notifications_->ListNotifications(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ReplayNotification(
    grpc::CallbackServerContext* context, const v1::ReplayNotificationRequest* request,
    v1::Notification* response) {
  return calls_.Serve(context, AdminAccess("ReplayNotification"), [this, request, response](const Identity&) {
    return FillResponse(notifications_->Replay(*request), response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::SummarizeDepartments(
    grpc::CallbackServerContext* context, const v1::SummarizeDepartmentsRequest* request,
    v1::SummarizeDepartmentsResponse* response) {
  return calls_.Serve(context, ReadAccess("SummarizeDepartments"), [this, request, response](const Identity&) {
    return store_->SummarizeDepartments(*request, response);
  });
}

grpc::ServerUnaryReactor* SupervisionService::ExportScorecard(
    grpc::CallbackServerContext* context, const v1::SummarizeDepartmentsRequest* request,
    type::v1::File* response) {
  return calls_.Serve(context, ReadAccess("ExportScorecard"), [this, request, response](const Identity&) -> absl::Status {
    v1::SummarizeDepartmentsResponse scorecard;
    RETURN_IF_ERROR(store_->SummarizeDepartments(*request, &scorecard));
    return FillResponse(ScorecardWorkbook(scorecard), response);
  });
}

}  // namespace jiangan::supervision
