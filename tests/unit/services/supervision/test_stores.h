// The supervision service's stores, as its main() makes them, on a fresh
// database of the engine under test and with the test's clock: the tickets
// tell the outbox, and the rules share the writer.
#ifndef JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TEST_STORES_H_
#define JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TEST_STORES_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/status_macros.h"
#include "common/storage/sql_writer.h"
#include "services/supervision/notification_store.h"
#include "services/supervision/rule_store.h"
#include "services/supervision/ticket_store.h"
#include "tests/support/test_database.h"
#include "tests/unit/services/supervision/ticket_test_support.h"

namespace jiangan::supervision::testing {

struct TestStores {
  // The clock every store reads; a test moves it.
  absl::Time now = At(absl::CivilDay(2025, 3, 3));
  std::unique_ptr<SqlDb> db;
  std::unique_ptr<SqlWriter> writer;
  std::unique_ptr<NotificationStore> outbox;
  std::unique_ptr<TicketStore> tickets;
  std::unique_ptr<RuleStore> rules;

  // Opens them all; an outbox with `max_attempts` delivery attempts.
  absl::Status Open(int max_attempts = 8) {
    ASSIGN_OR_RETURN(jiangan::testing::TestDatabase database,
                     jiangan::testing::TestDatabase::Create("supervision"));
    ASSIGN_OR_RETURN(db, database.Connect());
    writer = std::make_unique<SqlWriter>(db.get());
    auto clock = [this] { return now; };
    const std::string key = "a key of the test that is long enough";
    NotificationStoreOptions outbox_options;
    outbox_options.page_token_key = key;
    outbox_options.now = clock;
    outbox_options.max_attempts = max_attempts;
    ASSIGN_OR_RETURN(outbox, NotificationStore::Open(writer.get(), outbox_options));
    TicketStoreOptions ticket_options;
    ticket_options.page_token_key = key;
    ticket_options.now = clock;
    ticket_options.events = outbox.get();
    ASSIGN_OR_RETURN(WorkCalendar calendar, LoadWorkCalendar({kCalendarPath}));
    ASSIGN_OR_RETURN(tickets, TicketStore::Open(writer.get(), std::move(calendar), ticket_options));
    RuleStoreOptions rule_options;
    rule_options.page_token_key = key;
    rule_options.now = clock;
    ASSIGN_OR_RETURN(rules, RuleStore::Open(writer.get(), rule_options));
    return absl::OkStatus();
  }
};

}  // namespace jiangan::supervision::testing

#endif  // JIANGAN_TESTS_UNIT_SERVICES_SUPERVISION_TEST_STORES_H_
