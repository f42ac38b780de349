#include "gateway/http_json_api.h"


#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"
#include "common/runtime/rpc_observer.h"
#include "gateway/forwarder.h"
#include "gateway/method_plan.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/json_util.h"
#include "jiangan/type/v1/file.pb.h"

namespace jiangan::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr absl::Duration kHttpDeadline = absl::Seconds(30);

// google.rpc code -> HTTP status, as in google/rpc/code.proto.
int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return 200;
    case grpc::CANCELLED: return 499;
    case grpc::INVALID_ARGUMENT: return 400;
    case grpc::DEADLINE_EXCEEDED: return 504;
    case grpc::NOT_FOUND: return 404;
    case grpc::ALREADY_EXISTS: return 409;
    case grpc::PERMISSION_DENIED: return 403;
    case grpc::UNAUTHENTICATED: return 401;
    case grpc::RESOURCE_EXHAUSTED: return 429;
    case grpc::FAILED_PRECONDITION: return 400;
    case grpc::ABORTED: return 409;
    case grpc::OUT_OF_RANGE: return 400;
    case grpc::UNIMPLEMENTED: return 501;
    case grpc::UNAVAILABLE: return 503;
    default: return 500;
  }
}

HttpResponse JsonError(grpc::StatusCode code, absl::string_view message) {
  return {HttpStatusOf(code), "application/json",
          absl::StrCat("{\"error\":{\"code\":", HttpStatusOf(code), ",\"status\":\"",
                       StatusCodeName(code), "\",\"message\":\"", JsonEscape(message),
                       "\"}}\n")};
}

const FieldDescriptor* FieldOfType(const Descriptor* owner, const Descriptor* type) {
  for (int i = 0; i < owner->field_count(); ++i) {
    const FieldDescriptor* field = owner->field(i);
    if (!field->is_repeated() && field->message_type() == type) return field;
  }
  return nullptr;
}

// Query parameters as a JSON object: "a.b=x" nests, a repeated field takes
// comma-separated values, a bool takes true or false, anything else a
// string that the JSON parser converts as it would in a body.
struct QueryNode {
  std::map<std::string, QueryNode> children;
  std::string json;  // set on leaves
};

std::string ToJson(const QueryNode& node) {
  if (node.children.empty()) return node.json;
  std::vector<std::string> members;
  for (const auto& [key, child] : node.children) {
    members.push_back(absl::StrCat("\"", JsonEscape(key), "\":", ToJson(child)));
  }
  return absl::StrCat("{", absl::StrJoin(members, ","), "}");
}

const FieldDescriptor* FieldNamed(const Descriptor* type, const std::string& name) {
  const FieldDescriptor* field = type->FindFieldByName(name);
  return field != nullptr ? field : type->FindFieldByCamelcaseName(name);
}

// Sets request fields from query parameters through the JSON parser, so
// that they get the same conversions and errors as a JSON body.
absl::Status ApplyQuery(const absl::btree_map<std::string, std::string>& query,
                        const absl::flat_hash_map<std::string, bool>& skip, Message* request) {
  QueryNode root;
  for (const auto& [key, value] : query) {
    if (skip.contains(key)) continue;
    const Descriptor* type = request->GetDescriptor();
    QueryNode* node = &root;
    const std::vector<std::string> parts = absl::StrSplit(key, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      const FieldDescriptor* field = type == nullptr ? nullptr : FieldNamed(type, parts[i]);
      const bool leaf = i + 1 == parts.size();
      if (field == nullptr || (!leaf && (field->message_type() == nullptr || field->is_repeated()))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "query parameter \"", key, "\": is not a field of ", request->GetDescriptor()->name()));
      }
      node = &node->children[field->name()];
      type = field->message_type();
      if (!leaf) continue;
      auto scalar = [field](absl::string_view text) {
        if (field->type() == FieldDescriptor::TYPE_BOOL && (text == "true" || text == "false")) {
          return std::string(text);
        }
        return absl::StrCat("\"", JsonEscape(text), "\"");
      };
      if (field->is_repeated()) {
        std::vector<std::string> items;
        for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipEmpty())) {
          items.push_back(scalar(item));
        }
        node->json = absl::StrCat("[", absl::StrJoin(items, ","), "]");
      } else {
        node->json = scalar(value);
      }
    }
  }
  const std::string json = root.children.empty() ? "{}" : ToJson(root);
  auto parsed = google::protobuf::util::JsonStringToMessage(json, request);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameters: ", parsed.message().as_string()));
  }
  return absl::OkStatus();
}

