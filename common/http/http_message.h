// What an HTTP handler sees and answers, and the parsing of a request target
// into them. Pure functions, no I/O: the server and the fuzzers share them.
#ifndef JIANGAN_COMMON_HTTP_HTTP_MESSAGE_H_
#define JIANGAN_COMMON_HTTP_HTTP_MESSAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiangan {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  // Decoded; a parameter given more than once holds its values joined by
  // commas, in order.
  absl::btree_map<std::string, std::string> query;
  absl::btree_map<std::string, std::string> headers;  // names in lowercase
  std::string body;
  std::string peer;  // the client's address, e.g. "127.0.0.1"
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Further headers, e.g. {"Content-Disposition", "attachment; ..."}; the
  // handler keeps CR and LF out of them.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// Answers one request. Call it exactly once, from any thread.
using HttpReply = absl::AnyInvocable<void(HttpResponse) &&>;
// Serves a request: answers now or later through `reply`. Runs on the
// server's event loop, so it must not block: hand slow work elsewhere.
using HttpHandler = std::function<void(HttpRequest request, HttpReply reply)>;

// A handler that answers at once (health, metrics, static files).
template <typename F>
HttpHandler Immediately(F answer) {
  return [answer = std::move(answer)](HttpRequest request, HttpReply reply) {
    std::move(reply)(answer(request));
  };
}

// Decodes %XX escapes (and '+' as space when `plus_is_space`).
absl::StatusOr<std::string> PercentDecode(absl::string_view text, bool plus_is_space);

// Splits a request target ("/a%20b?c=d&e") into `request->path` and
// `request->query`, decoding both (a repeated parameter's values joined by
// commas); INVALID_ARGUMENT for a bad escape or a target that is not a path.
absl::Status ParseRequestTarget(absl::string_view target, HttpRequest* request);

// "Not Found" for 404, and so on ("Status" for codes it does not know).
const char* ReasonPhrase(int status);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_HTTP_HTTP_MESSAGE_H_
