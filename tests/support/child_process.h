// A child process the tests start and stop: one of the project's servers or
// redis-server. Its stdout and stderr go to a log file. It dies with the
// test process, even when that crashes.
#ifndef JIANGAN_TESTS_SUPPORT_CHILD_PROCESS_H_
#define JIANGAN_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jiangan::testing {

// A user a child runs as instead of the test's (postgres refuses root).
struct RunAs {
  uid_t uid;
  gid_t gid;
};

class ChildProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::string& log_path,
      std::optional<RunAs> run_as = std::nullopt);
  // Kills the process if it still runs.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // Sends `signal` and waits up to `timeout` for the exit; returns the exit
  // status (128 + signal number if a signal ended it). DEADLINE_EXCEEDED if
  // it is still running then.
  absl::StatusOr<int> SignalAndWait(int signal, absl::Duration timeout);
  // Sends `signal` without waiting (e.g. SIGSTOP, SIGCONT).
  void Signal(int signal);
  bool Running();
  std::string ReadLog() const;
  // Polls `ready` until it holds (true), or the process ends or `timeout`
  // passes first (false).
  bool WaitUntil(const std::function<bool()>& ready, absl::Duration timeout);

 private:
  ChildProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::string log_path_;
  bool reaped_ = false;
  int exit_status_ = 0;
};

// What `command`, run by /bin/sh, printed on stdout; INTERNAL naming the
// command and its exit status if it did not exit 0.
absl::StatusOr<std::string> CommandOutput(const std::string& command);

// A TCP port on 127.0.0.1 that was free a moment ago.
int PickFreePort();

// A fresh empty directory under the test's temporary directory, removed
// when the process exits normally unless JIANGAN_KEEP_TEST_DIRS is set.
std::string MakeTempDir();

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_CHILD_PROCESS_H_
