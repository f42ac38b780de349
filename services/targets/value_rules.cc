#include "services/targets/value_rules.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan::targets {

absl::Status CheckReported(const portfolio::v1::Target& target) {
  if (target.measurement() == portfolio::v1::REPORTED || !target.adjustment_text().empty()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(target.name(), " is computed from the ", target.measured_by(),
                   " service's records by rule \"", target.rule(), "\"; its value is not reported"));
}

absl::Status CheckMayRecord(const Identity& caller, const portfolio::v1::Target& target) {
  if (caller.role == Role::kAdmin) return absl::OkStatus();
  if (target.responsible_department().empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the report names no department responsible for ", target.name(),
        ": only an ADMIN may record its value"));
  }
  return CheckCanChange(caller, target.responsible_department(), target.name());
}

const target_values::v1::TargetValue* StandingValue(
    absl::Span<const target_values::v1::TargetValue> values, absl::CivilDay day) {
  const target_values::v1::TargetValue* standing = nullptr;
  absl::CivilDay standing_day;
  for (const target_values::v1::TargetValue& value : values) {
    const std::optional<absl::CivilDay> as_of = ToCivilDay(value.as_of());
    if (!as_of.has_value() || *as_of > day) continue;
    // Later records win ties: values come oldest record first.
    if (standing == nullptr || *as_of >= standing_day) {
      standing = &value;
      standing_day = *as_of;
    }
  }
  return standing;
}

std::string TargetOf(absl::string_view child_name) {
  const size_t collection = child_name.find('/');
  if (collection == absl::string_view::npos) return "";
  const size_t id_end = child_name.find('/', collection + 1);
  if (id_end == absl::string_view::npos) return "";
  return std::string(child_name.substr(0, id_end));
}

absl::Status ValidateTargetValue(const target_values::v1::TargetValue& value,
                                 const portfolio::v1::Target& target, absl::CivilDay today) {
  if (value.value().size() > 30 || !IsDecimal(value.value(), /*signed_ok=*/true)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_value.value: must be a decimal such as \"6.1\" or \"-0.5\" of at most 30 "
        "characters, got \"", value.value().substr(0, 40), "\""));
  }
  int64_t whole = 0;
  if (target.measurement() == portfolio::v1::COMPUTED && !absl::SimpleAtoi(value.value(), &whole)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_value.value: an adjustment of ", target.name(), " (", target.adjustment_text(),
        ") is a whole number, got \"", value.value().substr(0, 40), "\""));
  }
  if (IsEmptyDate(value.as_of())) {
    return absl::InvalidArgumentError("target_value.as_of: is required");
  }
  RETURN_IF_ERROR(CheckPastDate("target_value.as_of", value.as_of(), today));
  if (value.as_of().year() != target.year()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target_value.as_of: must be in ", target.year(), ", the year of ",
                     target.name(), "; got ", FormatDate(value.as_of())));
  }
  return CheckLength("target_value.evidence", value.evidence(), 1, 1000);
}

}  // namespace jiangan::targets
