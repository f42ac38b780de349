// Work a server does by itself on a schedule (escalating overdue tickets,
// evaluating rules, delivering notifications): a thread that runs a task
// every interval until the object is destroyed. A task's failure is logged
// and the next run comes on time.
#ifndef JIANGAN_COMMON_RUNTIME_PERIODIC_TASK_H_
#define JIANGAN_COMMON_RUNTIME_PERIODIC_TASK_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace jiangan {

class PeriodicTask {
 public:
  // Runs `task` first after `first_delay`, then every `interval`, on a
  // thread of its own. `name` names it in the logs.
  PeriodicTask(std::string name, absl::Duration first_delay, absl::Duration interval,
               std::function<absl::Status()> task);
  // Stops: waits for a run under way to end, starts no other.
  ~PeriodicTask();

  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Runs the task now on the caller's thread, one run at a time with the
  // scheduled ones.
  absl::Status RunNow() ABSL_LOCKS_EXCLUDED(run_mu_);

 private:
  void Loop();

  const std::string name_;
  const absl::Duration first_delay_;
  const absl::Duration interval_;
  const std::function<absl::Status()> task_;
  absl::Notification stop_;
  absl::Mutex run_mu_;
  std::thread thread_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_PERIODIC_TASK_H_
