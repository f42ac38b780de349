// A real redis-server on a free loopback port, for the life of the object.
#ifndef JIANGAN_TESTS_SUPPORT_REDIS_SERVER_H_
#define JIANGAN_TESTS_SUPPORT_REDIS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "tests/support/child_process.h"

namespace jiangan::testing {

class RedisServer {
 public:
  // Starts redis-server (from PATH) with no persistence in a temp directory.
  // `port` 0 picks a free one.
  absl::Status Start(int port = 0);
  int port() const { return port_; }
  ChildProcess* process() { return process_.get(); }
  // Stops it for good (SIGKILL, as a crash would).
  void Kill();

 private:
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_REDIS_SERVER_H_
