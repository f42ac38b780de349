#include "services/facilities/renewal_projects.h"

#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"

namespace jiangan::facilities {

RenewalProjects::RenewalProjects(std::shared_ptr<grpc::Channel> channel, std::string identity_key)
    : stub_(channel == nullptr ? nullptr : renewal::v1::RenewalService::NewStub(channel)),
      signer_(std::move(identity_key)) {}

absl::Status RenewalProjects::CheckExists(const grpc::CallbackServerContext& context,
                                          const Identity& caller, absl::string_view field,
                                          absl::string_view project) const {
  if (project.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(ParseResourceName(project, "projects", field).status());
  if (stub_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": cannot check ", project, ": this server has no --renewal_address"));
  }
  // Deadline and cancellation follow the incoming call.
  std::unique_ptr<grpc::ClientContext> call = grpc::ClientContext::FromCallbackServerContext(context);
  for (const auto& [key, value] : signer_.SignReusing(caller, absl::Now())) {
    call->AddMetadata(key, value);
  }
  renewal::v1::GetProjectRequest request;
  request.set_name(std::string(project));
  renewal::v1::Project found;
  const grpc::Status status = stub_->GetProject(call.get(), request, &found);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", project, " does not exist in the renewal service"));
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::UnavailableError(absl::StrCat(field, ": could not check ", project,
                                                 ": the renewal service did not answer (",
                                                 status.error_message(), "); retry"));
    default:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat(field, ": checking ", project, " with the renewal service: ",
                                       status.error_message()));
  }
}

}  // namespace jiangan::facilities
