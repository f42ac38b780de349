#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jiangan::testing {

namespace {

absl::StatusOr<int> ConnectTo(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to port ", port));
  }
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

// The status line and headers of `head` (what precedes the blank line).
absl::StatusOr<HttpResult> ParseHead(absl::string_view head) {
  HttpResult result;
  std::vector<std::string> lines = absl::StrSplit(head, "\r\n");
  std::vector<std::string> status_line = absl::StrSplit(lines[0], ' ');
  if (status_line.size() < 2 || !absl::SimpleAtoi(status_line[1], &result.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", lines[0]));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    result.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  if (auto it = result.headers.find("content-type"); it != result.headers.end()) {
    result.content_type = it->second;
  }
  return result;
}

}  // namespace

absl::StatusOr<HttpResult> HttpRequestTo(int port, const std::string& method,
                                         const std::string& target, const std::string& body,
                                         const std::string& authorization) {
  absl::StatusOr<int> fd = ConnectTo(port);
  if (!fd.ok()) return fd.status();
  std::string request = absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: localhost\r\n",
                                     "Connection: close\r\nContent-Length: ", body.size(),
                                     "\r\n");
  if (!authorization.empty()) absl::StrAppend(&request, "Authorization: ", authorization, "\r\n");
  absl::StrAppend(&request, "\r\n", body);
  ::send(*fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char chunk[8192];
  ssize_t n;
  while ((n = ::recv(*fd, chunk, sizeof(chunk), 0)) > 0) response.append(chunk, n);
  ::close(*fd);
  size_t head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos) return absl::DataLossError("no HTTP head in response");
  absl::StatusOr<HttpResult> result = ParseHead(absl::string_view(response).substr(0, head_end));
  if (result.ok()) result->body = response.substr(head_end + 4);
  return result;
}

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Open(int port) {
  absl::StatusOr<int> fd = ConnectTo(port);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<HttpConnection>(new HttpConnection(*fd));
}

HttpConnection::~HttpConnection() { ::close(fd_); }

absl::StatusOr<HttpResult> HttpConnection::Get(const std::string& target) {
  const std::string request = absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return absl::UnavailableError("the connection is closed");
  }
  std::optional<HttpResult> result;
  size_t body_at = 0;
  size_t length = 0;
  char chunk[8192];
  while (!result.has_value() || unread_.size() < body_at + length) {
    if (!result.has_value()) {
      if (const size_t head_end = unread_.find("\r\n\r\n"); head_end != std::string::npos) {
        absl::StatusOr<HttpResult> head = ParseHead(absl::string_view(unread_).substr(0, head_end));
        if (!head.ok()) return head.status();
        auto it = head->headers.find("content-length");
        if (it == head->headers.end() || !absl::SimpleAtoi(it->second, &length)) {
          return absl::DataLossError("a keep-alive response without a Content-Length");
        }
        result = *std::move(head);
        body_at = head_end + 4;
        continue;
      }
    }
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return absl::UnavailableError("the connection closed mid-response");
    unread_.append(chunk, static_cast<size_t>(n));
  }
  result->body = unread_.substr(body_at, length);
  unread_.erase(0, body_at + length);
  return *std::move(result);
}

}  // namespace jiangan::testing
