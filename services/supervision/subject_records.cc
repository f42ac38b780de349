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

// A search for the records in a rule's condition ends within this.
constexpr absl::Duration kSearchTimeout = absl::Minutes(1);

// Lists `request` from `service` page by page as the caller, handing each
// page to `take`.
template <typename Response, typename Stub, typename Request, typename List, typename Take>
absl::Status ForEachPage(const ServiceCaller& as_caller, Stub* stub, absl::string_view service,
                         Request request, List list, Take take) {
  if (stub == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(service, ": cannot be asked: this server has no --", service, "_address"));
  }
  request.set_page_size(1000);
  while (true) {
    Response response;
    RETURN_IF_ERROR(as_caller.Read(service, "finding the records in a rule's condition",
                                   [&](grpc::ClientContext* call) {
                                     return (stub->*list)(call, request, &response);
                                   }));
    RETURN_IF_ERROR(take(response));
    if (response.next_page_token().empty()) return absl::OkStatus();
    request.set_page_token(response.next_page_token());
  }
}

v1::Subject SubjectOf(const std::string& resource, const std::string& display_name,
                      const std::string& department) {
  v1::Subject subject;
  subject.set_resource(resource);
  subject.set_display_name(display_name);
  subject.set_department(department);
  return subject;
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

absl::StatusOr<std::vector<v1::Subject>> SubjectRecords::FindInCondition(
    v1::RuleCondition condition, const grpc::CallbackServerContext* incoming,
    const Identity& caller) const {
  const ServiceCaller as_caller(&signer_, incoming, caller, kSearchTimeout);
  std::vector<v1::Subject> found;
  switch (condition) {
    case v1::TARGET_RED: {
      portfolio::v1::ListTargetsRequest request;
      request.mutable_filter()->add_healths(portfolio::v1::RED);
      RETURN_IF_ERROR(ForEachPage<portfolio::v1::ListTargetsResponse>(
          as_caller, targets_.get(), "targets", request,
          &portfolio::v1::PortfolioService::Stub::ListTargets,
          [&](const portfolio::v1::ListTargetsResponse& page) -> absl::Status {
            // A target a service could not measure may be RED unseen.
            if (!page.unreachable().empty()) {
              return absl::UnavailableError(absl::StrCat(
                  "targets: could not measure every target (", page.unreachable(0),
                  " did not answer)"));
            }
            for (const portfolio::v1::Target& target : page.targets()) {
              found.push_back(SubjectOf(target.name(), target.display_name(),
                                        target.responsible_department()));
            }
            return absl::OkStatus();
          }));
      break;
    }
    case v1::PROJECT_RED: {
      renewal::v1::ListProjectsRequest request;
      request.mutable_filter()->add_healths(renewal::v1::RED);
      RETURN_IF_ERROR(ForEachPage<renewal::v1::ListProjectsResponse>(
          as_caller, renewal_.get(), "renewal", request,
          &renewal::v1::RenewalService::Stub::ListProjects,
          [&](const renewal::v1::ListProjectsResponse& page) {
            for (const renewal::v1::Project& project : page.projects()) {
              found.push_back(SubjectOf(project.name(), project.display_name(),
                                        project.lead_department()));
            }
            return absl::OkStatus();
          }));
      break;
    }
    case v1::LEAD_ATTENTION_RED: {
      // Attention is computed on read: every lead is read, the RED kept.
      RETURN_IF_ERROR(ForEachPage<investment::v1::ListLeadsResponse>(
          as_caller, investment_.get(), "investment", investment::v1::ListLeadsRequest(),
          &investment::v1::InvestmentService::Stub::ListLeads,
          [&](const investment::v1::ListLeadsResponse& page) {
            for (const investment::v1::Lead& lead : page.leads()) {
              if (lead.attention() != investment::v1::RED) continue;
              found.push_back(
                  SubjectOf(lead.name(), lead.display_name(), lead.owner_department()));
            }
            return absl::OkStatus();
          }));
      break;
    }
    case v1::FACILITY_OVER_CAPACITY: {
      facilities::v1::ListFacilitiesRequest request;
      request.mutable_filter()->add_statuses(facilities::v1::IN_SERVICE);
      RETURN_IF_ERROR(ForEachPage<facilities::v1::ListFacilitiesResponse>(
          as_caller, facilities_.get(), "facilities", request,
          &facilities::v1::FacilitiesService::Stub::ListFacilities,
          [&](const facilities::v1::ListFacilitiesResponse& page) {
            for (const facilities::v1::Facility& facility : page.facilities()) {
              if (facility.capacity() <= 0 || facility.in_use() <= facility.capacity()) continue;
              found.push_back(SubjectOf(facility.name(), facility.display_name(),
                                        facility.owner_department()));
            }
            return absl::OkStatus();
          }));
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("rule.condition: ", v1::RuleCondition_Name(condition), " is not one"));
  }
  return found;
}

}  // namespace jiangan::supervision
