#include "common/http/http_server.h"

#include <atomic>
#include <deque>
#include <thread>
#include <vector>

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

TEST(RequestTargetTest, ARepeatedParameterKeepsEveryValue) {
  HttpRequest request;
  ASSERT_TRUE(ParseRequestTarget("/v1/tickets?filter.states=ISSUED&x=1&filter.states=ACCEPTED",
                                 &request)
                  .ok());
  EXPECT_EQ(request.query.at("filter.states"), "ISSUED,ACCEPTED");
  EXPECT_EQ(request.query.at("x"), "1");
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
  auto connection = testing::HttpConnection::Open(port);
  if (!connection.ok()) return 0;
  int answered = 0;
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<testing::HttpResult> result = (*connection)->Get("/load");
    if (!result.ok()) break;
    if (result->status == 200 && result->body == "answered elsewhere") ++answered;
  }
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
