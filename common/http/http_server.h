// A small HTTP/1.1 server for the admin endpoints (/healthz, /metrics) and
// the gateway's JSON API. Keep-alive, Content-Length bodies, no TLS: it sits
// behind the cluster's ingress. A fixed pool of threads serves connections,
// so a handler may block.
#ifndef JIANGAN_COMMON_HTTP_HTTP_SERVER_H_
#define JIANGAN_COMMON_HTTP_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace jiangan {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  absl::btree_map<std::string, std::string> query;    // decoded
  absl::btree_map<std::string, std::string> headers;  // names in lowercase
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Further headers, e.g. {"Content-Disposition", "attachment; ..."}; the
  // handler keeps CR and LF out of them.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Parses the head of a request ("GET /a?b=c HTTP/1.1\r\nHost: x\r\n...") into
// `request`; the body is read separately. Exposed for tests.
absl::Status ParseHttpHead(absl::string_view head, HttpRequest* request);

// Decodes %XX escapes (and '+' as space when `plus_is_space`).
absl::StatusOr<std::string> PercentDecode(absl::string_view text, bool plus_is_space);

class HttpServer {
 public:
  // Listens on `host:port` (port 0 picks a free one).
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& host,
                                                          int port, int threads,
                                                          HttpHandler handler);
  ~HttpServer();

  int port() const { return port_; }
  // Stops accepting, closes open connections and joins the threads.
  void Stop();

 private:
  HttpServer(int listen_fd, int port, HttpHandler handler);
  void AcceptLoop();
  void WorkerLoop();
  void Serve(int fd);

  const int listen_fd_;
  const int port_;
  const HttpHandler handler_;
  absl::Mutex mu_;
  std::vector<int> pending_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<int> open_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_HTTP_HTTP_SERVER_H_
