#include "common/runtime/executor.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace jiangan {
namespace {

TEST(ExecutorTest, RunsEveryQueuedTaskBeforeShutdownReturns) {
  std::atomic<int> ran{0};
  Executor executor(2, 1000);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(executor.Submit([&ran] { ran.fetch_add(1); }));
  }
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 500);
}

TEST(ExecutorTest, RefusesWhenQueueIsFullOrStopped) {
  Executor executor(1, 1);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(executor.Submit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(executor.Submit([] {}));   // fills the one queue slot
  EXPECT_FALSE(executor.Submit([] {}));  // over the bound
  release.Notify();
  executor.Shutdown();
  EXPECT_FALSE(executor.Submit([] {}));
}

}  // namespace
}  // namespace jiangan
