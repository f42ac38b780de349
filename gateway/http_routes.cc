#include "gateway/http_routes.h"

#include "absl/container/btree_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace jiangan::gateway {
namespace {

using google::protobuf::MethodDescriptor;

constexpr size_t kNpos = absl::string_view::npos;

// Whether `parts` (the request path's segments, verb removed) fit `route`;
// fills each variable's value.
bool Fits(const HttpRoute& route, const std::vector<absl::string_view>& parts,
          std::vector<std::string>* values) {
  const std::vector<std::string>& segments = route.segments;
  const bool open_ended = !segments.empty() && segments.back() == "**";
  if (open_ended ? parts.size() < segments.size() - 1 : parts.size() != segments.size()) {
    return false;
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i] == "**") break;
    if (parts[i].empty()) return false;
    if (segments[i] != "*" && segments[i] != parts[i]) return false;
  }
  for (const HttpRoute::Variable& variable : route.variables) {
    const size_t end = variable.end == segments.size() && open_ended ? parts.size() : variable.end;
    values->push_back(absl::StrJoin(parts.begin() + variable.begin, parts.begin() + end, "/"));
  }
  return true;
}

absl::Status AddRule(const MethodDescriptor* method, const google::api::HttpRule& rule,
                     std::vector<HttpRoute>* routes) {
  std::string http_method;
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet: http_method = "GET"; path = rule.get(); break;
    case google::api::HttpRule::kPost: http_method = "POST"; path = rule.post(); break;
    case google::api::HttpRule::kPatch: http_method = "PATCH"; path = rule.patch(); break;
    case google::api::HttpRule::kPut: http_method = "PUT"; path = rule.put(); break;
    case google::api::HttpRule::kDelete: http_method = "DELETE"; path = rule.delete_(); break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": google.api.http: a custom pattern is not served"));
  }
  absl::StatusOr<HttpRoute> route = ParseRouteTemplate(path);
  if (!route.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", route.status().message()));
  }
  route->method = method;
  route->http_method = std::move(http_method);
  route->body = rule.body();
  if (!route->body.empty() && route->body != "*" &&
      method->input_type()->FindFieldByName(route->body) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": body \"", route->body,
                                                   "\" is not a field of the request"));
  }
  for (const HttpRoute::Variable& variable : route->variables) {
    const google::protobuf::Descriptor* type = method->input_type();
    const google::protobuf::FieldDescriptor* field = nullptr;
    for (const std::string& name : variable.field_path) {
      field = type == nullptr ? nullptr : type->FindFieldByName(name);
      if (field == nullptr) break;
      type = field->message_type();
    }
    if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
        field->is_repeated()) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": path variable \"",
                       absl::StrJoin(variable.field_path, "."), "\" is not a string field"));
    }
  }
  routes->push_back(*std::move(route));
  for (const google::api::HttpRule& more : rule.additional_bindings()) {
    if (absl::Status added = AddRule(method, more, routes); !added.ok()) return added;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HttpRoute> ParseRouteTemplate(absl::string_view path) {
  auto bad = [path](absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat("path template \"", path, "\": ", rule));
  };
  if (!absl::StartsWith(path, "/")) return bad("must start with '/'");
  HttpRoute route;
  route.path = std::string(path);
  absl::string_view rest = path.substr(1);

  // The verb follows the last ':' that is outside braces and after the
  // last '/'.
  int depth = 0;
  size_t verb_at = kNpos;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '{') {
      if (++depth > 1) return bad("variables do not nest");
    } else if (c == '}') {
      if (--depth < 0) return bad("'}' without '{'");
    } else if (depth == 0 && c == '/') {
      verb_at = kNpos;
    } else if (depth == 0 && c == ':') {
      verb_at = i;
    }
  }
  if (depth != 0) return bad("'{' without '}'");
  if (verb_at != kNpos) {
    route.verb = std::string(rest.substr(verb_at + 1));
    rest = rest.substr(0, verb_at);
    if (route.verb.empty()) return bad("':' must be followed by a verb");
  }

  auto add_segment = [&route, &bad](absl::string_view segment) -> absl::Status {
    if (segment.empty()) return bad("a segment is empty");
    if (absl::StrContains(segment, '{') || absl::StrContains(segment, '}') ||
        absl::StrContains(segment, '=')) {
      return bad(absl::StrCat("segment \"", segment, "\" is not a literal, '*' or '**'"));
    }
    route.segments.emplace_back(segment);
    return absl::OkStatus();
  };
  size_t i = 0;
  while (true) {
    if (i < rest.size() && rest[i] == '{') {
      const size_t close = rest.find('}', i);
      const absl::string_view inside = rest.substr(i + 1, close - i - 1);
      const size_t equals = inside.find('=');
      const absl::string_view field = inside.substr(0, equals);
      const absl::string_view pattern = equals == kNpos ? "*" : inside.substr(equals + 1);
      HttpRoute::Variable variable;
      for (absl::string_view name : absl::StrSplit(field, '.')) {
        if (name.empty()) return bad(absl::StrCat("variable \"", field, "\" is not a field path"));
        variable.field_path.emplace_back(name);
      }
      variable.begin = route.segments.size();
      for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
        if (absl::Status added = add_segment(segment); !added.ok()) return added;
      }
      variable.end = route.segments.size();
      route.variables.push_back(std::move(variable));
      i = close + 1;
    } else {
      const size_t slash = std::min(rest.find('/', i), rest.size());
      if (absl::Status added = add_segment(rest.substr(i, slash - i)); !added.ok()) return added;
      i = slash;
    }
    if (i == rest.size()) break;
    if (rest[i] != '/') return bad("a variable must end its segment");
    ++i;
  }
  for (size_t s = 0; s + 1 < route.segments.size(); ++s) {
    if (route.segments[s] == "**") return bad("'**' may only end the template");
  }
  return route;
}

absl::StatusOr<HttpRoutes> HttpRoutes::FromServices(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  HttpRoutes table;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (!method->options().HasExtension(google::api::http)) continue;
      absl::Status added =
          AddRule(method, method->options().GetExtension(google::api::http), &table.routes_);
      if (!added.ok()) return added;
    }
  }
  return table;
}

absl::StatusOr<RouteMatch> HttpRoutes::Match(absl::string_view http_method,
                                             absl::string_view path) const {
  if (!absl::StartsWith(path, "/")) {
    return absl::NotFoundError(absl::StrCat("no route for \"", path, "\""));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path.substr(1), '/');
  // A ':' in the last segment starts a verb (AIP-136); resource ids hold none.
  absl::string_view verb;
  if (size_t colon = parts.back().rfind(':'); colon != kNpos) {
    verb = parts.back().substr(colon + 1);
    parts.back() = parts.back().substr(0, colon);
  }
  absl::btree_set<std::string> allowed;
  for (const HttpRoute& route : routes_) {
    if (route.verb != verb) continue;
    std::vector<std::string> values;
    if (!Fits(route, parts, &values)) continue;
    if (route.http_method != http_method) {
      allowed.insert(route.http_method);
      continue;
    }
    RouteMatch match;
    match.route = &route;
    for (size_t v = 0; v < values.size(); ++v) {
      match.bindings.emplace_back(&route.variables[v], std::move(values[v]));
    }
    return match;
  }
  if (!allowed.empty()) {
    return absl::UnimplementedError(absl::StrCat(http_method, " is not served on \"", path,
                                                 "\"; use ", absl::StrJoin(allowed, " or ")));
  }
  return absl::NotFoundError(absl::StrCat("no route for \"", path, "\""));
}

}  // namespace jiangan::gateway
