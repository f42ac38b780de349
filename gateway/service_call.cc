#include "gateway/service_call.h"

#include "absl/strings/str_cat.h"

namespace jiangan::gateway {

std::unique_ptr<grpc::ClientContext> ContextFor(const IdentitySigner& signer,
                                                const Identity& caller, absl::Time deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : signer.SignReusing(caller, absl::Now())) {
    context->AddMetadata(key, value);
  }
  return context;
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view service) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(service, ": ", status.error_message()));
}

}  // namespace jiangan::gateway
