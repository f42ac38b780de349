#include "services/investment/lead_policy.h"

#include "common/validation.h"

namespace jiangan::investment {

ResourcePolicy<v1::Lead> LeadPolicy() {
  ResourcePolicy<v1::Lead> policy;
  policy.apply_create_defaults = [](v1::Lead* lead) {
    if (lead->stage() == v1::STAGE_UNSPECIFIED) lead->set_stage(v1::LEAD);
  };
  policy.validate = [](const v1::Lead& lead) {
    return FirstError({
        CheckLength("lead.display_name", lead.display_name(), 1, 200),
        CheckLength("lead.investor", lead.investor(), 0, 200),
        CheckEnum("lead.industry", lead.industry(), v1::Industry_IsValid, true),
        CheckEnum("lead.channel", lead.channel(), v1::Channel_IsValid, true),
        CheckEnum("lead.stage", lead.stage(), v1::Stage_IsValid, true),
        CheckNotNegative("lead.planned_investment_yuan", lead.planned_investment_yuan()),
        CheckNotNegative("lead.arrived_investment_yuan", lead.arrived_investment_yuan()),
        CheckLength("lead.owner_department", lead.owner_department(), 0, 100),
    });
  };
  return policy;
}

}  // namespace jiangan::investment
