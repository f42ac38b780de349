// The facilities policy: defaults and each rule.
#include "gtest/gtest.h"
#include "services/facilities/facility_policy.h"

namespace jiangan {
namespace {

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
