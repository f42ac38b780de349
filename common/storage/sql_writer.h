// The one writer connection of a service's database and the lock that
// serializes its transactions, shared by the stores of one service (its
// tickets, its rules, its outbox) so that their writes never interleave on
// the connection.
#ifndef JIANGAN_COMMON_STORAGE_SQL_WRITER_H_
#define JIANGAN_COMMON_STORAGE_SQL_WRITER_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/sql_db.h"

namespace jiangan {

class SqlWriter {
 public:
  // `db` must outlive this object.
  explicit SqlWriter(SqlDb* db) : db_(db) {}

  SqlWriter(const SqlWriter&) = delete;
  SqlWriter& operator=(const SqlWriter&) = delete;

  // The connection, for statements inside Transact's `body`.
  SqlDb* db() const { return db_; }

  // Runs `body` in one transaction, holding the lock: all of it commits or
  // none.
  absl::Status Transact(const std::function<absl::Status()>& body) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return db_->InTransaction(body);
  }

 private:
  SqlDb* const db_;
  absl::Mutex mu_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQL_WRITER_H_
