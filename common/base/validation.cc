#include "common/base/validation.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jiangan {

absl::Status FirstError(std::initializer_list<absl::Status> checks) {
  for (const absl::Status& check : checks) {
    if (!check.ok()) return check;
  }
  return absl::OkStatus();
}

size_t Utf8Length(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // not a continuation byte
  }
  return count;
}

absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t min_chars, size_t max_chars) {
  const size_t length = Utf8Length(text);
  if (length < min_chars || length > max_chars) {
    return absl::InvalidArgumentError(
        min_chars == 0
            ? absl::StrCat(field, ": must be at most ", max_chars, " characters, got ",
                           length)
            : absl::StrCat(field, ": must be ", min_chars, " to ", max_chars,
                           " characters, got ", length));
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(absl::string_view field, int value, bool (*is_valid)(int),
                       bool required) {
  if (!is_valid(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " is not a known value"));
  }
  if (required && value == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  return absl::OkStatus();
}

absl::Status CheckNotNegative(absl::string_view field, int64_t value) {
  if (value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be negative, got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckLatLng(absl::string_view field, double latitude, double longitude) {
  if (!std::isfinite(latitude) || latitude < -90 || latitude > 90) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".latitude: must be in -90..90, got ", latitude));
  }
  if (!std::isfinite(longitude) || longitude < -180 || longitude > 180) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".longitude: must be in -180..180, got ", longitude));
  }
  return absl::OkStatus();
}

absl::Status CheckRequestId(absl::string_view request_id) {
  if (request_id.size() > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request_id: must be at most 100 characters, got ", request_id.size()));
  }
  return absl::OkStatus();
}

bool IsDecimal(absl::string_view text, bool signed_ok) {
  if (signed_ok && !text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  int points = 0;
  for (char c : text) {
    if (c == '.') {
      ++points;
    } else if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return points <= 1;
}

}  // namespace jiangan
