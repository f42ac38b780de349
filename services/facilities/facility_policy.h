// The rules for a public-service facility: defaults on create and the checks
// every stored facility passes.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITY_POLICY_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITY_POLICY_H_

#include "services/facilities/resource_store.h"
#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::facilities {

ResourcePolicy<v1::Facility> FacilityPolicy();

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITY_POLICY_H_
