#include "gateway/dashboard_pages.h"

#include <string>

#include "absl/strings/match.h"
#include "gateway/embedded_file.h"

namespace jiangan::gateway {
namespace {

constexpr char kPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const char* ContentTypeOf(absl::string_view name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

std::optional<HttpResponse> ServeDashboard(const HttpRequest& request) {
  const std::string name = request.path == "/" ? "index.html" : request.path.substr(1);
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    const EmbeddedFile& file = kEmbeddedFiles[i];
    if (file.name != name) continue;
    if (request.method != "GET" && request.method != "HEAD") {
      return HttpResponse{405, "text/plain; charset=utf-8", "use GET\n", {{"Allow", "GET, HEAD"}}};
    }
    HttpResponse response{200, ContentTypeOf(name), std::string(file.bytes)};
    response.headers = {{"Content-Security-Policy", kPolicy},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Referrer-Policy", "no-referrer"},
                        {"Cache-Control", "no-cache"}};
    return response;
  }
  return std::nullopt;
}

}  // namespace jiangan::gateway
