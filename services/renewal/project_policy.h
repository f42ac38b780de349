// The renewal office's rules for a project: defaults on create and the
// checks every stored project passes.
#ifndef JIANGAN_SERVICES_RENEWAL_PROJECT_POLICY_H_
#define JIANGAN_SERVICES_RENEWAL_PROJECT_POLICY_H_

#include "common/resource_store.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::renewal {

ResourcePolicy<v1::Project> ProjectPolicy();

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_PROJECT_POLICY_H_
