// The renewal projects a facility may name as the project that builds it:
// checked to exist by asking the renewal service, as the calling user and
// within the caller's deadline.
#ifndef JIANGAN_SERVICES_FACILITIES_RENEWAL_PROJECTS_H_
#define JIANGAN_SERVICES_FACILITIES_RENEWAL_PROJECTS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/identity.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"

namespace jiangan::facilities {

class RenewalProjects {
 public:
  // `channel` reaches the renewal service; null when none is configured,
  // which refuses every link. `identity_key` signs the caller's identity
  // for the renewal service, as the gateway does.
  RenewalProjects(std::shared_ptr<grpc::Channel> channel, std::string identity_key);

  // OK when `project` is empty or names a project the renewal service holds.
  // INVALID_ARGUMENT for a malformed name, FAILED_PRECONDITION for a project
  // that does not exist, UNAVAILABLE when renewal cannot answer in time;
  // each names `field`. The call inherits `context`'s deadline.
  absl::Status CheckExists(const grpc::CallbackServerContext& context, const Identity& caller,
                           absl::string_view field, absl::string_view project) const;

 private:
  const std::unique_ptr<renewal::v1::RenewalService::Stub> stub_;
  const IdentitySigner signer_;
};

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_RENEWAL_PROJECTS_H_
