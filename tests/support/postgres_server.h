// A real PostgreSQL 15 server for the tests: a cluster made by initdb in a
// temporary folder, serving on a free loopback port, for the life of the
// object. As root it runs as the postgres user (initdb and postgres refuse
// root).
#ifndef JIANGAN_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define JIANGAN_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/child_process.h"

namespace jiangan::testing {

class PostgresServer {
 public:
  // initdb, then postgres with durability traded for speed (fsync off):
  // tests need a real server, not a durable one.
  absl::Status Start();
  int port() const { return port_; }

  // Creates an empty database `name` and returns its connection URL.
  absl::StatusOr<std::string> CreateDatabase(const std::string& name);

 private:
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// One PostgreSQL server per test process, started on first use.
absl::StatusOr<PostgresServer*> SharedPostgresServer();

// A new, empty database named after `purpose` on the shared server.
absl::StatusOr<std::string> NewPostgresDatabase(const std::string& purpose);

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_POSTGRES_SERVER_H_
