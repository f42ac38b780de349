#include "services/facilities/facility_policy.h"

#include "common/base/validation.h"

namespace jiangan::facilities {

ResourcePolicy<v1::Facility> FacilityPolicy() {
  ResourcePolicy<v1::Facility> policy;
  policy.apply_create_defaults = [](v1::Facility* facility) {
    if (facility->status() == v1::FACILITY_STATUS_UNSPECIFIED) {
      facility->set_status(v1::PLANNED);
    }
  };
  policy.validate = [](const v1::Facility& facility) {
    return FirstError({
        CheckLength("facility.display_name", facility.display_name(), 1, 200),
        CheckEnum("facility.kind", facility.kind(), v1::FacilityKind_IsValid, true),
        CheckEnum("facility.status", facility.status(), v1::FacilityStatus_IsValid, true),
        CheckNotNegative("facility.capacity", facility.capacity()),
        CheckLength("facility.sub_district", facility.sub_district(), 0, 50),
        CheckLength("facility.address", facility.address(), 0, 200),
        facility.has_location()
            ? CheckLatLng("facility.location", facility.location().latitude(),
                          facility.location().longitude())
            : absl::OkStatus(),
    });
  };
  return policy;
}

}  // namespace jiangan::facilities
