#include "services/supervision/notification_rules.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan::supervision {
namespace {

const OutputOnlyFields& SubscriptionOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name", "creator", "updater", "create_time", "update_time", "etag", "webhook.secret_set"};
  return *fields;
}

absl::Status CheckWebhook(const v1::Webhook& webhook) {
  RETURN_IF_ERROR(CheckEnum("subscription.webhook.kind", webhook.kind(), v1::WebhookKind_IsValid,
                            /*required=*/true));
  RETURN_IF_ERROR(CheckLength("subscription.webhook.url", webhook.url(), 1, 2000));
  if (!absl::StartsWith(webhook.url(), "https://") && !absl::StartsWith(webhook.url(), "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "subscription.webhook.url: must be an http or https URL, got \"", webhook.url(), "\""));
  }
  RETURN_IF_ERROR(CheckLength("subscription.webhook.secret", webhook.secret(), 0, 200));
  if (webhook.kind() == v1::GENERIC_JSON && webhook.secret().empty()) {
    return absl::InvalidArgumentError(
        "subscription.webhook.secret: is required for GENERIC_JSON, whose receiver checks the "
        "HMAC-SHA256 signature");
  }
  return absl::OkStatus();
}

absl::Status CheckEmail(const v1::EmailChannel& email) {
  if (email.to_size() < 1 || email.to_size() > 20) {
    return absl::InvalidArgumentError(
        absl::StrCat("subscription.email.to: 1 to 20 addresses, got ", email.to_size()));
  }
  for (int i = 0; i < email.to_size(); ++i) {
    const std::string& address = email.to(i);
    const size_t at = address.find('@');
    const bool plain = address.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
    if (address.size() > 254 || at == std::string::npos || at == 0 ||
        at + 1 >= address.size() || !plain) {
      return absl::InvalidArgumentError(absl::StrCat(
          "subscription.email.to[", i, "]: must be an address like name@example.gov.cn, got \"",
          address, "\""));
    }
  }
  return absl::OkStatus();
}

// The department's parts in `ticket`.
std::vector<v1::DepartmentPart> PartsOf(const v1::Ticket& ticket, const std::string& department) {
  std::vector<v1::DepartmentPart> parts;
  if (ticket.assignee_department() == department) parts.push_back(v1::ASSIGNEE);
  if (ticket.issuer_department() == department) parts.push_back(v1::ISSUER);
  for (const std::string& co : ticket.co_departments()) {
    if (co == department) parts.push_back(v1::CO_DEPARTMENT);
  }
  return parts;
}

// What happened, in the words of the message.
const char* EventWords(v1::NotificationEvent event) {
  switch (event) {
    case v1::TICKET_ISSUED:
      return "已下发，请及时签收";
    case v1::TICKET_ACCEPTED:
      return "已签收";
    case v1::TICKET_RESPONDED:
      return "已反馈办理情况，请审核";
    case v1::TICKET_RETURNED:
      return "已退回，请重新办理";
    case v1::TICKET_CLOSED:
      return "已销号";
    case v1::TICKET_CANCELLED:
      return "已撤销";
    case v1::TICKET_YELLOW:
      return "临近办理时限（黄灯）";
    case v1::TICKET_RED:
      return "已超期（红灯）";
    case v1::TICKET_ESCALATED:
      return "超期未办，已报上级领导";
    default:
      return "有更新";
  }
}

}  // namespace

absl::Status ValidateSubscription(const v1::Subscription& subscription) {
  RETURN_IF_ERROR(
      CheckLength("subscription.display_name", subscription.display_name(), 1, 100));
  RETURN_IF_ERROR(CheckLength("subscription.department", subscription.department(), 1, 100));
  for (int i = 0; i < subscription.parts_size(); ++i) {
    RETURN_IF_ERROR(CheckEnum(absl::StrCat("subscription.parts[", i, "]"), subscription.parts(i),
                              v1::DepartmentPart_IsValid, /*required=*/true));
  }
  for (int i = 0; i < subscription.events_size(); ++i) {
    RETURN_IF_ERROR(CheckEnum(absl::StrCat("subscription.events[", i, "]"),
                              subscription.events(i), v1::NotificationEvent_IsValid,
                              /*required=*/true));
  }
  switch (subscription.channel_case()) {
    case v1::Subscription::kWebhook:
      return CheckWebhook(subscription.webhook());
    case v1::Subscription::kEmail:
      return CheckEmail(subscription.email());
    default:
      return absl::InvalidArgumentError(
          "subscription: set a channel, webhook or email, for notifications to go to");
  }
}

