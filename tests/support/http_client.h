// A minimal blocking HTTP/1.1 client for tests: one request per connection.
#ifndef JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_
#define JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
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

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_HTTP_CLIENT_H_
