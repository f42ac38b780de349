// Fuzzes HTTP/JSON transcoding: a request routed to one of the APIs'
// methods, with fuzzed query parameters and JSON body, made into the
// method's request; and fuzzed bytes as a method's response made into JSON.
//
// Input: a route index byte, then "query\nbody" (query as in a URL).
#include <cstddef>
#include <cstdint>

#include "common/http/http_message.h"
#include "common/runtime/api_catalog.h"
#include "gateway/forwarder.h"
#include "gateway/http_routes.h"
#include "gateway/http_transcoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* routes =
      new jiangan::gateway::HttpRoutes(*jiangan::gateway::HttpRoutes::FromServices(
          jiangan::Apis().All()));
  if (size < 1) return 0;
  const jiangan::gateway::HttpRoute& route = routes->routes()[data[0] % routes->routes().size()];
  const absl::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t newline = rest.find('\n');
  const absl::string_view query = rest.substr(0, newline);
  const absl::string_view body = newline == absl::string_view::npos ? "" : rest.substr(newline + 1);

  jiangan::HttpRequest http;
  http.method = route.http_method;
  if (!jiangan::ParseRequestTarget(absl::StrCat("/?", query), &http).ok()) return 0;
  http.body = std::string(body);
  jiangan::gateway::RouteMatch match;
  match.route = &route;
  for (const auto& variable : route.variables) match.bindings.emplace_back(&variable, "x/y");
  auto request = jiangan::gateway::TranscodeRequest(match, http);
  if (request.ok()) (void)(*request)->SerializeAsString();

  (void)jiangan::gateway::TranscodeResponse(route.method, grpc::Status::OK,
                                            jiangan::gateway::StringToByteBuffer(std::string(rest)));
  return 0;
}
