#include "tests/support/redis_server.h"

#include <signal.h>

#include "absl/strings/str_cat.h"

namespace jiangan::testing {

absl::Status RedisServer::Start(int port) {
  port_ = port == 0 ? PickFreePort() : port;
  const std::string dir = MakeTempDir();
  auto process = ChildProcess::Start(
      {"redis-server", "--port", absl::StrCat(port_), "--bind", "127.0.0.1", "--save", "",
       "--appendonly", "no", "--dir", dir},
      absl::StrCat(dir, "/redis.log"));
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  if (!WaitForPort(port_, absl::Seconds(10))) {
    return absl::UnavailableError(
        absl::StrCat("redis-server did not listen on ", port_, ": ", process_->ReadLog()));
  }
  return absl::OkStatus();
}

void RedisServer::Kill() {
  if (process_) (void)process_->SignalAndWait(SIGKILL, absl::Seconds(5));
}

}  // namespace jiangan::testing
