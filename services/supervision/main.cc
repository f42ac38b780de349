// The supervision service (督办): tickets that make a department act on
// what is red, with deadlines on the official working calendar.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/file_util.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"
#include "common/runtime/service_client.h"
#include "common/runtime/service_main.h"
#include "services/supervision/supervision_service.h"

ABSL_FLAG(std::vector<std::string>, calendar_path, {"seed/calendar/official.json"},
          "The official working calendar: files, comma-separated, each a "
          "ListWorkCalendarsResponse in JSON holding the years the State Council published.");
ABSL_FLAG(std::string, targets_address, "localhost:50054",
          "The targets service, holding the targets tickets may be about (a gRPC target).");
ABSL_FLAG(std::string, renewal_address, "localhost:50051", "The renewal service (projects).");
ABSL_FLAG(std::string, investment_address, "localhost:50052", "The investment service (leads).");
ABSL_FLAG(std::string, facilities_address, "localhost:50053",
          "The facilities service (facilities).");
ABSL_FLAG(int, accept_working_days, 1, "Working days an issued ticket has to be accepted.");
ABSL_FLAG(int, yellow_working_days, 2,
          "A deadline at most this many working days away lights the YELLOW lamp.");
ABSL_FLAG(int, escalate_after_working_days, 3,
          "Working days overdue after which a ticket is escalated to its escalate_to.");
ABSL_FLAG(absl::Duration, escalation_interval, absl::Minutes(10),
          "How often overdue tickets are checked for escalation.");
ABSL_FLAG(absl::Duration, rules_interval, absl::Hours(1),
          "How often the rules are evaluated; of all replicas one runs each evaluation.");
ABSL_FLAG(absl::Duration, delivery_interval, absl::Seconds(2),
          "How often the notification outbox is checked for what is due.");
ABSL_FLAG(absl::Duration, delivery_lease, absl::Seconds(30),
          "How long a replica holds the notifications it claimed for delivery.");
ABSL_FLAG(absl::Duration, delivery_timeout, absl::Seconds(10),
          "How long one delivery (a webhook POST, an e-mail) may take.");
ABSL_FLAG(int, delivery_attempts, 8, "Attempts before a notification is a dead letter.");
ABSL_FLAG(int, digest_hour, 8,
          "The hour (China time, 0 to 23) the daily digests go out from; -1 sends none.");
ABSL_FLAG(std::string, smtp_url, "",
          "The SMTP server e-mail subscriptions go through, e.g. smtp://mail.example:587.");
ABSL_FLAG(std::string, smtp_from, "dubang@jiangan.gov.cn", "The sender of notification e-mail.");
ABSL_FLAG(std::string, smtp_username, "", "SMTP user, when the server asks for one.");
ABSL_FLAG(std::string, smtp_password_file, "", "A file holding the SMTP user's password.");
ABSL_FLAG(int, reader_connections, 2, "Database connections serving reads.");

