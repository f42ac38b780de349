#include "services/targets/target_filter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/targets/target_catalog.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

// True when `values` is empty (the field is not set) or holds `value`.
template <typename Values, typename Value>
bool AnyOf(const Values& values, const Value& value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

absl::Status CheckTargetFilter(const v1::TargetFilter& filter) {
  for (const std::string& service : filter.measured_by()) {
    const auto* end = std::end(kMeasuringServices);
    if (!service.empty() && std::find(std::begin(kMeasuringServices), end, service) == end) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.measured_by: must be renewal, investment, facilities or \"\", got \"", service,
          "\""));
    }
  }
  for (int measurement : filter.measurements()) {
    if (!v1::Measurement_IsValid(measurement) || measurement == v1::MEASUREMENT_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.measurements: must be COMPUTED or REPORTED, got ", measurement));
    }
  }
  for (int health : filter.healths()) {
    if (!v1::TargetHealth_IsValid(health)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.healths: must be a TargetHealth, got ", health));
    }
  }
  return absl::OkStatus();
}

bool MatchesCatalogFields(const v1::TargetFilter& filter, const v1::Target& target) {
  return AnyOf(filter.measured_by(), target.measured_by()) &&
         AnyOf(filter.measurements(), static_cast<int>(target.measurement())) &&
         AnyOf(filter.responsible_departments(), target.responsible_department());
}

bool MatchesHealth(const v1::TargetFilter& filter, const v1::Target& target) {
  return AnyOf(filter.healths(), static_cast<int>(target.health()));
}

}  // namespace jiangan::targets
