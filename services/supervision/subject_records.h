// The records a ticket may be about, looked up in the services that hold
// them (targets, renewal, investment, facilities), as the calling user and
// within the caller's deadline: that the record exists, its display name
// and the department answerable for it.
#ifndef JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_
#define JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

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

 private:
  const std::unique_ptr<portfolio::v1::PortfolioService::Stub> targets_;
  const std::unique_ptr<renewal::v1::RenewalService::Stub> renewal_;
  const std::unique_ptr<investment::v1::InvestmentService::Stub> investment_;
  const std::unique_ptr<facilities::v1::FacilitiesService::Stub> facilities_;
  const IdentitySigner signer_;
};

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SUBJECT_RECORDS_H_
