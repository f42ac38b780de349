#include "tests/support/redis_server.h"

#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jiangan::testing {

absl::Status RedisServer::Start(int port) {
  // A port free when picked may be taken by another test before redis-server
  // binds it; it then exits, and is started again on another port.
  const int attempts = port == 0 ? 3 : 1;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    port_ = port == 0 ? PickFreePort() : port;
    const std::string dir = MakeTempDir();
    auto process = ChildProcess::Start(
        {"redis-server", "--port", absl::StrCat(port_), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", dir},
        absl::StrCat(dir, "/redis.log"));
    if (!process.ok()) return process.status();
    process_ = *std::move(process);
    // Its own log says when it listens: a port that merely answers may be
    // another test's server.
    if (process_->WaitUntil(
            [&] { return absl::StrContains(process_->ReadLog(), "Ready to accept connections"); },
            absl::Seconds(10))) {
      return absl::OkStatus();
    }
    if (process_->Running()) break;
  }
  return absl::UnavailableError(
      absl::StrCat("redis-server did not listen on ", port_, ": ", process_->ReadLog()));
}

void RedisServer::Kill() {
  if (process_) (void)process_->SignalAndWait(SIGKILL, absl::Seconds(5));
}

}  // namespace jiangan::testing
