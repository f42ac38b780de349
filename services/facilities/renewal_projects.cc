#include "services/facilities/renewal_projects.h"

#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/runtime/service_client.h"

namespace jiangan::facilities {
namespace {

// A check made for a call without a deadline ends within this.
constexpr absl::Duration kCheckTimeout = absl::Seconds(5);

}  // namespace

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
  const ServiceCaller as_caller(&signer_, &context, caller, kCheckTimeout);
  renewal::v1::GetProjectRequest request;
  request.set_name(std::string(project));
  renewal::v1::Project found;
  const absl::Status status = as_caller.Read(
      "renewal", absl::StrCat("checking ", project), [&](grpc::ClientContext* call) {
        return stub_->GetProject(call, request, &found);
      });
  return ReferenceCheckStatus(status, field, project, "renewal");
}

}  // namespace jiangan::facilities
