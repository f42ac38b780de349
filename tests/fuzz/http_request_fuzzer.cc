// Fuzzes what the gateway makes of an HTTP request line's target: decoding
// the path and query, then routing it for each HTTP method.
#include <cstddef>
#include <cstdint>

#include "common/http/http_message.h"
#include "common/runtime/api_catalog.h"
#include "gateway/http_routes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* routes =
      new jiangan::gateway::HttpRoutes(*jiangan::gateway::HttpRoutes::FromServices(
          jiangan::Apis().All()));
  const absl::string_view target(reinterpret_cast<const char*>(data), size);
  jiangan::HttpRequest request;
  if (!jiangan::ParseRequestTarget(target, &request).ok()) return 0;
  for (const char* method : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
    (void)routes->Match(method, request.path);
  }
  return 0;
}
