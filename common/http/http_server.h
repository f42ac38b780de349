// The HTTP server of every process (admin endpoints: /healthz, /metrics) and
// of the gateway's JSON API and dashboard, on libh2o's event loop
// (Debian's libh2o-evloop): HTTP/1.1 with keep-alive and HTTP/2 (cleartext,
// by prior knowledge or Upgrade), no TLS (it sits behind the cluster's
// ingress). A connection costs a socket and a few kilobytes, not a thread,
// so thousands of idle ones do not hold up a request.
//
// Each of `threads` event loops runs on its own thread and accepts from the
// one listening socket (no SO_REUSEPORT: no other process can take a share of
// the port's connections). Handlers run on the loops and must not block;
// they answer through HttpReply, from any thread.
#ifndef JIANGAN_COMMON_HTTP_HTTP_SERVER_H_
#define JIANGAN_COMMON_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/http/http_message.h"

namespace jiangan {

struct HttpServerOptions {
  std::string host = "0.0.0.0";  // an IPv4 address, or "localhost"
  int port = 0;                  // 0 picks a free one
  int threads = 1;               // event loops
  // Larger bodies are refused with 413 before they are read whole.
  size_t max_body_bytes = 4 << 20;
  // A request's head and body must arrive within this (slow clients are
  // cut off), and an HTTP/1.1 connection may sit idle this long between
  // requests.
  absl::Duration request_timeout = absl::Seconds(30);
  // An HTTP/2 connection with no stream open is closed after this.
  absl::Duration idle_timeout = absl::Seconds(60);
};

class HttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                          HttpHandler handler);
  ~HttpServer();

  int port() const { return port_; }

  // Stops accepting, lets the answers already being made go out (up to a
  // few seconds), then closes every connection and stops the loops. Replies
  // that come later are dropped.
  void Stop();

 private:
  class Loop;
  HttpServer(int port, std::vector<std::unique_ptr<Loop>> loops);

  const int port_;
  std::vector<std::unique_ptr<Loop>> loops_;
  bool stopped_ = false;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_HTTP_HTTP_SERVER_H_
