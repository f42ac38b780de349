#include "gateway/http_transcoding.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/logging.h"
#include "common/base/status.h"
#include "common/runtime/rpc_observer.h"
#include "gateway/forwarder.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/json_util.h"
#include "jiangan/type/v1/file.pb.h"

namespace jiangan::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

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

}  // namespace

HttpResponse JsonError(grpc::StatusCode code, absl::string_view message) {
  return {HttpStatusOf(code), "application/json",
          absl::StrCat("{\"error\":{\"code\":", HttpStatusOf(code), ",\"status\":\"",
                       StatusCodeName(code), "\",\"message\":\"", JsonEscape(message),
                       "\"}}\n")};
}

namespace {

// A field mask's paths in the query come as snake_case or as the camelCase
// JSON clients use; JSON wants camelCase.
std::string FieldMaskJson(absl::string_view paths) {
  std::vector<std::string> camel;
  for (absl::string_view path : absl::StrSplit(paths, ',', absl::SkipEmpty())) {
    std::string out;
    bool upper = false;
    for (char c : path) {
      if (c == '_') {
        upper = true;
        continue;
      }
      out += upper ? absl::ascii_toupper(c) : c;
      upper = false;
    }
    camel.push_back(std::move(out));
  }
  return absl::StrCat("\"", JsonEscape(absl::StrJoin(camel, ",")), "\"");
}

// Parses JSON into `target`, keeping the fields already set (the parser
// alone would clear them).
absl::Status MergeJson(absl::string_view json, Message* target) {
  std::unique_ptr<Message> parsed(target->New());
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), parsed.get());
  if (!status.ok()) return absl::InvalidArgumentError(status.message().as_string());
  target->MergeFrom(*parsed);
  return absl::OkStatus();
}

// Sets the string field at `path` (e.g. {"project", "name"}) of `request`.
void SetPathField(const std::vector<std::string>& path, const std::string& value,
                  Message* request) {
  Message* message = request;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    message = message->GetReflection()->MutableMessage(
        message, message->GetDescriptor()->FindFieldByName(path[i]));
  }
  message->GetReflection()->SetString(
      message, message->GetDescriptor()->FindFieldByName(path.back()), value);
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
                        Message* request) {
  QueryNode root;
  for (const auto& [key, value] : query) {
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
      if (field->message_type() == google::protobuf::FieldMask::descriptor()) {
        node->json = FieldMaskJson(value);
      } else if (field->is_repeated()) {
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
  if (root.children.empty()) return absl::OkStatus();
  absl::Status merged = MergeJson(ToJson(root), request);
  if (!merged.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("query parameters: ", merged.message()));
  }
  return absl::OkStatus();
}

absl::Status ApplyBody(absl::string_view body, Message* target) {
  absl::Status merged = MergeJson(body, target);
  if (!merged.ok()) return absl::InvalidArgumentError(absl::StrCat("body: ", merged.message()));
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

HttpResponse TranscodeResponse(const MethodDescriptor* method, const grpc::Status& status,
                               const grpc::ByteBuffer& response_bytes) {
  if (!status.ok()) {
    HttpResponse error = JsonError(status.error_code(), status.error_message());
    if (std::optional<absl::Duration> delay = RetryDelayOf(status)) {
      // RFC 9110: whole seconds; never 0, which would invite a tight loop.
      error.headers.emplace_back(
          "Retry-After", absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(
                                                               *delay, absl::Seconds(1))))));
    }
    return error;
  }
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

absl::StatusOr<std::unique_ptr<Message>> TranscodeRequest(const RouteMatch& match,
                                                         const HttpRequest& http) {
  const HttpRoute& route = *match.route;
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(route.method->input_type())->New());
  // As HttpRule says: the query sets fields, the body the field it names
  // (or the whole request), and the path's variables win over both.
  absl::Status built = ApplyQuery(http.query, request.get());
  if (built.ok() && !http.body.empty()) {
    if (route.body.empty()) {
      built = absl::InvalidArgumentError(absl::StrCat(
          "body: ", http.method, " ", route.path, " takes its request from the path and query"));
    } else if (route.body == "*") {
      built = ApplyBody(http.body, request.get());
    } else {
      built = ApplyBody(http.body,
                        request->GetReflection()->MutableMessage(
                            request.get(), request->GetDescriptor()->FindFieldByName(route.body)));
    }
  }
  if (!built.ok()) return absl::InvalidArgumentError(built.message());
  for (const auto& [variable, value] : match.bindings) {
    SetPathField(variable->field_path, value, request.get());
  }
  return request;
}

}  // namespace jiangan::gateway
