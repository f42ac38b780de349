#include "common/http/http_server.h"

#include "gtest/gtest.h"
#include "tests/support/http_client.h"

namespace jiangan {
namespace {

using jiangan::testing::HttpRequestTo;

TEST(HttpHeadTest, ParsesPathQueryAndHeaders) {
  HttpRequest request;
  ASSERT_TRUE(ParseHttpHead("GET /v1/projects%2Fa?page_size=2&name=%E9%BB%91+x HTTP/1.1\r\n"
                            "Host: x\r\nContent-Length: 0",
                            &request)
                  .ok());
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/v1/projects/a");
  EXPECT_EQ(request.query.at("page_size"), "2");
  EXPECT_EQ(request.query.at("name"), "\xE9\xBB\x91 x");
  EXPECT_EQ(request.headers.at("content-length"), "0");
}

TEST(HttpHeadTest, RefusesMalformedHeads) {
  HttpRequest request;
  EXPECT_FALSE(ParseHttpHead("GET /\r\n", &request).ok());
  EXPECT_FALSE(ParseHttpHead("GET / SPDY/3\r\n", &request).ok());
  EXPECT_FALSE(ParseHttpHead("GET /%zz HTTP/1.1", &request).ok());
  EXPECT_FALSE(ParseHttpHead("GET /%4 HTTP/1.1", &request).ok());
  EXPECT_FALSE(ParseHttpHead("GET / HTTP/1.1\r\nno colon here", &request).ok());
}

TEST(HttpServerTest, ServesHandlerAndAnswersBadRequests) {
  auto server = HttpServer::Start("127.0.0.1", 0, 2, [](const HttpRequest& request) {
    return HttpResponse{200, "text/plain", request.method + " " + request.path + " " + request.body};
  });
  ASSERT_TRUE(server.ok()) << server.status();
  auto ok = HttpRequestTo((*server)->port(), "POST", "/echo", "hello");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "POST /echo hello");

  auto bad = HttpRequestTo((*server)->port(), "GET", "/%zz");
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(bad->status, 400);
  (*server)->Stop();
}

}  // namespace
}  // namespace jiangan
