// The harness's servers are the ones it started: a port that answers may be
// another test's (ctest runs tests side by side), and a test talking to that
// server fails for reasons that have nothing to do with the code under test.
// (The project's own servers bind port 0 and name their ports in their log.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace jiangan::testing {
namespace {

// Listens on a free loopback port for the life of the object.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(TestServersTest, RedisOnAPortAnotherProcessHoldsIsNotTakenForStarted) {
  Listener other;
  RedisServer redis;
  const absl::Status started = redis.Start(other.port());
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable) << started;
}

}  // namespace
}  // namespace jiangan::testing
