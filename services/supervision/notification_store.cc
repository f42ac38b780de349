#include "services/supervision/notification_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/storage/resource_page.h"
#include "google/protobuf/util/time_util.h"
#include "services/supervision/notification_rules.h"
#include "services/supervision/notification_sql.h"
#include "services/supervision/supervision_schema.h"

namespace jiangan::supervision {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kSubscriptions[] = "subscriptions";
constexpr char kNotifications[] = "notifications";

absl::Span<const OrderField> CreationOrder() {
  static constexpr OrderField kFields[] = {{"create_time", "seq"}};
  return kFields;
}

// The enabled subscriptions, read on `db` (inside a transaction or not).
absl::StatusOr<std::vector<v1::Subscription>> EnabledSubscriptions(SqlDb* db) {
  std::vector<v1::Subscription> subscriptions;
  ASSIGN_OR_RETURN(SqlStatement enabled, db->Prepare(EnabledSubscriptionsSql()));
  while (true) {
    ASSIGN_OR_RETURN(const bool row, enabled.Step());
    if (!row) break;
    subscriptions.emplace_back();
    RETURN_IF_ERROR(ResourceRows::Decode(enabled, &subscriptions.back()));
  }
  return subscriptions;
}

bool HearsDigests(const v1::Subscription& subscription) {
  return subscription.events().empty() ||
         std::find(subscription.events().begin(), subscription.events().end(),
                   v1::DAILY_DIGEST) != subscription.events().end();
}

}  // namespace

NotificationStore::NotificationStore(SqlWriter* writer, NotificationStoreOptions options)
    : writer_(writer),
      db_(writer->db()),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      readers_(std::make_unique<SqlReaderPool>()) {}

NotificationStore::~NotificationStore() = default;

absl::StatusOr<std::unique_ptr<NotificationStore>> NotificationStore::Open(
    SqlWriter* writer, NotificationStoreOptions options) {
  std::unique_ptr<NotificationStore> store(new NotificationStore(writer, std::move(options)));
  RETURN_IF_ERROR(MigrateSupervisionSchema(writer->db()));
  RETURN_IF_ERROR(
      store->readers_->Open(*writer->db(), std::max(1, store->options_.reader_connections)));
  return store;
}

// ---- Subscriptions ----------------------------------------------------------

absl::StatusOr<v1::Subscription> NotificationStore::GetSubscription(
    const v1::GetSubscriptionRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseResourceName(request.name(), kSubscriptions, "name"));
  v1::Subscription subscription;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) {
    return SubscriptionRows()
        .FindExisting(db, kSubscriptions, id, /*deleted=*/false, &subscription)
        .status();
  }));
  return Shown(std::move(subscription));
}

absl::Status NotificationStore::ListSubscriptions(const v1::ListSubscriptionsRequest& request,
                                                  v1::ListSubscriptionsResponse* response) const {
  SqlWhere where;
  where.And("deleted = 0");
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), "",
        {ResourceRows::kColumns, SubscriptionRows().source(), CreationOrder()}, std::move(where),
        [&](const SqlStatement& row) -> absl::Status {
          v1::Subscription subscription;
          RETURN_IF_ERROR(ResourceRows::Decode(row, &subscription));
          *response->add_subscriptions() = Shown(std::move(subscription));
          return absl::OkStatus();
        },
        response->mutable_next_page_token());
  });
}

absl::StatusOr<v1::Subscription> NotificationStore::CreateSubscription(
    const Identity& caller, const v1::CreateSubscriptionRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ResolveNewId(request.subscription_id(), "subscription_id",
                                                      request.request_id()));
  v1::Subscription subscription = request.subscription();
  ClearSubscriptionOutputOnlyFields(&subscription);
  RETURN_IF_ERROR(ValidateSubscription(subscription));
  RETURN_IF_ERROR(CheckMayKeepSubscription(caller, subscription));
  const absl::Time now = options_.now();
  const std::string name = absl::StrCat(kSubscriptions, "/", id);
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      v1::Subscription earlier;
      ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                       SubscriptionRows().Find(db_, "request_id", request.request_id(), &earlier));
      if (found.has_value()) {
        subscription = std::move(earlier);
        return absl::OkStatus();
      }
    }
    RETURN_IF_ERROR(SubscriptionRows().CheckIdFree(db_, id, name));
    ASSIGN_OR_RETURN(const int64_t seq, SubscriptionRows().NextSeq(db_));
    StampCreated(name, now, caller.principal, seq, &subscription);
    RETURN_IF_ERROR(SubscriptionRows().Insert(db_, seq, id, request.request_id(),
                                              DerivedValues(subscription), subscription));
    return SubscriptionChanges().Record(
        db_, id, TimeUtil::TimestampToMicroseconds(subscription.create_time()), caller.principal,
        "CreateSubscription", v1::Subscription(), subscription);
  }));
  return Shown(std::move(subscription));
}

