// The investment office's rules for a lead: defaults on create and the
// checks every stored lead passes.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_POLICY_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_POLICY_H_

#include "common/resource_store.h"
#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::investment {

ResourcePolicy<v1::Lead> LeadPolicy();

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_LEAD_POLICY_H_
