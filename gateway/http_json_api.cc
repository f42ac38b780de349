#include "gateway/http_json_api.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/forwarder.h"
#include "gateway/http_transcoding.h"

namespace jiangan::gateway {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr absl::Duration kHttpDeadline = absl::Seconds(30);

}  // namespace

HttpJsonApi::HttpJsonApi(std::shared_ptr<grpc::Channel> channel, HttpRoutes routes)
    : stub_(std::move(channel)), routes_(std::move(routes)) {}

void HttpJsonApi::Handle(const HttpRequest& http, HttpReply reply) {
  absl::StatusOr<RouteMatch> match = routes_.Match(http.method, http.path);
  if (!match.ok()) {
    std::move(reply)(JsonError(static_cast<grpc::StatusCode>(match.status().code()),
                               match.status().message()));
    return;
  }
  absl::StatusOr<std::unique_ptr<Message>> request = TranscodeRequest(*match, http);
  if (!request.ok()) {
    std::move(reply)(JsonError(grpc::INVALID_ARGUMENT, request.status().message()));
    return;
  }
  Call(match->route->method, **request, http, std::move(reply));
}

void HttpJsonApi::Call(const MethodDescriptor* method, const Message& request,
                       const HttpRequest& http, HttpReply reply) {
  // Lives until the call's callback.
  struct Exchange {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    const MethodDescriptor* method;
    HttpReply reply;
  };
  auto* exchange = new Exchange;
  exchange->method = method;
  exchange->reply = std::move(reply);
  exchange->context.set_deadline(absl::ToChronoTime(absl::Now() + kHttpDeadline));
  // The gRPC face authenticates the caller from the same token.
  if (auto it = http.headers.find("authorization"); it != http.headers.end()) {
    exchange->context.AddMetadata("authorization", it->second);
  }
  for (const char* header : kForwardedHeaders) {
    if (auto it = http.headers.find(header); it != http.headers.end()) {
      exchange->context.AddMetadata(header, it->second);
    }
  }
  exchange->request = StringToByteBuffer(request.SerializeAsString());
  stub_.UnaryCall(&exchange->context,
                  absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                  grpc::StubOptions(), &exchange->request, &exchange->response,
                  [exchange](grpc::Status status) {
                    std::unique_ptr<Exchange> done(exchange);
                    std::move(done->reply)(TranscodeResponse(done->method, status, done->response));
                  });
}

}  // namespace jiangan::gateway
