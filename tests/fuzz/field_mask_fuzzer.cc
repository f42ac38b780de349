// Fuzzes update masks as callers write them: a comma-separated list of
// paths, checked against a resource type and applied to a copy.
#include <cstddef>
#include <cstdint>

#include "absl/strings/str_split.h"
#include "common/base/field_masks.h"
#include "jiangan/renewal/v1/renewal.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  google::protobuf::FieldMask mask;
  for (absl::string_view path : absl::StrSplit(text, ',')) mask.add_paths(std::string(path));
  const jiangan::OutputOnlyFields output_only = {"name", "etag", "create_time"};
  const auto* type = jiangan::renewal::v1::Project::descriptor();
  if (!jiangan::CheckUpdateMask(mask, type, output_only).ok()) return 0;
  // A mask that passes the check can be applied.
  jiangan::renewal::v1::Project patch;
  patch.set_display_name("后湖片区");
  patch.mutable_location()->set_latitude(30.65);
  jiangan::renewal::v1::Project target;
  jiangan::MergeMasked(patch, mask, &target);
  return 0;
}
