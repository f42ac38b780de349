#include "services/supervision/subject_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/runtime/service_client.h"
#include "services/supervision/ticket_rules.h"

namespace jiangan::supervision {
namespace {

// A lookup made for a call without a deadline ends within this.
constexpr absl::Duration kLookupTimeout = absl::Seconds(5);
constexpr char kField[] = "ticket.subject.resource";

template <typename Service>
std::unique_ptr<typename Service::Stub> StubOf(const std::shared_ptr<grpc::Channel>& channel) {
  return channel == nullptr ? nullptr : Service::NewStub(channel);
}

// Reads `resource` with `get(context, request, response)` from `service`
// as the caller, then hands the record to `fill`.
template <typename Stub, typename Request, typename Record, typename Get, typename Fill>
absl::Status LookUp(const ServiceCaller& as_caller, Stub* stub, absl::string_view service,
                    const std::string& resource, Get get, Fill fill) {
  if (stub == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        kField, ": cannot check ", resource, ": this server has no --", service, "_address"));
  }
  Request request;
  request.set_name(resource);
  Record record;
  const absl::Status read =
      as_caller.Read(service, absl::StrCat("checking ", resource), [&](grpc::ClientContext* call) {
        return (stub->*get)(call, request, &record);
      });
  RETURN_IF_ERROR(ReferenceCheckStatus(read, kField, resource, service));
  fill(record);
  return absl::OkStatus();
}

}  // namespace

SubjectRecords::SubjectRecords(const SubjectChannels& channels, std::string identity_key)
    : targets_(StubOf<portfolio::v1::PortfolioService>(channels.targets)),
      renewal_(StubOf<renewal::v1::RenewalService>(channels.renewal)),
      investment_(StubOf<investment::v1::InvestmentService>(channels.investment)),
      facilities_(StubOf<facilities::v1::FacilitiesService>(channels.facilities)),
      signer_(std::move(identity_key)) {}

absl::Status SubjectRecords::Resolve(const grpc::CallbackServerContext& context,
                                     const Identity& caller, v1::Subject* subject) const {
  if (subject->resource().empty()) {
    subject->set_display_name(subject->matter());
    subject->clear_department();
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const std::string collection, SubjectCollection(subject->resource()));
  // Deadline and cancellation follow the incoming call.
  const ServiceCaller as_caller(&signer_, &context, caller, kLookupTimeout);
  const std::string& resource = subject->resource();
  if (collection == "targets") {
    using Stub = portfolio::v1::PortfolioService::Stub;
    return LookUp<Stub, portfolio::v1::GetTargetRequest, portfolio::v1::Target>(
        as_caller, targets_.get(), "targets", resource, &Stub::GetTarget,
        [subject](const portfolio::v1::Target& target) {
          subject->set_display_name(target.display_name());
          subject->set_department(target.responsible_department());
        });
  }
  if (collection == "projects") {
    using Stub = renewal::v1::RenewalService::Stub;
    return LookUp<Stub, renewal::v1::GetProjectRequest, renewal::v1::Project>(
        as_caller, renewal_.get(), "renewal", resource, &Stub::GetProject,
        [subject](const renewal::v1::Project& project) {
          subject->set_display_name(project.display_name());
          subject->set_department(project.lead_department());
        });
  }
  if (collection == "leads") {
    using Stub = investment::v1::InvestmentService::Stub;
    return LookUp<Stub, investment::v1::GetLeadRequest, investment::v1::Lead>(
        as_caller, investment_.get(), "investment", resource, &Stub::GetLead,
        [subject](const investment::v1::Lead& lead) {
          subject->set_display_name(lead.display_name());
          subject->set_department(lead.owner_department());
        });
  }
  using Stub = facilities::v1::FacilitiesService::Stub;
  return LookUp<Stub, facilities::v1::GetFacilityRequest, facilities::v1::Facility>(
      as_caller, facilities_.get(), "facilities", resource, &Stub::GetFacility,
      [subject](const facilities::v1::Facility& facility) {
        subject->set_display_name(facility.display_name());
        subject->set_department(facility.owner_department());
      });
}

}  // namespace jiangan::supervision
