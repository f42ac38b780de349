// Transcoding between HTTP/JSON and a method's protos, as google.api.http
// rules and the proto3 JSON mapping say: an HTTP request routed to a method
// becomes the method's request; a call's outcome becomes the HTTP answer.
// Pure functions (no I/O), so they are unit-tested and fuzzed directly.
#ifndef JIANGAN_GATEWAY_HTTP_TRANSCODING_H_
#define JIANGAN_GATEWAY_HTTP_TRANSCODING_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "common/http/http_message.h"
#include "gateway/http_routes.h"
#include "google/protobuf/message.h"

namespace jiangan::gateway {

// The request of `match`'s method: query parameters set fields ("a.b=x"
// nests, a repeated field takes "x,y", a field mask "a,b" in either case),
// the body sets the field the rule names (or the whole request), and path
// variables win over both. INVALID_ARGUMENT naming the parameter or the
// body's offending field.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> TranscodeRequest(
    const RouteMatch& match, const HttpRequest& http);

// The HTTP answer to a call of `method` that ended with `status` and
// `response` (the serialized response message): its JSON, a
// jiangan.type.v1.File as a download, or JsonError (with Retry-After when
// the status carries a RetryInfo).
HttpResponse TranscodeResponse(const google::protobuf::MethodDescriptor* method,
                               const grpc::Status& status, const grpc::ByteBuffer& response);

// {"error":{"code","status","message"}} with the HTTP status google.rpc
// maps `code` to.
HttpResponse JsonError(grpc::StatusCode code, absl::string_view message);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_HTTP_TRANSCODING_H_
