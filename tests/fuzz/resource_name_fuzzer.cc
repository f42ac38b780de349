// Fuzzes resource names and ids as callers write them.
#include <cstddef>
#include <cstdint>

#include "common/base/resource_name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)jiangan::ValidateResourceId(text, "project_id");
  absl::StatusOr<std::string> id = jiangan::ParseResourceName(text, "projects", "name");
  // What parses is a valid id.
  if (id.ok() && !jiangan::ValidateResourceId(*id, "project_id").ok()) __builtin_trap();
  return 0;
}
