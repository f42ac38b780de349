#include "common/base/resource_name.h"

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jiangan {

absl::Status ValidateResourceId(absl::string_view id, absl::string_view field) {
  auto invalid = [&](absl::string_view rule) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", id, "\" ", rule));
  };
  if (id.empty()) return invalid("must not be empty");
  if (id.size() > 63) return invalid("must be at most 63 characters");
  if (id[0] < 'a' || id[0] > 'z') return invalid("must start with a lowercase letter");
  if (id.back() == '-') return invalid("must not end with a hyphen");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return invalid("may hold only lowercase letters, digits and hyphens");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseResourceName(absl::string_view name,
                                              absl::string_view collection,
                                              absl::string_view field) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is required, as \"", collection, "/{id}\""));
  }
  const std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", name, "\" must have the form \"", collection, "/{id}\""));
  }
  absl::string_view id = name.substr(prefix.size());
  if (absl::Status status = ValidateResourceId(id, field); !status.ok()) {
    return status;
  }
  return std::string(id);
}

std::string GenerateResourceId() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
  static constexpr char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local absl::BitGen gen;
  std::string id(1, kLetters[absl::Uniform<size_t>(gen, 0, 26)]);
  for (int i = 0; i < 15; ++i) id += kAlnum[absl::Uniform<size_t>(gen, 0, 36)];
  return id;
}

}  // namespace jiangan
