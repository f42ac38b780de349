// The rules of assigning a department to a target, without I/O: which
// targets take an assignment and what one must be. Only ADMINs assign (the
// service's access check).
#ifndef JIANGAN_SERVICES_TARGETS_ASSIGNMENT_RULES_H_
#define JIANGAN_SERVICES_TARGETS_ASSIGNMENT_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

// FAILED_PRECONDITION naming the department when the report names
// `target`'s: the report's words stand.
absl::Status CheckAssignable(const portfolio::v1::Target& target);

// Sets who answers for `target`: the department the report names (source
// REPORT), else `assigned`, the one an ADMIN assigned last (source
// ASSIGNED; null when none was).
void SetAnswerable(const std::string* assigned, portfolio::v1::Target* target);

// INVALID_ARGUMENT naming the field and the rule unless `assignment` has a
// department of 1 to 100 characters and a reason of at most 500.
absl::Status ValidateAssignment(const portfolio::v1::DepartmentAssignment& assignment);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_ASSIGNMENT_RULES_H_
