#include "common/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"

namespace jiangan {
namespace {

using jiangan::testing::HttpRequestTo;

TEST(RequestTargetTest, DecodesPathAndQuery) {
  HttpRequest request;
  ASSERT_TRUE(ParseRequestTarget("/v1/projects%2Fa?page_size=2&name=%E9%BB%91+x&flag", &request).ok());
  EXPECT_EQ(request.path, "/v1/projects/a");
  EXPECT_EQ(request.query.at("page_size"), "2");
  EXPECT_EQ(request.query.at("name"), "\xE9\xBB\x91 x");
  EXPECT_EQ(request.query.at("flag"), "");
}

TEST(RequestTargetTest, RefusesBadTargets) {
  HttpRequest request;
  EXPECT_FALSE(ParseRequestTarget("", &request).ok());
  EXPECT_FALSE(ParseRequestTarget("*", &request).ok());
  EXPECT_FALSE(ParseRequestTarget("/%zz", &request).ok());
  EXPECT_FALSE(ParseRequestTarget("/%4", &request).ok());
  EXPECT_FALSE(ParseRequestTarget("/a?b=%G0", &request).ok());
}

TEST(HttpServerTest, ServesHandlerAndAnswersBadRequests) {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.threads = 2;
  options.max_body_bytes = 1024;
  auto server = HttpServer::Start(options, Immediately([](const HttpRequest& request) {
    return HttpResponse{200, "text/plain", request.method + " " + request.path + " " + request.body};
  }));
  ASSERT_TRUE(server.ok()) << server.status();
  auto ok = HttpRequestTo((*server)->port(), "POST", "/echo", "hello");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "POST /echo hello");

  auto bad = HttpRequestTo((*server)->port(), "GET", "/%zz");
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(bad->status, 400);

  auto too_big = HttpRequestTo((*server)->port(), "POST", "/echo", std::string(4096, 'x'));
  ASSERT_TRUE(too_big.ok()) << too_big.status();
  EXPECT_EQ(too_big->status, 413);
  (*server)->Stop();
}

// Answers on its own thread, as the gateway's handlers do (their replies
// come back from gRPC threads).
class Replier {
 public:
  Replier() : thread_([this] { Run(); }) {}
  ~Replier() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    thread_.join();
  }
  void Add(HttpReply reply) {
    absl::MutexLock lock(&mu_);
    replies_.push_back(std::move(reply));
  }

 private:
  void Run() {
    while (true) {
      HttpReply reply;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](Replier* self) { return self->done_ || !self->replies_.empty(); }, this));
        if (replies_.empty()) return;
        reply = std::move(replies_.front());
        replies_.pop_front();
      }
      std::move(reply)(HttpResponse{200, "text/plain", "answered elsewhere"});
    }
  }

  absl::Mutex mu_;
  std::deque<HttpReply> replies_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Sends `count` GETs one after another on one keep-alive connection; how
// many were answered 200 with the whole body.
int KeepAliveGets(int port, int count) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return 0;
  }
  const std::string request = "GET /load HTTP/1.1\r\nHost: test\r\n\r\n";
  std::string buffer;
  char chunk[4096];
  int answered = 0;
  for (int i = 0; i < count; ++i) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      break;
    }
    size_t end = std::string::npos;
    size_t length = 0;
    bool complete = false;
    while (!complete) {
      end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::string head = absl::AsciiStrToLower(buffer.substr(0, end + 2));
        const size_t at = head.find("\r\ncontent-length:");
        if (at == std::string::npos ||
            !absl::SimpleAtoi(head.substr(at + 17, head.find("\r\n", at + 2) - at - 17),
                              &length)) {
          ::close(fd);
          return answered;
        }
        complete = buffer.size() >= end + 4 + length;
        if (complete) break;
      }
      const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
      if (got <= 0) {
        ::close(fd);
        return answered;
      }
      buffer.append(chunk, static_cast<size_t>(got));
    }
    if (buffer.rfind("HTTP/1.1 200", 0) == 0 &&
        buffer.compare(end + 4, length, "answered elsewhere") == 0) {
      ++answered;
    }
    buffer.erase(0, end + 4 + length);
  }
  ::close(fd);
  return answered;
}

// Several loops under keep-alive load with every reply posted from another
// thread: each loop's sockets stay its own (h2o's buffers are per thread).
TEST(HttpServerTest, LoopsHoldKeepAliveLoadAnsweredFromOtherThreads) {
  Replier replier;
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.threads = 4;
  auto server = HttpServer::Start(
      options, [&replier](HttpRequest, HttpReply reply) { replier.Add(std::move(reply)); });
  ASSERT_TRUE(server.ok()) << server.status();
  constexpr int kConnections = 8;
  constexpr int kRequests = 2500;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.emplace_back([&] { answered += KeepAliveGets((*server)->port(), kRequests); });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered.load(), kConnections * kRequests);
  (*server)->Stop();
}

}  // namespace
}  // namespace jiangan
