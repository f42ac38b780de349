// The rules of the district's catalog of targets, without I/O beyond
// reading a file: every quantified target of a year's work report, each
// with its unit, bound, source sentence and how its actual is known. A
// year's catalog file (seed/2024/targets.json) is checked whole at
// start-up, so that a wrong entry stops the targets service with a message
// rather than showing leaders a wrong figure; a target an ADMIN creates or
// changes through the API passes the same checks.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/base/field_masks.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

// The services whose records a COMPUTED target may be measured by.
inline constexpr const char* kMeasuringServices[] = {"renewal", "investment", "facilities"};

// The fields of a Target that are answers, not catalog: a caller's values
// in them are ignored, and an update mask may not name them.
extern const OutputOnlyFields kTargetOutputOnly;

// INVALID_ARGUMENT naming the field and the rule for a malformed name, a
// missing display name, source quote, unit or year, a value that is not a
// non-negative decimal, an unset bound or measurement, a COMPUTED target
// without a known service and a rule, or a REPORTED one with either.
absl::Status CheckCatalogTarget(const portfolio::v1::Target& target);

// INVALID_ARGUMENT naming the target unless every name of `catalog` (all
// years) is unique and every `previous_target` names a target of the year
// before in the same unit.
absl::Status CheckCatalogLinks(absl::Span<const portfolio::v1::Target> catalog);

// Reads and checks the catalog file at `path` (CheckCatalogTarget for
// each, no name twice): INVALID_ARGUMENT naming the file, the target and
// the field. Its targets' links to other years are checked once every
// catalog is known (CheckCatalogLinks).
absl::StatusOr<portfolio::v1::ListTargetsResponse> LoadTargetCatalog(const std::string& path);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_CATALOG_H_