// "progressReports" or "progress_reports" -> "ProgressReports".
std::string UpperCamel(absl::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// Field paths come as snake_case or as the camelCase JSON clients use.
std::string SnakeCase(absl::string_view path) {
  std::string out;
  for (char c : path) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

absl::Status ApplyBody(absl::string_view body, Message* target) {
  if (body.empty()) return absl::InvalidArgumentError("body: a JSON object is required");
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), target);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("body: ", parsed.message().as_string()));
  }
  return absl::OkStatus();
}

// A jiangan.type.v1.File served as the file itself, to be saved under its
// name (RFC 6266: an ASCII fallback, and the UTF-8 name percent-encoded).
HttpResponse ServeFile(const Message& message) {
  const auto& file = static_cast<const type::v1::File&>(message);
  std::string encoded;
  std::string fallback;
  for (unsigned char c : file.filename()) {
    const bool plain = absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
    encoded += plain ? std::string(1, static_cast<char>(c)) : absl::StrFormat("%%%02X", c);
    if (plain) fallback += static_cast<char>(c);
  }
  if (fallback.empty() || fallback.front() == '.') fallback = absl::StrCat("download", fallback);
  HttpResponse response{200, file.content_type(), file.content()};
  response.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", fallback, "\"; filename*=UTF-8''", encoded));
  return response;
}

}  // namespace

HttpJsonApi::HttpJsonApi(std::shared_ptr<grpc::Channel> channel,
                         const std::vector<const google::protobuf::ServiceDescriptor*>& services)
    : stub_(std::move(channel)), services_(services) {
  // Collections first (from List methods), then the methods on each.
  absl::flat_hash_map<const Descriptor*, std::string> collection_of;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (!absl::StartsWith(method->name(), "List")) continue;
      // Child collections (whose List takes a `parent`, e.g. a project's
      // progress reports) are served over gRPC only.
      if (method->input_type()->FindFieldByName("parent") != nullptr) continue;
      const Descriptor* output = method->output_type();
      for (int f = 0; f < output->field_count(); ++f) {
        const FieldDescriptor* field = output->field(f);
        if (field->is_repeated() && field->message_type() != nullptr) {
          collection_of[field->message_type()] = field->name();
          collections_[field->name()].list = method;
          break;
        }
      }
    }
  }
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      auto it = collection_of.find(method->output_type());
      if (it == collection_of.end()) continue;
      Collection& collection = collections_[it->second];
      if (absl::StartsWith(method->name(), "Get")) {
        collection.get = method;
        collection.singular = method->name().substr(3);
      }
      if (absl::StartsWith(method->name(), "Create")) collection.create = method;
      if (absl::StartsWith(method->name(), "Update")) collection.update = method;
      if (absl::StartsWith(method->name(), "Delete")) collection.remove = method;
    }
  }
}