absl::StatusOr<v1::Subscription> NotificationStore::UpdateSubscription(
    const Identity& caller, const v1::UpdateSubscriptionRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseResourceName(request.subscription().name(),
                                                           kSubscriptions, "subscription.name"));
  RETURN_IF_ERROR(CheckSubscriptionUpdateMask(request.update_mask()));
  const absl::Time now = options_.now();
  v1::Subscription next;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    v1::Subscription before;
    ASSIGN_OR_RETURN(const StoredRow row, SubscriptionRows().FindExisting(
                                              db_, kSubscriptions, id, /*deleted=*/false, &before));
    RETURN_IF_ERROR(CheckMayKeepSubscription(caller, before));
    RETURN_IF_ERROR(
        CheckEtag("subscription.etag", request.subscription().etag(), before.etag()));
    next = before;
    MergeMasked(request.subscription(), request.update_mask(), &next);
    // A webhook sent without its secret keeps the one kept.
    if (next.has_webhook() && before.has_webhook() && next.webhook().secret().empty()) {
      next.mutable_webhook()->set_secret(before.webhook().secret());
    }
    if (next.has_webhook()) next.mutable_webhook()->clear_secret_set();
    RETURN_IF_ERROR(ValidateSubscription(next));
    next.set_updater(caller.principal);
    *next.mutable_update_time() = TimestampOf(now);
    next.set_etag(VersionEtag(row.seq, row.version + 1));
    RETURN_IF_ERROR(
        SubscriptionRows().Update(db_, row.seq, row.version + 1, DerivedValues(next), next));
    return SubscriptionChanges().Record(db_, id,
                                        TimeUtil::TimestampToMicroseconds(next.update_time()),
                                        caller.principal, "UpdateSubscription", before, next);
  }));
  return Shown(std::move(next));
}

// ---- The outbox ---------------------------------------------------------------

absl::Status NotificationStore::Enqueue(SqlDb* db, v1::Notification notification) const {
  v1::Notification earlier;
  ASSIGN_OR_RETURN(
      const std::optional<StoredRow> found,
      NotificationRows().Find(db, "request_id", notification.idempotency_key(), &earlier));
  if (found.has_value()) return absl::OkStatus();
  const absl::Time now = options_.now();
  const std::string id = GenerateResourceId();
  notification.set_name(absl::StrCat(kNotifications, "/", id));
  *notification.mutable_create_time() = TimestampOf(now);
  *notification.mutable_next_attempt_time() = TimestampOf(now);
  ASSIGN_OR_RETURN(const int64_t seq, NotificationRows().NextSeq(db));
  return NotificationRows().Insert(db, seq, id, notification.idempotency_key(),
                                   DerivedValues(notification), notification);
}

absl::Status NotificationStore::Record(SqlDb* db, v1::NotificationEvent event,
                                       const v1::Ticket& ticket) const {
  ASSIGN_OR_RETURN(const std::vector<v1::Subscription> subscriptions, EnabledSubscriptions(db));
  for (const v1::Subscription& subscription : subscriptions) {
    if (!Hears(subscription, event, ticket)) continue;
    RETURN_IF_ERROR(Enqueue(db, ComposeTicketNotification(event, ticket, subscription)));
  }
  return absl::OkStatus();
}

absl::Status NotificationStore::RecordDigests(
    absl::CivilDay day,
    const std::function<absl::StatusOr<std::string>(const std::string& department)>& summarize) {
  ASSIGN_OR_RETURN(const std::vector<v1::Subscription> subscriptions,
                   readers_->With([](SqlDb* db) { return EnabledSubscriptions(db); }));
  const std::string date = FormatDate(FromCivilDay(day));
  for (const v1::Subscription& subscription : subscriptions) {
    if (!HearsDigests(subscription)) continue;
    ASSIGN_OR_RETURN(const std::string text, summarize(subscription.department()));
    v1::Notification digest;
    digest.set_event(v1::DAILY_DIGEST);
    digest.set_subscription(subscription.name());
    digest.set_department(subscription.department());
    digest.set_title(absl::StrCat("【督办日报】", subscription.department(), " ", date));
    digest.set_text(text);
    digest.set_idempotency_key(absl::StrCat("digest/", date, "/", subscription.name()));
    digest.set_state(v1::PENDING);
    RETURN_IF_ERROR(writer_->Transact([&] { return Enqueue(db_, digest); }));
  }
  return absl::OkStatus();
}

