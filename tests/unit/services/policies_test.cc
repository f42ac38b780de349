// The investment and facilities policies: defaults and each rule.
#include "gtest/gtest.h"
#include "services/facilities/facility_policy.h"
#include "services/investment/lead_policy.h"

namespace jiangan {
namespace {

TEST(LeadPolicyTest, DefaultsAndRules) {
  auto policy = investment::LeadPolicy();
  investment::v1::Lead lead;
  lead.set_display_name("驻点招商专班招引项目");
  lead.set_industry(investment::v1::FINANCE_INSURANCE);
  lead.set_channel(investment::v1::STATIONED_TEAM);
  policy.apply_create_defaults(&lead);
  EXPECT_EQ(lead.stage(), investment::v1::LEAD);
  EXPECT_TRUE(policy.validate(lead).ok());

  auto broken = lead;
  broken.set_arrived_investment_yuan(-1);
  EXPECT_EQ(policy.validate(broken).message(),
            "lead.arrived_investment_yuan: must not be negative, got -1");
  broken = lead;
  broken.set_channel(investment::v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(policy.validate(broken).message(), "lead.channel: is required");
  broken = lead;
  broken.set_industry(static_cast<investment::v1::Industry>(77));
  EXPECT_EQ(policy.validate(broken).message(), "lead.industry: 77 is not a known value");
}

TEST(FacilityPolicyTest, DefaultsAndRules) {
  auto policy = facilities::FacilityPolicy();
  facilities::v1::Facility facility;
  facility.set_display_name("武汉市第八医院");
  facility.set_kind(facilities::v1::HOSPITAL);
  policy.apply_create_defaults(&facility);
  EXPECT_EQ(facility.status(), facilities::v1::PLANNED);
  EXPECT_TRUE(policy.validate(facility).ok());

  auto broken = facility;
  broken.mutable_location()->set_latitude(91);
  EXPECT_EQ(policy.validate(broken).message(),
            "facility.location.latitude: must be in -90..90, got 91");
  broken = facility;
  broken.set_capacity(-5);
  EXPECT_EQ(policy.validate(broken).message(),
            "facility.capacity: must not be negative, got -5");
  broken = facility;
  broken.set_kind(facilities::v1::FACILITY_KIND_UNSPECIFIED);
  EXPECT_EQ(policy.validate(broken).message(), "facility.kind: is required");
}

}  // namespace
}  // namespace jiangan
