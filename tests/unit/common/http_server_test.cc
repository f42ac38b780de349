#include "common/http/http_server.h"

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

}  // namespace
}  // namespace jiangan
