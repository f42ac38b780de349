// Field checks shared by the services' policies. Each returns OK or
// INVALID_ARGUMENT whose message starts with the field path and states the
// rule, e.g. "project.display_name: must be 1 to 200 characters, got 0".
#ifndef JIANGAN_COMMON_BASE_VALIDATION_H_
#define JIANGAN_COMMON_BASE_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace jiangan {

// The first non-OK status of `checks`, or OK. Lets a policy list its rules
// in order as one expression.
absl::Status FirstError(std::initializer_list<absl::Status> checks);

// Number of Unicode code points in UTF-8 `text` (protobuf has already
// refused invalid UTF-8 in string fields).
size_t Utf8Length(absl::string_view text);

// `text` has between `min_chars` and `max_chars` characters.
absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t min_chars, size_t max_chars);

// `value` is one of the enum's named values and, when `required`, not 0.
absl::Status CheckEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       bool required);

// `value` is not negative.
absl::Status CheckNotNegative(absl::string_view field, int64_t value);

// An idempotency key (AIP-155) of at most 100 characters; empty is allowed.
absl::Status CheckRequestId(absl::string_view request_id);

// "590000", "4.5" (and, when `signed_ok`, "-0.5"): digits with at most
// one point, not at either end; no exponent, no spaces.
bool IsDecimal(absl::string_view text, bool signed_ok = false);

// Latitude in -90..90 and longitude in -180..180, both finite.
absl::Status CheckLatLng(absl::string_view field, double latitude, double longitude);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_VALIDATION_H_
