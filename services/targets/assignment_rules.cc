#include "services/targets/assignment_rules.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan::targets {

absl::Status CheckAssignable(const portfolio::v1::Target& target) {
  if (target.responsible_department().empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("the report names ", target.responsible_department(), " responsible for ",
                   target.name(), "; its words are not reassigned"));
}

void SetAnswerable(const std::string* assigned, portfolio::v1::Target* target) {
  if (!target->responsible_department().empty()) {
    target->set_responsible_department_source(portfolio::v1::REPORT);
  } else if (assigned != nullptr) {
    target->set_responsible_department(*assigned);
    target->set_responsible_department_source(portfolio::v1::ASSIGNED);
  }
}

absl::Status ValidateAssignment(const portfolio::v1::DepartmentAssignment& assignment) {
  RETURN_IF_ERROR(CheckLength("department", assignment.department(), 1, 100));
  return CheckLength("reason", assignment.reason(), 0, 500);
}

}  // namespace jiangan::targets
