#include "services/target_values/target_values_service.h"

namespace jiangan::target_values {

grpc::ServerUnaryReactor* TargetValuesService::RecordTargetValue(
    grpc::CallbackServerContext* context, const v1::RecordTargetValueRequest* request,
    v1::TargetValue* response) {
  return calls_.Serve(context, WriteAccess("RecordTargetValue"), [=, this](const Identity& caller) {
    return FillResponse(store_->Record(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TargetValuesService::ListTargetValues(
    grpc::CallbackServerContext* context, const v1::ListTargetValuesRequest* request,
    v1::ListTargetValuesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTargetValues"), [=, this](const Identity&) {
    return store_->List(*request, response);
  });
}

}  // namespace jiangan::target_values
