// AIP-122 resource names: `{collection}/{id}`.
#ifndef JIANGAN_COMMON_BASE_RESOURCE_NAME_H_
#define JIANGAN_COMMON_BASE_RESOURCE_NAME_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace jiangan {

// Checks a resource id (the final segment of a name): 1 to 63 characters of
// lowercase letters, digits and hyphens, starting with a letter and not
// ending with a hyphen (AIP-122, RFC 1034). `field` names the request field in
// the error.
absl::Status ValidateResourceId(absl::string_view id, absl::string_view field);

// Returns the id of `name` if it is `{collection}/{id}`; otherwise
// INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> ParseResourceName(absl::string_view name,
                                              absl::string_view collection,
                                              absl::string_view field);

// A fresh random id that passes ValidateResourceId, e.g. "r3k9x0q2m7c1v8bz".
std::string GenerateResourceId();

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_RESOURCE_NAME_H_
