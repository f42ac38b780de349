// The catalog of the district's targets: every quantified target of the
// work report, each with its unit, bound, source sentence and how its
// actual is known, read from a JSON file (seed/2024/targets.json) and
// checked whole at start-up, so that a wrong entry stops the targets
// service with a message rather than showing leaders a wrong figure. The
// service reads it once and both its APIs use that one copy.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_

#include <string>

#include "absl/status/statusor.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

// The services whose records a COMPUTED target may be measured by.
inline constexpr const char* kMeasuringServices[] = {"renewal", "investment", "facilities"};

// Reads and checks the catalog at `path`: INVALID_ARGUMENT naming the file,
// the target and the field for a malformed name, a name twice, a missing
// display name, source quote, unit or year, a value that is not a
// non-negative decimal, an unset bound or measurement, a COMPUTED target
// without a known service and a rule, or a REPORTED one with either.
absl::StatusOr<portfolio::v1::ListTargetsResponse> LoadTargetCatalog(const std::string& path);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_