int main(int argc, char** argv) {
  return jiangan::RunService(
      argc, argv, {"supervision", 50055, 8085, "data/supervision.db"},
      [](const jiangan::ServiceEnvironment& environment) -> absl::StatusOr<jiangan::Services> {
        namespace supervision = jiangan::supervision;
        auto calendar = supervision::LoadWorkCalendar(absl::GetFlag(FLAGS_calendar_path));
        if (!calendar.ok()) return calendar.status();
        supervision::TicketStoreOptions options;
        options.deadlines.accept_working_days = absl::GetFlag(FLAGS_accept_working_days);
        options.deadlines.yellow_working_days = absl::GetFlag(FLAGS_yellow_working_days);
        options.deadlines.escalate_after_working_days =
            absl::GetFlag(FLAGS_escalate_after_working_days);
        if (options.deadlines.accept_working_days < 0 ||
            options.deadlines.yellow_working_days < 0 ||
            options.deadlines.escalate_after_working_days < 1) {
          return absl::InvalidArgumentError(
              "--accept_working_days and --yellow_working_days: must not be negative; "
              "--escalate_after_working_days: must be at least 1");
        }
        options.page_token_key = jiangan::HmacSha256Hex(environment.identity_key, "page-tokens");
        options.reader_connections = absl::GetFlag(FLAGS_reader_connections);
        supervision::SupervisionParts parts;
        // Tickets, rules and the outbox write through one writer.
        parts.writer = std::make_unique<jiangan::SqlWriter>(environment.db);
        supervision::NotificationStoreOptions notification_options;
        notification_options.page_token_key = options.page_token_key;
        notification_options.max_attempts = absl::GetFlag(FLAGS_delivery_attempts);
        notification_options.lease = absl::GetFlag(FLAGS_delivery_lease);
        auto notifications =
            supervision::NotificationStore::Open(parts.writer.get(), notification_options);
        if (!notifications.ok()) return notifications.status();
        parts.notifications = *std::move(notifications);
        options.events = parts.notifications.get();
        supervision::SmtpSettings smtp{absl::GetFlag(FLAGS_smtp_url),
                                       absl::GetFlag(FLAGS_smtp_from),
                                       absl::GetFlag(FLAGS_smtp_username), ""};
        if (const std::string file = absl::GetFlag(FLAGS_smtp_password_file); !file.empty()) {
          auto password = jiangan::ReadFileToString(file);
          if (!password.ok()) return password.status();
          smtp.password = std::string(absl::StripAsciiWhitespace(*password));
        }
        parts.sender = std::make_unique<supervision::NotificationSender>(
            std::move(smtp), absl::GetFlag(FLAGS_delivery_timeout));
        auto tickets =
            supervision::TicketStore::Open(parts.writer.get(), *std::move(calendar), options);
        if (!tickets.ok()) return tickets.status();
        parts.tickets = *std::move(tickets);
        supervision::RuleStoreOptions rule_options;
        rule_options.page_token_key = options.page_token_key;
        auto rules = supervision::RuleStore::Open(parts.writer.get(), rule_options);
        if (!rules.ok()) return rules.status();
        parts.rules = *std::move(rules);
        auto channel = [](const std::string& address) {
          return address.empty() ? nullptr : jiangan::OpenServiceChannel(address);
        };
        parts.subjects = std::make_unique<supervision::SubjectRecords>(
            supervision::SubjectChannels{channel(absl::GetFlag(FLAGS_targets_address)),
                                         channel(absl::GetFlag(FLAGS_renewal_address)),
                                         channel(absl::GetFlag(FLAGS_investment_address)),
                                         channel(absl::GetFlag(FLAGS_facilities_address))},
            environment.identity_key);
        supervision::SupervisionServiceOptions service_options;
        service_options.escalation_interval = absl::GetFlag(FLAGS_escalation_interval);
        service_options.rules_interval = absl::GetFlag(FLAGS_rules_interval);
        service_options.delivery_interval = absl::GetFlag(FLAGS_delivery_interval);
        service_options.digest_hour = absl::GetFlag(FLAGS_digest_hour);
        if (service_options.digest_hour < -1 || service_options.digest_hour > 23 ||
            notification_options.max_attempts < 1) {
          return absl::InvalidArgumentError(
              "--digest_hour: must be -1 (none) to 23; --delivery_attempts: at least 1");
        }
        if (service_options.rules_interval < absl::Seconds(1) ||
            service_options.escalation_interval < absl::Seconds(1)) {
          return absl::InvalidArgumentError(
              "--rules_interval and --escalation_interval: must be at least 1s");
        }
        char host[256] = {};
        gethostname(host, sizeof(host) - 1);
        service_options.runner = absl::StrCat(host, ":", getpid());
        return jiangan::Serve(std::make_unique<supervision::SupervisionService>(
            std::move(parts), jiangan::IdentityVerifier(environment.identity_key),
            environment.executor, service_options));
      });
}