std::vector<std::string> HttpJsonApi::Collections() const {
  std::vector<std::string> names;
  for (const auto& [name, collection] : collections_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

HttpResponse HttpJsonApi::Handle(const HttpRequest& http) {
  std::vector<std::string> segments = absl::StrSplit(http.path, '/', absl::SkipEmpty());
  // A custom method ends the path with ":{verb}" (AIP-136).
  std::string verb;
  if (!segments.empty()) {
    if (auto colon = segments.back().find(':'); colon != std::string::npos) {
      verb = segments.back().substr(colon + 1);
      segments.back().resize(colon);
    }
  }
  if (segments.size() < 2 || segments.size() > 4 || segments[0] != "v1" ||
      !collections_.contains(segments[1]) || (segments.size() == 4 && !verb.empty())) {
    return JsonError(grpc::NOT_FOUND, absl::StrCat("no route for ", http.path));
  }
  if (!verb.empty() || segments.size() == 4) {
    return HandleCustom(collections_.at(segments[1]), segments, verb, http);
  }
  const std::string& collection_name = segments[1];
  const Collection& collection = collections_.at(collection_name);
  const bool on_item = segments.size() == 3;
  const std::string name = on_item ? absl::StrCat(collection_name, "/", segments[2]) : "";
  auto* factory = google::protobuf::MessageFactory::generated_factory();

  const MethodDescriptor* method = nullptr;
  if (http.method == "GET") method = on_item ? collection.get : collection.list;
  if (http.method == "POST" && !on_item) method = collection.create;
  if (http.method == "PATCH" && on_item) method = collection.update;
  if (http.method == "DELETE" && on_item) method = collection.remove;
  if (method == nullptr) {
    return JsonError(grpc::UNIMPLEMENTED,
                     absl::StrCat(http.method, " is not supported on ", http.path));
  }
  std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
  const Descriptor* input = method->input_type();
  const auto* reflection = request->GetReflection();
  absl::Status built = absl::OkStatus();
  if (method == collection.get || method == collection.remove) {
    built = ApplyQuery(http.query, {}, request.get());
    reflection->SetString(request.get(), input->FindFieldByName("name"), name);
  } else if (method == collection.list) {
    built = ApplyQuery(http.query, {}, request.get());
  } else {
    const FieldDescriptor* body_field = FieldOfType(input, method->output_type());
    if (body_field == nullptr) {
      return JsonError(grpc::UNIMPLEMENTED, absl::StrCat(method->full_name(), " takes no body"));
    }
    built = ApplyQuery(http.query, {{"update_mask", true}}, request.get());
    Message* resource = reflection->MutableMessage(request.get(), body_field);
    if (built.ok()) built = ApplyBody(http.body, resource);
    if (built.ok() && method == collection.update) {
      const FieldDescriptor* name_field = resource->GetDescriptor()->FindFieldByName("name");
      resource->GetReflection()->SetString(resource, name_field, name);
      const FieldDescriptor* mask_field = input->FindFieldByName("update_mask");
      auto mask_it = http.query.find("update_mask");
      if (mask_field != nullptr && mask_it != http.query.end()) {
        auto* mask = static_cast<google::protobuf::FieldMask*>(
            reflection->MutableMessage(request.get(), mask_field));
        for (absl::string_view path : absl::StrSplit(mask_it->second, ',', absl::SkipEmpty())) {
          mask->add_paths(SnakeCase(path));
        }
      }
    }
  }
  if (!built.ok()) return JsonError(grpc::INVALID_ARGUMENT, built.message());
  return Call(method, *request, http);
}

HttpResponse HttpJsonApi::HandleCustom(const Collection& collection,
                                       const std::vector<std::string>& segments,
                                       const std::string& verb, const HttpRequest& http) {
  const google::protobuf::ServiceDescriptor* service = collection.list->service();
  const bool on_item = segments.size() >= 3;
  std::vector<std::string> candidates;
  if (segments.size() == 4) {
    // GET /v1/projects/{id}/progressReports -> ListProgressReports,
    // GET /v1/projects/{id}/history -> ListProjectHistory.
    candidates = {absl::StrCat("List", collection.singular, UpperCamel(segments[3])),
                  absl::StrCat("List", UpperCamel(segments[3]))};
  } else if (on_item) {
    // POST /v1/projects/{id}:undelete -> UndeleteProject,
    // POST /v1/projects/{id}:reportProgress -> ReportProgress.
    candidates = {absl::StrCat(UpperCamel(verb), collection.singular), UpperCamel(verb)};
  } else {
    // GET /v1/projects:summarize -> SummarizeProjects.
    candidates = {absl::StrCat(UpperCamel(verb), UpperCamel(segments[1])), UpperCamel(verb)};
  }
  // The collection's own API first, then the others: another service may
  // own children of its resources (a target's reported values).
  std::vector<const google::protobuf::ServiceDescriptor*> owners = {service};
  for (const auto* other : services_) {
    if (other != service) owners.push_back(other);
  }
  const MethodDescriptor* method = nullptr;
  for (const auto* owner : owners) {
    for (const std::string& candidate : candidates) {
      if ((method = owner->FindMethodByName(candidate)) != nullptr) break;
    }
    if (method != nullptr) break;
  }
  if (method == nullptr) {
    return JsonError(grpc::NOT_FOUND, absl::StrCat("no route for ", http.path));
  }
  // Reads by GET, the rest by POST, as the gateway classifies methods; a
  // read whose request is too big for a query string (e.g. coverage of
  // thousands of points) may also be POSTed with the request as the body.
  const bool read = KindOf(method) != MethodPlan::Kind::kWrite;
  const bool posted_read = read && http.method == "POST";
  if (http.method != (read ? "GET" : "POST") && !posted_read) {
    return JsonError(grpc::UNIMPLEMENTED,
                     absl::StrCat(http.method, " is not supported on ", http.path, "; use ",
                                  read ? "GET" : "POST"));
  }
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
  absl::Status built = ApplyQuery(http.query, {}, request.get());
  if (built.ok() && on_item) {
    const Descriptor* input = method->input_type();
    const FieldDescriptor* target = input->FindFieldByName("name");
    if (target == nullptr) target = input->FindFieldByName("parent");
    if (target == nullptr || target->type() != FieldDescriptor::TYPE_STRING) {
      return JsonError(grpc::UNIMPLEMENTED, absl::StrCat(method->full_name(), " takes no name"));
    }
    request->GetReflection()->SetString(request.get(), target,
                                        absl::StrCat(segments[1], "/", segments[2]));
  }
  if (built.ok() && posted_read && !http.body.empty()) built = ApplyBody(http.body, request.get());
  if (built.ok() && !read && !http.body.empty()) {
    // The body is the resource the method makes, if it takes one (e.g. the
    // progress report), else the whole request.
    const FieldDescriptor* body_field = FieldOfType(method->input_type(), method->output_type());
    Message* body = body_field == nullptr
                        ? request.get()
                        : request->GetReflection()->MutableMessage(request.get(), body_field);
    built = ApplyBody(http.body, body);
  }
  if (!built.ok()) return JsonError(grpc::INVALID_ARGUMENT, built.message());
  return Call(method, *request, http);
}

HttpResponse HttpJsonApi::Call(const MethodDescriptor* method, const Message& request,
                               const HttpRequest& http) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kHttpDeadline));
  // The gRPC face authenticates the caller from the same token.
  if (auto it = http.headers.find("authorization"); it != http.headers.end()) {
    context.AddMetadata("authorization", it->second);
  }
  for (const char* header : kForwardedHeaders) {
    if (auto it = http.headers.find(header); it != http.headers.end()) {
      context.AddMetadata(header, it->second);
    }
  }
  grpc::ByteBuffer request_bytes = StringToByteBuffer(request.SerializeAsString());
  grpc::ByteBuffer response_bytes;
  grpc::Status status;
  absl::Notification done;
  stub_.UnaryCall(&context, absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                  grpc::StubOptions(), &request_bytes, &response_bytes,
                  [&status, &done](grpc::Status s) {
                    status = std::move(s);
                    done.Notify();
                  });
  done.WaitForNotification();
  if (!status.ok()) return JsonError(status.error_code(), status.error_message());

  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> response(factory->GetPrototype(method->output_type())->New());
  if (!response->ParseFromString(ByteBufferToString(response_bytes))) {
    return JsonError(grpc::INTERNAL, "the service's response does not parse");
  }
  if (method->output_type() == type::v1::File::descriptor()) return ServeFile(*response);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  auto printed = google::protobuf::util::MessageToJsonString(*response, &json, options);
  if (!printed.ok()) return JsonError(grpc::INTERNAL, printed.message().as_string());
  return {200, "application/json", json + "\n"};
}

}  // namespace jiangan::gateway
