// The records a ticket may be about, in the services that hold them
// (targets, renewal, investment, facilities), asked as the calling user (or
// as the service for its own scheduled work) and within the caller's
// deadline: that a record exists, its display name and the department
// answerable for it; and which records are in a rule's condition now.
#ifndef JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_
#define JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/identity/identity.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// Channels to the services holding subjects; a null one refuses its
// subjects (FAILED_PRECONDITION).
struct SubjectChannels {
  std::shared_ptr<grpc::Channel> targets;
  std::shared_ptr<grpc::Channel> renewal;
  std::shared_ptr<grpc::Channel> investment;
  std::shared_ptr<grpc::Channel> facilities;
};

class SubjectRecords {
 public:
  // `identity_key` signs the caller's identity for the other services, as
  // the gateway does.
  SubjectRecords(const SubjectChannels& channels, std::string identity_key);

  // For a subject naming a record: fills its display_name and department
  // from the record's service. INVALID_ARGUMENT for a malformed name,
  // FAILED_PRECONDITION for a record that does not exist, UNAVAILABLE when
  // its service cannot answer in time; each names ticket.subject.resource.
  // A matter is its own display name.
  absl::Status Resolve(const grpc::CallbackServerContext& context, const Identity& caller,
                       v1::Subject* subject) const;

  // The records in `condition` now, each as a subject with its display name
  // and department, asked as `caller` within `incoming`'s deadline (null:
  // scheduled work, within a minute). UNAVAILABLE when the service holding
  // them cannot answer in full (it names the service).
  absl::StatusOr<std::vector<v1::Subject>> FindInCondition(
      v1::RuleCondition condition, const grpc::CallbackServerContext* incoming,
      const Identity& caller) const;

 private:
  const std::unique_ptr<portfolio::v1::PortfolioService::Stub> targets_;
  const std::unique_ptr<renewal::v1::RenewalService::Stub> renewal_;
  const std::unique_ptr<investment::v1::InvestmentService::Stub> investment_;
  const std::unique_ptr<facilities::v1::FacilitiesService::Stub> facilities_;
  const IdentitySigner signer_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_
