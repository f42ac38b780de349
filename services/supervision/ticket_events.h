// What a ticket's change tells the people who must hear of it, written in
// the change's own transaction (an outbox): nothing is told of a change
// that did not commit, and no change that committed goes untold.
#ifndef JIANGAN_SERVICES_SUPERVISION_TICKET_EVENTS_H_
#define JIANGAN_SERVICES_SUPERVISION_TICKET_EVENTS_H_

#include "absl/status/status.h"
#include "common/storage/sql_db.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

class TicketEvents {
 public:
  virtual ~TicketEvents() = default;

  // Records `event` about `ticket` (as written) on `db`, inside the
  // transaction of the change.
  virtual absl::Status Record(SqlDb* db, v1::NotificationEvent event,
                              const v1::Ticket& ticket) const = 0;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_TICKET_EVENTS_H_
