// The leaders' dashboard on the gateway's HTTP port: one page, its script
// and its style, compiled into the binary. The page talks only to this
// origin's JSON API with the token the user signs in with; it loads nothing
// from anywhere else (the district network is closed), which its Content
// Security Policy also enforces. The OpenAPI document of the JSON API is
// served beside it, at /openapi.json.
#ifndef JIANGAN_GATEWAY_DASHBOARD_PAGES_H_
#define JIANGAN_GATEWAY_DASHBOARD_PAGES_H_

#include <optional>

#include "common/http/http_message.h"

namespace jiangan::gateway {

// The dashboard's answer to `request` ("/" is the page, "/openapi.json" the
// API's document); nullopt for a path that is not one of its files.
std::optional<HttpResponse> ServeDashboard(const HttpRequest& request);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_DASHBOARD_PAGES_H_
