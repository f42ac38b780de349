// A fixed pool of threads with a bounded queue. Servers hand blocking work
// (SQLite, Redis) to it so that gRPC's callback threads never block.
#ifndef JIANGAN_COMMON_RUNTIME_EXECUTOR_H_
#define JIANGAN_COMMON_RUNTIME_EXECUTOR_H_

#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace jiangan {

class Executor {
 public:
  // Starts `threads` workers; at most `max_queued` tasks may wait.
  Executor(int threads, size_t max_queued);
  // Runs every queued task, then joins the workers.
  ~Executor();

  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `task`. Returns false, without running it, when the queue is full
  // or the executor is shutting down: the caller then answers
  // RESOURCE_EXHAUSTED or UNAVAILABLE instead of queueing without bound.
  bool Submit(absl::AnyInvocable<void() &&> task);

  // Stops accepting tasks, runs what is queued and joins the workers.
  void Shutdown();

 private:
  void WorkerLoop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_EXECUTOR_H_
