// A minimal blocking HTTP/1.1 client for tests: one request per connection,
// or a keep-alive connection that sends requests one after another.
#ifndef JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_
#define JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jiangan::testing {

struct HttpResult {
  int status = 0;
  std::string content_type;
  // Every header, by its name in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
};

absl::StatusOr<HttpResult> HttpRequestTo(int port, const std::string& method,
                                         const std::string& target,
                                         const std::string& body = "",
                                         const std::string& authorization = "");

// One keep-alive connection; each response is read by its Content-Length.
class HttpConnection {
 public:
  static absl::StatusOr<std::unique_ptr<HttpConnection>> Open(int port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  absl::StatusOr<HttpResult> Get(const std::string& target);

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  const int fd_;
  std::string unread_;  // bytes received past the last response
};

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_
