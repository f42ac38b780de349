#include "common/runtime/periodic_task.h"

#include <algorithm>
#include <utility>

#include "common/base/logging.h"

namespace jiangan {

PeriodicTask::PeriodicTask(std::string name, absl::Duration first_delay, absl::Duration interval,
                           std::function<absl::Status()> task)
    : name_(std::move(name)),
      first_delay_(first_delay),
      interval_(interval),
      task_(std::move(task)),
      thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() {
  stop_.Notify();
  thread_.join();
}

absl::Status PeriodicTask::RunNow() {
  absl::MutexLock lock(&run_mu_);
  return task_();
}

void PeriodicTask::Loop() {
  absl::Duration wait = first_delay_;
  while (!stop_.WaitForNotificationWithTimeout(wait)) {
    const absl::Time started = absl::Now();
    const absl::Status status = RunNow();
    if (!status.ok()) {
      Log(LogLevel::kWarning, "periodic_task_failed",
          {{"task", name_}, {"error", status.ToString()}});
    }
    // The next run keeps the schedule; a run longer than the interval is
    // followed at once by the next.
    wait = std::max(absl::ZeroDuration(), interval_ - (absl::Now() - started));
  }
}

}  // namespace jiangan