absl::Status CheckMayKeepSubscription(const Identity& caller,
                                      const v1::Subscription& subscription) {
  if (caller.role == Role::kAdmin) return absl::OkStatus();
  if (caller.role == Role::kEditor && !caller.department.empty() &&
      caller.department == subscription.department()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.principal, " (", RoleName(caller.role), " of \"", caller.department,
      "\") may not keep the subscriptions of \"", subscription.department(),
      "\": only its EDITORs or an ADMIN may"));
}

absl::Status CheckSubscriptionUpdateMask(const google::protobuf::FieldMask& mask) {
  RETURN_IF_ERROR(
      CheckUpdateMask(mask, v1::Subscription::descriptor(), SubscriptionOutputOnly()));
  for (const std::string& path : mask.paths()) {
    if (path == "department") {
      return absl::InvalidArgumentError(
          "update_mask: \"department\" cannot change; make a subscription for the other one");
    }
  }
  return absl::OkStatus();
}

void ClearSubscriptionOutputOnlyFields(v1::Subscription* subscription) {
  ClearOutputOnly(SubscriptionOutputOnly(), subscription);
}

v1::Subscription Shown(v1::Subscription subscription) {
  if (subscription.has_webhook()) {
    v1::Webhook* webhook = subscription.mutable_webhook();
    webhook->set_secret_set(!webhook->secret().empty());
    webhook->clear_secret();
  }
  return subscription;
}

v1::NotificationEvent EventOf(TicketStep step) {
  switch (step) {
    case TicketStep::kAccept:
      return v1::TICKET_ACCEPTED;
    case TicketStep::kRespond:
      return v1::TICKET_RESPONDED;
    case TicketStep::kReturn:
      return v1::TICKET_RETURNED;
    case TicketStep::kClose:
      return v1::TICKET_CLOSED;
    case TicketStep::kCancel:
      return v1::TICKET_CANCELLED;
    default:
      return v1::NOTIFICATION_EVENT_UNSPECIFIED;
  }
}

bool Hears(const v1::Subscription& subscription, v1::NotificationEvent event,
           const v1::Ticket& ticket) {
  if (!subscription.enabled()) return false;
  if (!subscription.events().empty() &&
      std::find(subscription.events().begin(), subscription.events().end(), event) ==
          subscription.events().end()) {
    return false;
  }
  for (v1::DepartmentPart part : PartsOf(ticket, subscription.department())) {
    if (subscription.parts().empty() ||
        std::find(subscription.parts().begin(), subscription.parts().end(), part) !=
            subscription.parts().end()) {
      return true;
    }
  }
  return false;
}

v1::Notification ComposeTicketNotification(v1::NotificationEvent event, const v1::Ticket& ticket,
                                           const v1::Subscription& subscription) {
  v1::Notification notification;
  notification.set_event(event);
  notification.set_ticket(ticket.name());
  notification.set_subscription(subscription.name());
  notification.set_department(subscription.department());
  notification.set_title(absl::StrCat("【督办】", ticket.title(), " ", EventWords(event)));
  std::string text = absl::StrCat("督办事项：", ticket.subject().display_name(), "\n",
                                  "督办单位：", ticket.issuer_department(), "\n",
                                  "承办单位：", ticket.assignee_department(), "\n",
                                  "办理时限：", FormatDate(ticket.deadline()), "\n");
  if (!ticket.state_history().empty()) {
    const v1::StateChange& last = *ticket.state_history().rbegin();
    if (!last.note().empty()) absl::StrAppend(&text, "说明：", last.note(), "\n");
  }
  if (event == v1::TICKET_ESCALATED && !ticket.escalate_to().empty()) {
    absl::StrAppend(&text, "报送：", ticket.escalate_to(), "\n");
  }
  absl::StrAppend(&text, "督办单：", ticket.name());
  notification.set_text(text);
  notification.set_idempotency_key(absl::StrCat(ticket.name(), "/",
                                                v1::NotificationEvent_Name(event), "/",
                                                ticket.etag(), "/", subscription.name()));
  notification.set_state(v1::PENDING);
  return notification;
}

absl::Duration RetryDelay(int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 20);
  return std::min(absl::Seconds(1) * (int64_t{1} << doublings), absl::Minutes(10));
}

}  // namespace jiangan::supervision
