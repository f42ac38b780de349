// The REST mapping of the gateway's APIs, read from the google.api.http
// annotations (HttpRule) on their methods: the same declarations Envoy's
// gRPC-JSON transcoder and the OpenAPI generator read, so the three agree.
//
// Path templates follow google/api/http.proto:
//   Template = "/" Segments [ ":" Verb ];  Segment = "*" | "**" | LITERAL | Variable;
//   Variable = "{" FieldPath [ "=" Segments ] "}"
// e.g. "/v1/{parent=projects/*}:reportProgress". `**` may only end a template.
#ifndef JIANGAN_GATEWAY_HTTP_ROUTES_H_
#define JIANGAN_GATEWAY_HTTP_ROUTES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace jiangan::gateway {

// One binding of one method: an HTTP method and a path template.
struct HttpRoute {
  // A path variable: the request field it sets and the template segments it
  // spans, [begin, end) (end is npos for a trailing `**`).
  struct Variable {
    std::vector<std::string> field_path;  // e.g. {"project", "name"}
    size_t begin = 0;
    size_t end = 0;
  };

  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string http_method;  // "GET", "POST", "PATCH", "DELETE", "PUT"
  std::string path;         // the template as declared
  // Where the body goes: "" (no body), "*" (the whole request) or a
  // top-level field of the request.
  std::string body;
  std::vector<std::string> segments;  // literals, "*" or "**"
  std::string verb;                   // after ':', or empty
  std::vector<Variable> variables;
};

// A request path matched to a route, with each variable's value (the
// matched segments joined by '/', e.g. "projects/erqi").
struct RouteMatch {
  const HttpRoute* route = nullptr;
  std::vector<std::pair<const HttpRoute::Variable*, std::string>> bindings;
};

// Parses one path template; INVALID_ARGUMENT naming the rule it breaks.
absl::StatusOr<HttpRoute> ParseRouteTemplate(absl::string_view path);

class HttpRoutes {
 public:
  // Every binding (and additional binding) declared on the services'
  // methods. An unparsable template, or a body naming no field, is an error.
  static absl::StatusOr<HttpRoutes> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // The route for `http_method` on `path` (percent-decoded, no query).
  // NOT_FOUND when no template matches the path; UNIMPLEMENTED naming the
  // methods that would be served when it matches with another method.
  absl::StatusOr<RouteMatch> Match(absl::string_view http_method, absl::string_view path) const;

  const std::vector<HttpRoute>& routes() const { return routes_; }

 private:
  std::vector<HttpRoute> routes_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_HTTP_ROUTES_H_