absl::Status NotificationStore::ListNotifications(const v1::ListNotificationsRequest& request,
                                                  v1::ListNotificationsResponse* response) const {
  SqlWhere where;
  where.And("deleted = 0");
  if (request.filter().states_size() > 0) {
    ASSIGN_OR_RETURN(const std::string list, EnumList("filter.states", request.filter().states(),
                                                      v1::DeliveryState_IsValid));
    where.And(absl::StrCat("state IN ", list));
  }
  if (!request.filter().subscription().empty()) {
    where.And("subscription = ?", {request.filter().subscription()});
  }
  if (!request.filter().ticket().empty()) where.And("ticket = ?", {request.filter().ticket()});
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), "create_time desc",
        {ResourceRows::kColumns, NotificationRows().source(), CreationOrder()}, std::move(where),
        [&](const SqlStatement& row) {
          return ResourceRows::Decode(row, response->add_notifications());
        },
        response->mutable_next_page_token());
  });
}

absl::StatusOr<v1::Notification> NotificationStore::Replay(
    const v1::ReplayNotificationRequest& request) {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseResourceName(request.name(), kNotifications, "name"));
  const absl::Time now = options_.now();
  v1::Notification notification;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const StoredRow row, NotificationRows().FindExisting(
                                              db_, kNotifications, id, false, &notification));
    if (notification.state() != v1::DEAD) {
      return absl::FailedPreconditionError(absl::StrCat(
          request.name(), " is ", v1::DeliveryState_Name(notification.state()),
          ": only a DEAD notification is replayed"));
    }
    notification.set_state(v1::PENDING);
    notification.set_attempts(0);
    *notification.mutable_next_attempt_time() = TimestampOf(now);
    return NotificationRows().Update(db_, row.seq, row.version + 1, DerivedValues(notification),
                                     notification);
  }));
  return notification;
}

// ---- Delivery -----------------------------------------------------------------

absl::StatusOr<std::vector<ClaimedNotification>> NotificationStore::ClaimDue(int limit) {
  const int64_t now_us = absl::ToUnixMicros(options_.now());
  std::vector<ClaimedNotification> claimed;
  RETURN_IF_ERROR(writer_->Transact([&]() -> absl::Status {
    claimed.clear();
    std::vector<std::pair<int64_t, std::string>> due;
    {
      ASSIGN_OR_RETURN(SqlStatement select, db_->Prepare(DueNotificationsSql(limit)));
      select.BindInt64(1, now_us);
      select.BindInt64(2, now_us);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, select.Step());
        if (!row) break;
        due.emplace_back(select.ColumnInt64(0), select.ColumnText(1));
      }
    }
    if (due.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(const std::vector<v1::Subscription> subscriptions,
                     EnabledSubscriptions(db_));
    for (const auto& [seq, id] : due) {
      ClaimedNotification item;
      item.seq = seq;
      item.id = id;
      RETURN_IF_ERROR(NotificationRows()
                          .FindExisting(db_, kNotifications, id, false, &item.notification)
                          .status());
      for (const v1::Subscription& subscription : subscriptions) {
        if (subscription.name() == item.notification.subscription()) {
          item.subscription = subscription;
        }
      }
      ASSIGN_OR_RETURN(SqlStatement lease, db_->Prepare(kLeaseNotificationSql));
      lease.BindInt64(1, now_us + absl::ToInt64Microseconds(options_.lease));
      lease.BindInt64(2, seq);
      RETURN_IF_ERROR(lease.Run());
      claimed.push_back(std::move(item));
    }
    return absl::OkStatus();
  }));
  return claimed;
}

absl::Status NotificationStore::Settle(const ClaimedNotification& claimed,
                                       const absl::Status& delivery) {
  const absl::Time now = options_.now();
  return writer_->Transact([&]() -> absl::Status {
    v1::Notification notification;
    ASSIGN_OR_RETURN(const StoredRow row,
                     NotificationRows().FindExisting(db_, kNotifications, claimed.id, false,
                                                     &notification));
    // Settled already (a lease that ran out, another replica's delivery).
    if (notification.state() != v1::PENDING) return absl::OkStatus();
    notification.set_attempts(notification.attempts() + 1);
    if (delivery.ok()) {
      notification.set_state(v1::DELIVERED);
      notification.clear_last_error();
      notification.clear_next_attempt_time();
      *notification.mutable_deliver_time() = TimestampOf(now);
    } else {
      notification.set_last_error(std::string(delivery.message()));
      if (notification.attempts() >= options_.max_attempts) {
        notification.set_state(v1::DEAD);
        notification.clear_next_attempt_time();
      } else {
        *notification.mutable_next_attempt_time() =
            TimestampOf(now + RetryDelay(notification.attempts()));
      }
    }
    return NotificationRows().Update(db_, row.seq, row.version + 1, DerivedValues(notification),
                                     notification);
  });
}

}  // namespace jiangan::supervision
